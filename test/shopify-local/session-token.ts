/**
 * Session tokens as Shopify admin mints them for an embedded app (App Bridge's `id_token`): an HS256 JWT signed
 * with the app's secret, per shopify.dev "Session tokens" (claims iss, dest, aud, sub, exp, nbf, iat, jti, sid).
 * Minted with the real clock, like Shopify's: the app checks them against its own clock.
 */
import { createHmac, randomUUID } from "node:crypto";

export interface SessionTokenInput {
  apiKey: string;
  apiSecret: string;
  shop: string;
  /** The staff member's user id (`sub`). */
  userId?: number;
  /** Lifetime in seconds; Shopify's last one minute. */
  ttlSeconds?: number;
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

export function mintSessionToken({ apiKey, apiSecret, shop, userId = 1, ttlSeconds = 60 }: SessionTokenInput): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = base64url(
    JSON.stringify({
      iss: `https://${shop}/admin`,
      dest: `https://${shop}`,
      aud: apiKey,
      sub: String(userId),
      exp: now + ttlSeconds,
      nbf: now - 5,
      iat: now,
      jti: randomUUID(),
      sid: randomUUID(),
    }),
  );
  const signature = base64url(createHmac("sha256", apiSecret).update(`${header}.${payload}`).digest());
  return `${header}.${payload}.${signature}`;
}

/** `host` as Shopify admin passes it: base64url of `admin.shopify.com/store/{name}`. */
export function adminHost(shop: string): string {
  return base64url(`admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, "")}`);
}

/**
 * The URL Shopify admin loads in the app's iframe: the app's page with `embedded=1`, `shop`, `host` and a fresh
 * session token. Loading it is how a managed install reaches the app: with no offline session yet, the app's
 * `authenticate.admin` trades the token for one (token exchange).
 */
export function embeddedAppUrl(appUrl: string, pathname: string, token: SessionTokenInput): string {
  const url = new URL(pathname, appUrl);
  url.searchParams.set("embedded", "1");
  url.searchParams.set("shop", token.shop);
  url.searchParams.set("host", adminHost(token.shop));
  url.searchParams.set("id_token", mintSessionToken(token));
  return url.toString();
}
