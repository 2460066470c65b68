/**
 * Token exchange (`POST /admin/oauth/access_token`), the way embedded apps on Shopify's managed
 * install get their access token: the app trades an App Bridge session token (a JWT signed with the
 * app secret, `dest` naming the shop) for the shop's token. Reached through `redirect.ts`, whose
 * rewrite loses the shop host, so the shop comes from `dest`.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Runtime } from "./store/runtime";
import type { Shop } from "./store/state";

const GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
const ONLINE = "urn:shopify:params:oauth:token-type:online-access-token";

interface TokenExchangeBody {
  client_id?: unknown;
  client_secret?: unknown;
  grant_type?: unknown;
  subject_token?: unknown;
  requested_token_type?: unknown;
}

export interface OAuthAnswer {
  status: number;
  body: unknown;
}

const failure = (error: string, description: string): OAuthAnswer => ({
  status: 400,
  body: { error, error_description: description },
});

/** The verified claims of an HS256 session token, or a reason it is not one. */
function verifySessionToken(
  token: string,
  secret: string,
  apiKey: string,
  nowMs: number,
): Record<string, unknown> | string {
  const [header, payload, signature] = token.split(".");
  if (!header || !payload || !signature) return "not a JWT";
  const expected = createHmac("sha256", secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "bad signature";
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
  if (claims.aud !== apiKey) return "aud is not this app";
  if (typeof claims.exp !== "number" || claims.exp * 1000 < nowMs) return "expired";
  return claims;
}

export function answerTokenExchange(
  rt: Runtime,
  app: { apiKey: string; apiSecret: string },
  body: TokenExchangeBody,
): OAuthAnswer {
  if (body.client_id !== app.apiKey || body.client_secret !== app.apiSecret) {
    return failure("invalid_client", "Client credentials are invalid");
  }
  if (body.grant_type !== GRANT_TYPE) return failure("unsupported_grant_type", "Only token exchange is supported");
  if (typeof body.subject_token !== "string") return failure("invalid_request", "subject_token is missing");
  // Real time, not the virtual clock: session tokens are minted by a real clock.
  const claims = verifySessionToken(body.subject_token, app.apiSecret, app.apiKey, Date.now());
  if (typeof claims === "string") return failure("invalid_subject_token", `Session token rejected: ${claims}`);
  const domain = typeof claims.dest === "string" ? claims.dest.replace(/^https:\/\//, "") : "";
  const shop = rt.shopsByDomain.get(domain);
  if (!shop || !rt.shopsByToken.has(shop.accessToken)) {
    return failure("invalid_subject_token", `The app is not installed on ${domain || "the token's shop"}`);
  }
  if (body.requested_token_type === ONLINE) return { status: 200, body: onlineToken(rt, shop, claims) };
  return { status: 200, body: { access_token: shop.accessToken, scope: shop.scopes.join(",") } };
}

function onlineToken(rt: Runtime, shop: Shop, claims: Record<string, unknown>) {
  const token = rt.token("shpua_");
  rt.shopsByToken.set(token, shop);
  const userId = Number(claims.sub) || 1;
  return {
    access_token: token,
    scope: shop.scopes.join(","),
    expires_in: 86_399,
    associated_user_scope: shop.scopes.join(","),
    associated_user: {
      id: userId,
      first_name: "Local",
      last_name: "Merchant",
      email: shop.email,
      account_owner: true,
      locale: "en",
      collaborator: false,
      email_verified: true,
    },
  };
}
