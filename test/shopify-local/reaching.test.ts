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

  it("answers every request after latencyMs, and at once again when it is 0", async () => {
    const query = "{ shop { name } }";
    const timed = async () => {
      const started = performance.now();
      const answer = await adminGraphql(local.origin, shop.accessToken, query);
      return { status: answer.status, ms: performance.now() - started };
    };
    await local.control.setFaults({ api: { latencyMs: 80 } });
    const slow = [await timed(), await timed(), await timed()];
    expect(slow.map((answer) => [answer.status, answer.ms >= 80])).toEqual([
      [200, true],
      [200, true],
      [200, true],
    ]);
    await local.control.setFaults({ api: { latencyMs: 0 } });
    const fast = await timed();
    expect([fast.status, fast.ms < 80]).toEqual([200, true]);
  });
});

describe("faults inside one combined mutation (parity row F2)", () => {
  // Two flowTriggerReceive around a tagsAdd: Local Shopify records the triggers and the order's tags.
  const combined = `mutation Combined($id: ID!) {
    first: flowTriggerReceive(handle: "backorder-created", payload: { order_id: 1 }) { userErrors { field message } }
    tagsAdd(id: $id, tags: ["combined"]) { node { id } userErrors { field message } }
    last: flowTriggerReceive(handle: "backorder-allocated", payload: { order_id: 1 }) { userErrors { field message } }
  }`;
  let orderGid: string;

  beforeAll(async () => {
    const product = await local.control.createProduct(shop.domain, {
      title: "Mug",
      variants: [{ sku: "F2", price: "5.00", inventoryPolicy: "CONTINUE", tracked: true, available: {} }],
    });
    const order = await local.control.placeOrder(shop.domain, {
      lines: [{ variantId: product.variants[0]!.id, quantity: 1 }],
    });
    orderGid = order.gid;
  });

  const triggers = async () => (await local.control.flowTriggers(shop.domain)).map((t) => t.handle);
  const tags = async () => {
    const answer = await adminGraphql(local.origin, shop.accessToken, "query T($id: ID!) { order(id: $id) { tags } }", {
      id: orderGid,
    });
    return answer.json.data.order.tags as string[];
  };

  it("internal: the fields before the failing one stay applied, the rest do not run, the answer has no data", async () => {
    const before = (await triggers()).length;
    await local.control.setFaults({ api: { mutationFieldFailures: [{ field: "tagsAdd", mode: "internal" }] } });
    const answer = await adminGraphql(local.origin, shop.accessToken, combined, { id: orderGid });
    expect(answer.json.data).toBeUndefined();
    expect(answer.json.errors).toEqual([
      {
        message: expect.stringMatching(
          /^Internal error\. Looks like something went wrong on our end\.\nRequest ID: [0-9a-f-]{36} \(include this in support requests\)\.$/,
        ),
        extensions: { code: "INTERNAL_SERVER_ERROR", requestId: expect.any(String) },
      },
    ]);
    expect((await triggers()).slice(before)).toEqual(["backorder-created"]);
    expect(await tags()).not.toContain("combined");
  });

  it("userError: the failing field changes nothing and says so; the others run; the rule is spent", async () => {
    const before = (await triggers()).length;
    await local.control.setFaults({
      api: {
        mutationFieldFailures: [{ field: "flowTriggerReceive", operation: "Combined", mode: "userError", skip: 1 }],
      },
    });
    const answer = await adminGraphql(local.origin, shop.accessToken, combined, { id: orderGid });
    expect(answer.json.data.first).toEqual({ userErrors: [] });
    expect(answer.json.data.tagsAdd.userErrors).toEqual([]);
    expect(answer.json.data.last).toEqual({
      userErrors: [{ field: null, message: "Local Shopify: injected failure of this field." }],
    });
    expect((await triggers()).slice(before)).toEqual(["backorder-created"]);
    expect(await tags()).toContain("combined");

    const again = await adminGraphql(local.origin, shop.accessToken, combined, { id: orderGid });
    expect(again.json.data.last).toEqual({ userErrors: [] });
  });

  it("late answers: the operation is applied before its answer, which comes after the delay", async () => {
    const before = (await triggers()).length;
    await local.control.setFaults({ api: { lateAnswers: [{ operation: "Combined", ms: 400 }] } });
    const started = Date.now();
    const pending = adminGraphql(local.origin, shop.accessToken, combined, { id: orderGid });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await triggers()).length).toBe(before + 2);
    expect((await pending).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  });
});
