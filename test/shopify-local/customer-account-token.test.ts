import "@shopify/shopify-api/adapters/node";

import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import { describe, expect, it } from "vitest";

import { mintCustomerAccountToken } from "./session-token";

// E1: the session token customer accounts hand a UI extension (shopify.dev, customer account UI extensions,
// "Session Token API": its claims example), checked by shape and against Shopify's own library.
const SECRET = "extension-secret";
const SHOP = "tokens.myshopify.com";
const api = shopifyApi({
  apiKey: "local-api-key",
  apiSecretKey: SECRET,
  apiVersion: ApiVersion.October25,
  hostName: "app.example.com",
  isEmbeddedApp: true,
  logger: { level: 0 },
});
const decode = (token: string) => JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8"));

describe("E1 customer account session tokens", () => {
  it("carries the documented claims: the shop's bare domain, the client id, five minutes, sub for a logged-in customer", async () => {
    const issuedAt = Math.floor(Date.now() / 1000);
    const token = mintCustomerAccountToken({ apiKey: "local-api-key", apiSecret: SECRET, shop: SHOP, customerId: 42 });
    const claims = decode(token);
    expect(Object.keys(claims).sort()).toEqual(["aud", "dest", "exp", "iat", "jti", "nbf", "sub"]);
    expect(claims).toMatchObject({ dest: SHOP, aud: "local-api-key", sub: "gid://shopify/Customer/42" });
    expect(claims.exp - claims.iat).toBe(300);
    expect(claims.iat).toBeGreaterThanOrEqual(issuedAt);
    // Shopify's library accepts it, the audience checked too.
    expect(await api.session.decodeSessionToken(token, { checkAudience: true })).toMatchObject({ dest: SHOP });
    const guest = mintCustomerAccountToken({
      apiKey: "local-api-key",
      apiSecret: SECRET,
      shop: SHOP,
      customerId: null,
    });
    expect(decode(guest)).not.toHaveProperty("sub");
  });

  it("is refused by the library when signed with another secret or expired", async () => {
    const other = mintCustomerAccountToken({ apiKey: "local-api-key", apiSecret: "x", shop: SHOP, customerId: 1 });
    await expect(api.session.decodeSessionToken(other)).rejects.toThrow();
    const old = mintCustomerAccountToken({
      apiKey: "local-api-key",
      apiSecret: SECRET,
      shop: SHOP,
      customerId: 1,
      issuedAt: Math.floor(Date.now() / 1000) - 600,
    });
    await expect(api.session.decodeSessionToken(old)).rejects.toThrow();
  });
});
