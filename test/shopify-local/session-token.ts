/**
 * Session tokens as Shopify admin mints them for an embedded app (App Bridge's `id_token`): an HS256 JWT signed
 * with the app's secret, per shopify.dev "Session tokens" (claims iss, dest, aud, sub, exp, nbf, iat, jti, sid);
 * and those customer accounts hand a UI extension (below).
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

const sign = (claims: Record<string, unknown>, apiSecret: string) => {
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = base64url(JSON.stringify(claims));
  const signature = base64url(createHmac("sha256", apiSecret).update(`${header}.${payload}`).digest());
  return `${header}.${payload}.${signature}`;
};

export function mintSessionToken({ apiKey, apiSecret, shop, userId = 1, ttlSeconds = 60 }: SessionTokenInput): string {
  const now = Math.floor(Date.now() / 1000);
  return sign(
    {
      iss: `https://${shop}/admin`,
      dest: `https://${shop}`,
      aud: apiKey,
      sub: String(userId),
      exp: now + ttlSeconds,
      nbf: now - 5,
      iat: now,
      jti: randomUUID(),
      sid: randomUUID(),
    },
    apiSecret,
  );
}

export interface CustomerAccountTokenInput {
  apiKey: string;
  apiSecret: string;
  shop: string;
  /** The logged-in customer's id; null for none (or an app without protected customer data): no `sub`. */
  customerId: number | null;
  /** Lifetime in seconds; Shopify's is five minutes. */
  ttlSeconds?: number;
  /** When it was issued (Unix seconds); now by default. */
  issuedAt?: number;
}

/**
 * A session token as customer accounts hand a UI extension (`shopify.sessionToken.get()`): HS256 with the app's
 * secret, with the claims of shopify.dev's customer account "Session Token API" example — `dest` the shop's
 * bare domain, `aud` the client id, `exp` five minutes on, `nbf`, `iat`, `jti`, and `sub` (the customer's GID)
 * only for a logged-in customer. No `iss` or `sid`: the example has neither, so the app may not rely on them.
 */
export function mintCustomerAccountToken(input: CustomerAccountTokenInput): string {
  const now = input.issuedAt ?? Math.floor(Date.now() / 1000);
  return sign(
    {
      dest: input.shop,
      aud: input.apiKey,
      exp: now + (input.ttlSeconds ?? 300),
      nbf: now,
      iat: now,
      jti: randomUUID(),
      ...(input.customerId !== null ? { sub: `gid://shopify/Customer/${input.customerId}` } : {}),
    },
    input.apiSecret,
  );
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
