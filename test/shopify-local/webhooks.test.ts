import "@shopify/shopify-app-remix/adapters/node";
import { readdirSync, readFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { ApiVersion, LogSeverity } from "@shopify/shopify-api";
import { shopifyApp } from "@shopify/shopify-app-remix/server";
import type { Session } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalShopify, type LocalShopify } from "./server";
import { adminGraphql, EVERY_TOPIC_TOML, startWebhookSink } from "./testing";
import { shapeDifferences } from "./webhooks/shape";

const SECRET = "webhook-test-secret";
const FIXTURES = new URL("../fixtures/webhooks/", import.meta.url).pathname;

/** The app side, as Shopify's own library checks it: HMAC over the raw body and the required headers. */
const sessions = new Map<string, Session>();
const app = shopifyApp({
  apiKey: "local-api-key",
  apiSecretKey: SECRET,
  appUrl: "https://backorder-keeper.example.com",
  apiVersion: ApiVersion.October26,
  scopes: ["read_orders"],
  logger: { level: LogSeverity.Error },
  sessionStorage: {
    storeSession: async (session: Session) => Boolean(sessions.set(session.id, session)),
    loadSession: async (id: string) => sessions.get(id),
    deleteSession: async (id: string) => sessions.delete(id),
    deleteSessions: async (ids: string[]) => ids.every((id) => sessions.delete(id)),
    findSessionsByShop: async (shop: string) => [...sessions.values()].filter((s) => s.shop === shop),
  },
});

async function authenticate(request: IncomingMessage, rawBody: string) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) if (typeof value === "string") headers.set(name, value);
  try {
    const context = await app.authenticate.webhook(
      new Request(`https://backorder-keeper.example.com${request.url}`, { method: "POST", headers, body: rawBody }),
    );
    return {
      status: 200,
      topic: context.topic,
      shop: context.shop,
      webhookId: context.webhookId,
      apiVersion: context.apiVersion,
    };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status };
    throw thrown;
  }
}

let local: LocalShopify;
let sink: Awaited<ReturnType<typeof startWebhookSink>>;
const verdicts: Awaited<ReturnType<typeof authenticate>>[] = [];
let shopCounter = 0;
const SLOW_SHOP = "slow.myshopify.com";
let slowAnswered = false;

beforeAll(async () => {
  sink = await startWebhookSink(async (request, _response, rawBody) => {
    if (request.headers["x-shopify-shop-domain"] === SLOW_SHOP && !slowAnswered) {
      slowAnswered = true;
      await new Promise((resolve) => setTimeout(resolve, 5_500));
    }
    const verdict = await authenticate(request, rawBody);
    verdicts.push(verdict);
    return verdict.status;
  });
  local = await startLocalShopify({
    apiSecret: SECRET,
    appUrl: sink.url,
    appToml: EVERY_TOPIC_TOML,
    timeScale: 0.001,
    faults: { seed: 7 },
  });
});
afterAll(async () => {
  await local.stop();
  await sink.stop();
});

