import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { parse } from "graphql";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { releaseHolds } from "~/shopify/batch.server";
import { AdminApiError, createAdminGateway, type AdminGatewayOptions } from "~/shopify/gateway.server";
import { FulfillmentOrderReleaseHoldDocument, ShopInfoDocument } from "~/shopify/generated/operations";

import { startLocalShopify, type LocalShopify } from "../shopify-local/server";
import { adminGraphql } from "../shopify-local/testing";

/**
 * The gateway against Local Shopify over real HTTP: its answers, costs, throttling and injected faults are
 * Shopify's shapes. The injected fetch only records what went over the wire.
 */
let local: LocalShopify;
let shop: { domain: string; accessToken: string; gid: string; locations: { id: number }[] };
let shopCounter = 0;

interface WireCall {
  status: number;
  body: {
    errors?: { extensions?: { code?: string } }[];
    extensions?: { cost?: { requestedQueryCost: number } };
  } | null;
  query: string;
}

function wire() {
  const calls: WireCall[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const query = (JSON.parse(String(init?.body)) as { query: string }).query;
    try {
      const response = await fetch(input, init);
      const text = await response.clone().text();
      calls.push({ status: response.status, body: text.startsWith("{") ? JSON.parse(text) : null, query });
      return response;
    } catch (error) {
      calls.push({ status: 0, body: null, query });
      throw error;
    }
  };
  return { calls, fetch: recordingFetch };
}

function gateway(options: Partial<AdminGatewayOptions> = {}) {
  const recorded = wire();
  const sleeps: number[] = [];
  const gw = createAdminGateway({
    shop: shop.domain,
    accessToken: shop.accessToken,
    origin: local.origin,
    fetch: recorded.fetch,
    // Fault tests need not wait out the backoff; throttling tests pass the real sleep.
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    ...options,
  });
  return { gw, calls: recorded.calls, sleeps };
}

const throttled = (calls: WireCall[]) =>
  calls.filter((call) => call.body?.errors?.some((e) => e.extensions?.code === "THROTTLED")).length;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const NOT_FOUND = {
  ok: false,
  userErrors: [{ field: ["id"], message: "Fulfillment order does not exist.", code: "FULFILLMENT_ORDER_NOT_FOUND" }],
};
const missing = (n: number) => ({
  id: `gid://shopify/FulfillmentOrder/${900_000 + n}`,
  holdIds: ["gid://shopify/FulfillmentHold/1"],
});

beforeAll(async () => {
  local = await startLocalShopify({ apiSecret: "test-api-secret" });
});
afterAll(async () => {
  await local.stop();
});
beforeEach(async () => {
  await local.control.setFaults({ api: { serverErrorRate: 0, tooManyRequestsRate: 0, slowRate: 0, dropRate: 0 } });
  shop = await local.control.createShop({ domain: `gateway-${++shopCounter}.myshopify.com` });
});

async function heldFulfillmentOrder(handle: string) {
  const product = await local.control.createProduct(shop.domain, {
    title: `Mug ${handle}`,
    variants: [{ sku: `MUG-${handle}`, inventoryPolicy: "CONTINUE", available: { [shop.locations[0]!.id]: 0 } }],
  });
  const order = await local.control.placeOrder(shop.domain, {
    lines: [{ variantId: product.variants[0]!.gid, quantity: 2 }],
  });
  await local.control.settle();
  const [fo] = await local.control.fulfillmentOrders(shop.domain, order.id);
  const answer = await adminGraphql(
    local.origin,
    shop.accessToken,
    `mutation Hold($id: ID!, $hold: FulfillmentOrderHoldInput!) {
      fulfillmentOrderHold(id: $id, fulfillmentHold: $hold) { fulfillmentHold { id } userErrors { message } }
    }`,
    { id: fo!.gid, hold: { reason: "INVENTORY_OUT_OF_STOCK", handle } },
  );
  expect(answer.json.data.fulfillmentOrderHold.userErrors).toEqual([]);
  return {
    fulfillmentOrderId: fo!.gid,
    holdId: answer.json.data.fulfillmentOrderHold.fulfillmentHold.id as string,
    orderId: order.id,
  };
}

