import "@shopify/shopify-api/adapters/node";
import { createHmac } from "node:crypto";
import { ApiVersion, LogSeverity, RequestedTokenType, Session, shopifyApi } from "@shopify/shopify-api";
import { abstractFetch, setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { GraphQLClient } from "graphql-request";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redirectToLocalShopify } from "./redirect";
import { startLocalShopify, type LocalShopify } from "./server";
import { adminGraphql } from "./testing";

let local: LocalShopify;
let shop: Awaited<ReturnType<LocalShopify["control"]["createShop"]>>;

beforeAll(async () => {
  local = await startLocalShopify({ apiSecret: "secret", faults: { seed: 3 } });
  shop = await local.control.createShop({ domain: "reach.myshopify.com" });
});
afterAll(() => local.stop());

describe("reaching Local Shopify (parity row R1)", () => {
  it("answers graphql-request pointed at {origin}/admin/api/2026-10/graphql.json", async () => {
    const client = new GraphQLClient(`${local.origin}/admin/api/2026-10/graphql.json`, {
      headers: { "X-Shopify-Access-Token": shop.accessToken },
    });
    expect(await client.request("{ shop { myshopifyDomain } }")).toEqual({
      shop: { myshopifyDomain: "reach.myshopify.com" },
    });
  });

  it("answers @shopify/shopify-api's GraphQL client once its fetch is redirected", async () => {
    const original = abstractFetch;
    setAbstractFetchFunc(redirectToLocalShopify(local.origin));
    try {
      const shopify = shopifyApi({
        apiKey: "local-api-key",
        apiSecretKey: "secret",
        apiVersion: ApiVersion.October26,
        hostName: "backorder-keeper.example.com",
        isEmbeddedApp: true,
        logger: { level: LogSeverity.Error },
      });
      const session = new Session({
        id: "offline_reach",
        shop: shop.domain,
        state: "",
        isOnline: false,
        accessToken: shop.accessToken,
      });
      const client = new shopify.clients.Graphql({ session });
      const answer = await client.request("{ shop { myshopifyDomain } }");
      expect(answer.data).toEqual({ shop: { myshopifyDomain: "reach.myshopify.com" } });
    } finally {
      setAbstractFetchFunc(original);
    }
  });
});

function sessionToken(claims: Record<string, unknown>, secret: string): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${encode({ alg: "HS256", typ: "JWT" })}.${encode(claims)}`;
  return `${unsigned}.${createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
}

describe("install state", () => {
  it("revokes the token on uninstall and issues a new one on reinstall", async () => {
    const other = await local.control.createShop({ domain: "reinstall.myshopify.com" });
    await local.control.uninstall(other.domain);
    expect((await adminGraphql(local.origin, other.accessToken, "{ shop { name } }")).status).toBe(401);
    const again = await local.control.reinstall(other.domain);
    expect(again.accessToken).not.toBe(other.accessToken);
    expect((await adminGraphql(local.origin, again.accessToken, "{ shop { name } }")).status).toBe(200);
  });
});

describe("token exchange (parity row R2)", () => {
  it("trades an App Bridge session token for the shop's offline token through Shopify's own client", async () => {
    const original = abstractFetch;
    setAbstractFetchFunc(redirectToLocalShopify(local.origin));
    try {
      const shopify = shopifyApi({
        apiKey: "local-api-key",
        apiSecretKey: "secret",
        apiVersion: ApiVersion.October26,
        hostName: "backorder-keeper.example.com",
        isEmbeddedApp: true,
        logger: { level: LogSeverity.Error },
      });
      const now = Math.floor(Date.now() / 1000);
      const token = sessionToken(
        {
          iss: `https://${shop.domain}/admin`,
          dest: `https://${shop.domain}`,
          aud: "local-api-key",
          sub: "42",
          exp: now + 60,
          nbf: now - 5,
          iat: now,
          jti: "j",
          sid: "s",
        },
        "secret",
      );
      const { session } = await shopify.auth.tokenExchange({
        shop: shop.domain,
        sessionToken: token,
        requestedTokenType: RequestedTokenType.OfflineAccessToken,
      });
      expect([session.shop, session.accessToken, session.isOnline]).toEqual([shop.domain, shop.accessToken, false]);

      const forged = sessionToken(
        { dest: `https://${shop.domain}`, aud: "local-api-key", exp: now + 60 },
        "not-the-secret",
      );
      const refused = await fetch(`${local.origin}/admin/oauth/access_token`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          client_id: "local-api-key",
          client_secret: "secret",
          grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
          subject_token: forged,
        }),
      });
      expect([refused.status, await refused.json()]).toEqual([
        400,
        { error: "invalid_subject_token", error_description: "Session token rejected: bad signature" },
      ]);
    } finally {
      setAbstractFetchFunc(original);
    }
  });
});

describe("Admin API fault injection (parity row F1)", () => {
  it("answers 5xx, 429 with Retry-After, slowly, or not at all, as configured", async () => {
    const query = "{ shop { name } }";
    await local.control.setFaults({ api: { serverErrorRate: 1 } });
    expect((await adminGraphql(local.origin, shop.accessToken, query).catch(() => ({ status: -1 }))).status).toBe(503);

    await local.control.setFaults({ api: { serverErrorRate: 0, tooManyRequestsRate: 1, retryAfterSeconds: 2 } });
    const limited = await fetch(`${local.origin}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": shop.accessToken },
      body: JSON.stringify({ query }),
    });
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "2.0"]);

    await local.control.setFaults({ api: { tooManyRequestsRate: 0, slowRate: 1, slowMs: 300 } });
    const started = Date.now();
    expect((await adminGraphql(local.origin, shop.accessToken, query)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);

    await local.control.setFaults({ api: { slowRate: 0, dropRate: 1 } });
    const dropped = await adminGraphql(local.origin, shop.accessToken, query).catch((e: Error) => e);
    expect(dropped).toBeInstanceOf(TypeError);

    await local.control.setFaults({ api: { dropRate: 0 } });
    expect((await adminGraphql(local.origin, shop.accessToken, query)).status).toBe(200);
  });
});