/** Drives a shop through every topic Local Shopify sends. */
async function exerciseEveryTopic() {
  const shop = await local.control.createShop({
    domain: `hooks-${++shopCounter}.myshopify.com`,
    scopes: ["read_orders"],
    locations: ["Main", "Backroom"],
  });
  const location = shop.locations[0]!;
  const backroom = shop.locations[1]!;
  const product = await local.control.createProduct(shop.domain, {
    title: "Lamp",
    tags: ["lighting"],
    variants: [
      { sku: "LAMP", price: "49.50", inventoryPolicy: "CONTINUE", available: { [location.id]: 1, [backroom.id]: 0 } },
    ],
  });
  const order = await local.control.placeOrder(shop.domain, {
    customer: { email: "grace@example.com", firstName: "Grace", lastName: "Hopper" },
    lines: [{ variantId: product.variants[0]!.gid, quantity: 4 }],
    tags: ["web"],
  });
  await local.control.settle();
  const gql = (query: string, variables: Record<string, unknown> = {}) =>
    adminGraphql(local.origin, shop.accessToken, query, variables);
  const fos = await gql(
    `query($id: ID!) { order(id: $id) { fulfillmentOrders(first: 1) { nodes { id lineItems(first: 1) { nodes { id } } } } } }`,
    { id: order.gid },
  );
  const fo = fos.json.data.order.fulfillmentOrders.nodes[0];
  const lineId = fo.lineItems.nodes[0].id;
  const split = await gql(
    `mutation($id: ID!, $line: ID!) { fulfillmentOrderSplit(fulfillmentOrderSplits: [{ fulfillmentOrderId: $id, fulfillmentOrderLineItems: [{ id: $line, quantity: 1 }] }]) {
      fulfillmentOrderSplits { remainingFulfillmentOrder { id } } userErrors { message } } }`,
    { id: fo.id, line: lineId },
  );
  const splitOff = split.json.data.fulfillmentOrderSplit.fulfillmentOrderSplits[0].remainingFulfillmentOrder.id;
  await gql(
    `mutation($a: ID!, $b: ID!) { fulfillmentOrderMerge(fulfillmentOrderMergeInputs: [{ mergeIntents: [{ fulfillmentOrderId: $a }, { fulfillmentOrderId: $b }] }]) { userErrors { message } } }`,
    {
      a: fo.id,
      b: splitOff,
    },
  );
  const held = await gql(
    `mutation($id: ID!) { fulfillmentOrderHold(id: $id, fulfillmentHold: { reason: INVENTORY_OUT_OF_STOCK, handle: "bo" }) { fulfillmentHold { id } userErrors { message } } }`,
    { id: fo.id },
  );
  await gql(
    `mutation($id: ID!, $h: [ID!]) { fulfillmentOrderReleaseHold(id: $id, holdIds: $h) { userErrors { message } } }`,
    { id: fo.id, h: [held.json.data.fulfillmentOrderHold.fulfillmentHold.id] },
  );
  await local.control.fulfil(shop.domain, Number(fo.id.split("/").pop()), [
    { id: Number(lineId.split("/").pop()), quantity: 1 },
  ]);
  const edit = await gql(
    `mutation($id: ID!) { orderEditBegin(id: $id) { calculatedOrder { id lineItems(first: 1) { nodes { id } } } } }`,
    { id: order.gid },
  );
  const calculated = edit.json.data.orderEditBegin.calculatedOrder;
  await gql(
    `mutation($id: ID!, $line: ID!) { orderEditSetQuantity(id: $id, lineItemId: $line, quantity: 3, restock: true) { userErrors { message } } }`,
    { id: calculated.id, line: calculated.lineItems.nodes[0].id },
  );
  await gql(`mutation($id: ID!) { orderEditCommit(id: $id) { userErrors { message } } }`, { id: calculated.id });
  await gql(`mutation($id: ID!) { tagsAdd(id: $id, tags: ["sale"]) { userErrors { message } } }`, { id: product.gid });
  await local.control.fulfil(shop.domain, Number(fo.id.split("/").pop()));
  const second = await local.control.placeOrder(shop.domain, {
    lines: [{ variantId: product.variants[0]!.gid, quantity: 1 }],
  });
  await local.control.settle();
  const [secondFo] = await local.control.fulfillmentOrders(shop.domain, second.id);
  await gql(
    `mutation($id: ID!, $to: ID!) { fulfillmentOrderMove(id: $id, newLocationId: $to) { movedFulfillmentOrder { id } userErrors { message } } }`,
    { id: secondFo!.gid, to: backroom.gid },
  );
  await local.control.cancelOrder(shop.domain, second.id, { reason: "CUSTOMER", restock: true });
  await gql(
    `mutation { bulkOperationRunQuery(query: "{ orders { edges { node { id } } } }", groupObjects: false) { userErrors { message } } }`,
  );
  await local.control.settle();
  await local.control.updateScopes(shop.domain, ["read_orders", "write_orders"]);
  await local.control.customerCompliance(shop.domain, order.customerId!, "data-request");
  await local.control.customerCompliance(shop.domain, order.customerId!, "redact");
  await local.control.redactShop(shop.domain);
  await local.control.uninstall(shop.domain);
  await local.control.settle();
  return shop;
}