describe("Admin gateway against Local Shopify", () => {
  it("sends a named query with the shop's token to /admin/api/2026-10 and returns its data", async () => {
    const { gw, calls } = gateway();

    const data = await gw.query(ShopInfoDocument, {});

    expect(data.shop).toMatchObject({ id: shop.gid, myshopifyDomain: shop.domain });
    expect(Object.keys(data.shop).sort()).toEqual(["currencyCode", "ianaTimezone", "id", "myshopifyDomain", "name"]);
    expect(calls.map((c) => c.status)).toEqual([200]);
  });

  it("returns a mutation's data when Shopify reports no userErrors", async () => {
    const held = await heldFulfillmentOrder("ok-1");
    const { gw } = gateway();

    const result = await gw.mutate(FulfillmentOrderReleaseHoldDocument, {
      id: held.fulfillmentOrderId,
      holdIds: [held.holdId],
    });

    expect(result).toEqual({
      ok: true,
      data: {
        fulfillmentOrderReleaseHold: {
          fulfillmentOrder: { id: held.fulfillmentOrderId, status: "OPEN" },
          userErrors: [],
        },
      },
    });
  });

  it("turns a mutation's userErrors into a typed failure", async () => {
    const { gw, calls } = gateway();

    const result = await gw.mutate(FulfillmentOrderReleaseHoldDocument, missing(1));

    expect(result).toMatchObject(NOT_FOUND);
    expect(calls).toHaveLength(1);
  });

  it("does not retry a document Shopify rejects", async () => {
    const { gw, calls } = gateway();
    const bad = parse("query BadShop { shop { nam } }") as TypedDocumentNode<unknown, Record<string, never>>;

    const error = await gw.query(bad, {}).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AdminApiError);
    expect((error as AdminApiError).failure).toBe("graphql");
    expect((error as AdminApiError).message).toBe(
      `BadShop on ${shop.domain} failed after 1 attempt(s) (graphql): Field 'nam' doesn't exist on type 'Shop'`,
    );
    expect(calls).toHaveLength(1);
  });

  it("does not retry a refused token", async () => {
    const { gw, calls } = gateway({ accessToken: "revoked" });

    const error = (await gw.query(ShopInfoDocument, {}).catch((e: unknown) => e)) as AdminApiError;

    expect([error.failure, error.detail.status, error.detail.attempts]).toEqual(["http", 401, 1]);
    expect(calls).toHaveLength(1);
  });
});

describe("batched hold releases", () => {
  it("releases many fulfillment orders' holds in few aliased calls, with a result per item", async () => {
    const held = [
      await heldFulfillmentOrder("b-1"),
      await heldFulfillmentOrder("b-2"),
      await heldFulfillmentOrder("b-3"),
    ];
    const { gw, calls } = gateway();
    const releases = [
      ...held.map((h) => ({ fulfillmentOrderId: h.fulfillmentOrderId, holdIds: [h.holdId] })),
      { fulfillmentOrderId: missing(2).id, holdIds: missing(2).holdIds },
    ];

    // A ceiling of 20 points fits two mutations per call.
    const results = await releaseHolds(gw, releases, { maxCost: 20 });

    expect(results).toEqual([
      ...held.map((h) => ({
        fulfillmentOrderId: h.fulfillmentOrderId,
        holdIds: [h.holdId],
        ok: true,
        fulfillmentOrder: { id: h.fulfillmentOrderId, status: "OPEN" },
      })),
      { ...releases[3], ...NOT_FOUND },
    ]);
    expect(calls.map((c) => c.body?.extensions?.cost?.requestedQueryCost)).toEqual([20, 20]);
    expect(calls[0]!.query).toContain("mutation FulfillmentOrderReleaseHoldBatch(");
    for (const h of held) {
      const [fo] = await local.control.fulfillmentOrders(shop.domain, h.orderId);
      expect([fo!.status, fo!.holds.length]).toEqual(["OPEN", 0]);
    }
  });

  it("stays within Shopify's 1000-point ceiling per call", async () => {
    const { gw, calls } = gateway({ sleep: realSleep });
    const releases = Array.from({ length: 210 }, (_, n) => ({
      fulfillmentOrderId: missing(n).id,
      holdIds: missing(n).holdIds,
    }));

    const results = await releaseHolds(gw, releases);

    expect(results).toHaveLength(210);
    expect(results.every((r) => !r.ok && r.userErrors[0]?.code === "FULFILLMENT_ORDER_NOT_FOUND")).toBe(true);
    // 2100 points against a 2000-point bucket: the third call waited for the refill instead of being throttled.
    expect(calls.map((c) => c.body?.extensions?.cost?.requestedQueryCost)).toEqual([1000, 1000, 100]);
    expect(throttled(calls)).toBe(0);
  });

  it("refuses a release without holdIds, which would release every hold", async () => {
    const { gw } = gateway();
    await expect(
      releaseHolds(gw, [{ fulfillmentOrderId: "gid://shopify/FulfillmentOrder/1", holdIds: [] }]),
    ).rejects.toThrow("releases[0].holdIds is empty: name the holds to release, never all of them");
  });
});