/** Where `actual` differs from `sample` in keys or JSON types; nulls and empty lists match anything. */

describe("webhooks (parity rows W1–W4)", () => {
  let shopDomain: string;
  beforeAll(async () => {
    shopDomain = (await exerciseEveryTopic()).domain;
  });

  it("W1: every delivery passes @shopify/shopify-app-remix's authenticate.webhook", async () => {
    const log = await local.control.webhookLog({ shop: shopDomain });
    const delivered = sink.received.filter((r) => r.headers["x-shopify-shop-domain"] === shopDomain);
    expect(delivered.length).toBe(log.length);
    expect(new Set(delivered.map((r) => r.headers["x-shopify-topic"]))).toEqual(
      new Set([
        "products/create",
        "inventory_levels/update",
        "orders/create",
        "fulfillment_orders/order_routing_complete",
        "fulfillment_orders/split",
        "fulfillment_orders/merged",
        "fulfillment_orders/moved",
        "fulfillment_orders/cancelled",
        "fulfillment_orders/placed_on_hold",
        "fulfillment_orders/hold_released",
        "orders/partially_fulfilled",
        "orders/fulfilled",
        "orders/updated",
        "orders/edited",
        "products/update",
        "orders/cancelled",
        "app/scopes_update",
        "app/uninstalled",
        "customers/data_request",
        "customers/redact",
        "shop/redact",
        "bulk_operations/finish",
      ]),
    );
    const mine = verdicts.filter((v) => "shop" in v && v.shop === shopDomain);
    expect(mine.length).toBe(delivered.length);
    expect(mine.every((v) => v.status === 200 && v.apiVersion === "2026-10")).toBe(true);
    expect(log.every((e) => e.outcome === "delivered" && e.status === 200)).toBe(true);
    const first = delivered[0]!;
    expect(
      Object.keys(first.headers)
        .filter((h) => h.startsWith("x-shopify-"))
        .sort(),
    ).toEqual([
      "x-shopify-api-version",
      "x-shopify-event-id",
      "x-shopify-hmac-sha256",
      "x-shopify-shop-domain",
      "x-shopify-topic",
      "x-shopify-triggered-at",
      "x-shopify-webhook-id",
    ]);
  });

  it("W1b: a body altered after signing is refused by the library with 401", async () => {
    const request = sink.received.find((r) => r.headers["x-shopify-shop-domain"] === shopDomain)!;
    const headers = new Headers(
      Object.entries(request.headers).filter((e): e is [string, string] => typeof e[1] === "string"),
    );
    const thrown = await app.authenticate
      .webhook(
        new Request("https://backorder-keeper.example.com/webhooks", {
          method: "POST",
          headers,
          body: request.rawBody.replace(/}$/, ',"x":1}'),
        }),
      )
      .catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(401);
  });

  it("W2: every payload has the keys and value types of Shopify's published sample for its topic", async () => {
    const samples = readdirSync(FIXTURES).filter((f) => f.endsWith(".json"));
    const log = await local.control.webhookLog({ shop: shopDomain });
    const checked: string[] = [];
    for (const topic of new Set(log.map((e) => e.topic))) {
      const file = samples.find((f) => f.startsWith(`${topic.replace("/", "-")}.`));
      if (!file) continue;
      const sample = JSON.parse(readFileSync(FIXTURES + file, "utf8"));
      for (const entry of log.filter((e) => e.topic === topic)) {
        expect({ topic, differences: shapeDifferences(sample, JSON.parse(entry.body)) }).toEqual({
          topic,
          differences: [],
        });
      }
      checked.push(topic);
    }
    expect(checked.length).toBe(new Set(log.map((e) => e.topic)).size);
  });

  it("W3: a failed delivery is retried with the same webhook id until the app answers 2xx", async () => {
    sink.statuses.push(500, 503);
    const shop = await local.control.createShop({ domain: `retry-${++shopCounter}.myshopify.com` });
    await local.control.uninstall(shop.domain);
    await local.control.settle();
    const log = await local.control.webhookLog({ shop: shop.domain });
    expect(log.map((e) => [e.topic, e.attempt, e.outcome, e.status])).toEqual([
      ["app/uninstalled", 1, "failed", 500],
      ["app/uninstalled", 2, "failed", 503],
      ["app/uninstalled", 3, "delivered", 200],
    ]);
    expect(new Set(log.map((e) => e.webhookId)).size).toBe(1);
  });

  it("W3b: an app that takes more than 5 s to answer has failed, and is retried", { timeout: 20_000 }, async () => {
    await local.control.createShop({ domain: SLOW_SHOP });
    await local.control.uninstall(SLOW_SHOP);
    await local.control.settle();
    const log = await local.control.webhookLog({ shop: SLOW_SHOP });
    expect(log.map((e) => [e.attempt, e.outcome, e.status, e.error])).toEqual([
      [1, "failed", null, "no response within 5000 ms"],
      [2, "delivered", 200, null],
    ]);
  });

  it("W4: fault injection duplicates and drops deliveries, by share or by topic", async () => {
    await local.control.setFaults({ webhooks: { duplicateRate: 1 } });
    const dup = await local.control.createShop({ domain: `dup-${++shopCounter}.myshopify.com` });
    await local.control.uninstall(dup.domain);
    await local.control.settle();
    const twice = sink.received.filter((r) => r.headers["x-shopify-shop-domain"] === dup.domain);
    expect(twice.length).toBe(2);
    expect(twice[0]!.headers["x-shopify-webhook-id"]).toBe(twice[1]!.headers["x-shopify-webhook-id"]);

    await local.control.setFaults({ webhooks: { duplicateRate: 0, dropRate: 1 } });
    const dropped = await local.control.createShop({ domain: `drop-${++shopCounter}.myshopify.com` });
    await local.control.uninstall(dropped.domain);
    await local.control.settle();
    expect(sink.received.filter((r) => r.headers["x-shopify-shop-domain"] === dropped.domain)).toEqual([]);
    expect((await local.control.webhookLog({ shop: dropped.domain })).map((e) => e.outcome)).toEqual(["dropped"]);
    await local.control.setFaults({ webhooks: { dropRate: 0 } });

    // One topic lost for good, the others still delivered.
    await local.control.setFaults({ webhooks: { dropTopics: ["app/uninstalled"] } });
    const lost = await local.control.createShop({ domain: `lost-${++shopCounter}.myshopify.com` });
    await local.control.uninstall(lost.domain);
    await local.control.redactShop(lost.domain);
    await local.control.settle();
    await local.control.setFaults({ webhooks: { dropTopics: [] } });
    expect(
      sink.received
        .filter((r) => r.headers["x-shopify-shop-domain"] === lost.domain)
        .map((r) => r.headers["x-shopify-topic"]),
    ).toEqual(["shop/redact"]);
    expect((await local.control.webhookLog({ shop: lost.domain })).map((e) => [e.topic, e.outcome])).toEqual([
      ["app/uninstalled", "dropped"],
      ["shop/redact", "delivered"],
    ]);
  });

  it("W6: fault injection delivers an event again under a new webhook id with the same event id", async () => {
    await local.control.setFaults({ webhooks: { redeliverRate: 1 } });
    const again = await local.control.createShop({ domain: `again-${++shopCounter}.myshopify.com` });
    await local.control.uninstall(again.domain);
    await local.control.settle();
    await local.control.setFaults({ webhooks: { redeliverRate: 0 } });
    const twice = sink.received.filter((r) => r.headers["x-shopify-shop-domain"] === again.domain);
    expect(twice.map((r) => r.headers["x-shopify-topic"])).toEqual(["app/uninstalled", "app/uninstalled"]);
    expect(twice[0]!.headers["x-shopify-webhook-id"]).not.toBe(twice[1]!.headers["x-shopify-webhook-id"]);
    expect(twice[0]!.headers["x-shopify-event-id"]).toBe(twice[1]!.headers["x-shopify-event-id"]);
    expect(twice[0]!.rawBody).toBe(twice[1]!.rawBody);
    const log = await local.control.webhookLog({ shop: again.domain });
    expect(new Set(log.map((e) => e.webhookId)).size).toBe(2);
  });
});