describe("faults injected by Local Shopify", () => {
  it("retries 5xx answers with exponential backoff and jitter", async () => {
    await local.control.setFaults({ api: { serverErrorRate: 0.6 } });
    const runs = Array.from({ length: 8 }, () => gateway({ maxAttempts: 10 }));

    for (const { gw } of runs) expect((await gw.query(ShopInfoDocument, {})).shop.id).toBe(shop.gid);

    let failures = 0;
    for (const { calls, sleeps } of runs) {
      const failed = calls.filter((c) => c.status === 503).length;
      failures += failed;
      expect(calls.map((c) => c.status)).toEqual([...Array(failed).fill(503), 200]);
      // random 0.5: half the ceiling plus a quarter of it, the ceiling doubling from 500 ms.
      expect(sleeps).toEqual([375, 750, 1500, 3000, 6000, 12000, 22500, 22500, 22500].slice(0, failed));
    }
    expect(failures).toBeGreaterThan(0);
  });

  it("waits Retry-After on HTTP 429, then gives up with a typed error after maxAttempts", async () => {
    await local.control.setFaults({ api: { tooManyRequestsRate: 1, retryAfterSeconds: 0.3 } });
    const { gw, calls, sleeps } = gateway({ maxAttempts: 3 });

    const error = (await gw.query(ShopInfoDocument, {}).catch((e: unknown) => e)) as AdminApiError;

    expect(error).toBeInstanceOf(AdminApiError);
    expect([error.failure, error.detail.status, error.detail.attempts]).toEqual(["throttled", 429, 3]);
    expect(calls.map((c) => c.status)).toEqual([429, 429, 429]);
    expect(sleeps).toEqual([300, 300]);
  });

  it("times out a slow answer and retries it", async () => {
    await local.control.setFaults({ api: { slowRate: 1, slowMs: 400 } });
    const { gw, sleeps } = gateway({ timeoutMs: 100, maxAttempts: 2 });

    const error = (await gw.query(ShopInfoDocument, {}).catch((e: unknown) => e)) as AdminApiError;
    expect([error.failure, error.detail.attempts]).toEqual(["timeout", 2]);
    expect(sleeps).toEqual([375]);

    await local.control.setFaults({ api: { slowRate: 0.5, slowMs: 400 } });
    const { gw: patient } = gateway({ timeoutMs: 100, maxAttempts: 10 });
    expect((await patient.query(ShopInfoDocument, {})).shop.id).toBe(shop.gid);
  });

  it("retries a dropped connection", async () => {
    await local.control.setFaults({ api: { dropRate: 1 } });
    const { gw, calls } = gateway({ maxAttempts: 3 });

    const error = (await gw.query(ShopInfoDocument, {}).catch((e: unknown) => e)) as AdminApiError;
    expect([error.failure, error.detail.attempts, calls.map((c) => c.status)]).toEqual(["network", 3, [0, 0, 0]]);

    await local.control.setFaults({ api: { dropRate: 0.5 } });
    const { gw: again, calls: againCalls } = gateway({ maxAttempts: 10 });
    expect((await again.query(ShopInfoDocument, {})).shop.id).toBe(shop.gid);
    expect(againCalls.at(-1)!.status).toBe(200);
  });
});

describe("mutations Shopify cannot recognise when sent again (repeatable: false)", () => {
  const trigger = parse(`mutation Trigger { flowTriggerReceive(handle: "backorder-created", payload: { order_id: 1 }) {
    userErrors { field message } } }`) as TypedDocumentNode<unknown, Record<string, never>>;
  const sent = async () => (await local.control.flowTriggers(shop.domain)).length;

  it("throws an internal error at once, saying the mutation may have been applied", async () => {
    await local.control.setFaults({
      api: { mutationFieldFailures: [{ field: "flowTriggerReceive", mode: "internal" }] },
    });
    const { gw, calls } = gateway();
    const error = (await gw.mutate(trigger, {}, { repeatable: false }).catch((e: unknown) => e)) as AdminApiError;
    expect([error.failure, error.detail.attempts, error.detail.mayHaveApplied]).toEqual(["response", 1, true]);
    expect(calls).toHaveLength(1);
  });

  it("throws a timeout at once, after which Shopify applied it", async () => {
    await local.control.setFaults({ api: { lateAnswers: [{ operation: "Trigger", ms: 300 }] } });
    const before = await sent();
    const { gw } = gateway({ timeoutMs: 100 });
    const error = (await gw.mutate(trigger, {}, { repeatable: false }).catch((e: unknown) => e)) as AdminApiError;
    expect([error.failure, error.detail.attempts, error.detail.mayHaveApplied]).toEqual(["timeout", 1, true]);
    expect((await sent()) - before).toBe(1);
  });

  it("still retries what Shopify did not run (HTTP 429), and says so when it gives up", async () => {
    await local.control.setFaults({ api: { tooManyRequestsRate: 1, retryAfterSeconds: 0.1 } });
    const { gw, calls } = gateway({ maxAttempts: 2 });
    const error = (await gw.mutate(trigger, {}, { repeatable: false }).catch((e: unknown) => e)) as AdminApiError;
    await local.control.setFaults({ api: { tooManyRequestsRate: 0 } });
    expect([error.failure, error.detail.attempts, error.detail.mayHaveApplied]).toEqual(["throttled", 2, false]);
    expect(calls.map((c) => c.status)).toEqual([429, 429]);
  });

  it("retries a repeatable mutation's internal error as before", async () => {
    await local.control.setFaults({
      api: { mutationFieldFailures: [{ field: "flowTriggerReceive", mode: "internal" }] },
    });
    const before = await sent();
    const { gw, calls } = gateway();
    expect((await gw.mutate(trigger, {})).ok).toBe(true);
    expect(calls).toHaveLength(2);
    // The field that raised did not run; the retry did.
    expect((await sent()) - before).toBe(1);
  });
});

describe("throttling", () => {
  let small: LocalShopify;
  let smallShop: { domain: string; accessToken: string };
  beforeAll(async () => {
    // A bucket unlike any real plan's: the gateway must learn its size from the responses.
    small = await startLocalShopify({ apiSecret: "test-api-secret", plan: { maximumAvailable: 60, restoreRate: 200 } });
  });
  afterAll(async () => {
    await small.stop();
  });
  beforeEach(async () => {
    smallShop = await small.control.createShop({ domain: `throttle-${++shopCounter}.myshopify.com` });
  });

  function smallGateway() {
    const recorded = wire();
    const gw = createAdminGateway({
      shop: smallShop.domain,
      accessToken: smallShop.accessToken,
      origin: small.origin,
      fetch: recorded.fetch,
      maxAttempts: 20,
    });
    return { gw, calls: recorded.calls };
  }

  it("retries THROTTLED answers until every call of a storm completes", async () => {
    // Separate gateways share no bucket knowledge, like separate processes: Shopify throttles them.
    const gateways = Array.from({ length: 25 }, () => smallGateway());

    const results = await Promise.all(
      gateways.map(({ gw }, n) => gw.mutate(FulfillmentOrderReleaseHoldDocument, missing(n))),
    );

    expect(results).toEqual(Array(25).fill(expect.objectContaining(NOT_FOUND)));
    expect(throttled(gateways.flatMap((g) => g.calls))).toBeGreaterThan(0);
  });

  it("waits before it would be throttled once it knows the bucket", async () => {
    const { gw, calls } = smallGateway();
    await gw.mutate(FulfillmentOrderReleaseHoldDocument, missing(0));

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, n) => gw.mutate(FulfillmentOrderReleaseHoldDocument, missing(n + 1))),
    );

    expect(results).toEqual(Array(20).fill(expect.objectContaining(NOT_FOUND)));
    expect(throttled(calls)).toBe(0);
    expect(calls).toHaveLength(21);
  });
});
