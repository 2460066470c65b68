import { readFileSync } from "node:fs";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  IncomingPayloads,
  inventoryItemGid,
  lineProductsFromPayload,
  parseWebhookPayload,
  reducedPayload,
  TOPIC_PAYLOADS,
  type PayloadTopic,
} from "~/services/webhook-payloads";

import { startLocalShopify, type LocalShopify } from "../shopify-local/server";
import { adminGraphql, startWebhookSink } from "../shopify-local/testing";

/** Topics Local Shopify delivers in the scenario below, parsed as their jobs parse them. */
const TOPICS = [
  "orders/updated",
  "orders/cancelled",
  "fulfillment_orders/order_routing_complete",
  "fulfillment_orders/hold_released",
  "inventory_levels/update",
  "products/update",
] as const;

/** Every topic whose job reads its payload (the one map the door and the jobs use) has Shopify's sample here. */
const SAMPLED = Object.keys(TOPIC_PAYLOADS) as PayloadTopic[];

const sample = (topic: string) =>
  readFileSync(new URL(`../fixtures/webhooks/${topic.replace("/", "-")}.2026-07.json`, import.meta.url), "utf8");

/** Incoming-stock topics: their samples are checked here; Local Shopify's deliveries in shopify-local N5. */
const INCOMING = Object.keys(IncomingPayloads) as (keyof typeof IncomingPayloads)[];

describe("the pipeline's payload parsers", () => {
  it.each(INCOMING)("read Shopify's %s sample, raw and reduced, as the shipment or transfer it names", (topic) => {
    const parsed = parseWebhookPayload(topic, sample(topic));
    expect(parsed).toEqual(parseWebhookPayload(topic, reducedPayload(topic, sample(topic))));
    expect(JSON.stringify(parsed)).toMatch(/gid:\/\/shopify\/Inventory(Shipment|Transfer)\/\d+/);
  });

  it.each(SAMPLED)("read Shopify's published %s sample", (topic) => {
    expect(() => parseWebhookPayload(topic, sample(topic))).not.toThrow();
  });

  it.each(TOPICS)("read the reduced %s payload as they read the raw one, and it names no one", (topic) => {
    const reduced = reducedPayload(topic, sample(topic));
    expect(parseWebhookPayload(topic, reduced)).toEqual(parseWebhookPayload(topic, sample(topic)));
    expect(reduced).not.toMatch(/@|email|phone|address|first_name|last_name|customer|browser_ip|note/i);
  });

  it("keep each line's product in the reduced orders/create payload, and drop what is not JSON", () => {
    const reduced = reducedPayload("orders/create", sample("orders/create"));
    expect(lineProductsFromPayload(reduced)).toEqual(lineProductsFromPayload(sample("orders/create")));
    expect(reduced).not.toMatch(/@|email|phone|address|first_name|last_name|customer|browser_ip/i);
    expect(reducedPayload("orders/create", "not json")).toBe("{}");
  });

  it("read inventory_item_id above 2^53 exactly from the raw sample", () => {
    const raw = sample("inventory_levels/update");
    expect(inventoryItemGid(raw)).toBe("gid://shopify/InventoryItem/271878346596884015");
    expect(parseWebhookPayload("inventory_levels/update", raw)).toEqual({ available: 10 });
  });

  it("read each line's product from an order payload, ids above 2^53 exactly, custom lines left out", () => {
    expect(lineProductsFromPayload(sample("orders/create"))).toEqual(
      new Map([
        ["gid://shopify/LineItem/487817672276298554", "gid://shopify/Product/788032119674292922"],
        ["gid://shopify/LineItem/976318377106520349", "gid://shopify/Product/788032119674292922"],
        ["gid://shopify/LineItem/315789986012684393", "gid://shopify/Product/788032119674292922"],
      ]),
    );
    expect(lineProductsFromPayload('{"id": 1}')).toEqual(new Map());
  });

  it("name the field and the topic when a payload lacks what they need", () => {
    expect(() => parseWebhookPayload("orders/cancelled", '{"id": 1}')).toThrow(
      "orders/cancelled payload: admin_graphql_api_id Invalid input: expected string, received undefined",
    );
  });
});

describe("Local Shopify's deliveries", () => {
  let local: LocalShopify;
  let sink: Awaited<ReturnType<typeof startWebhookSink>>;
  let productGid: string;

  beforeAll(async () => {
    sink = await startWebhookSink();
    local = await startLocalShopify({ apiSecret: "payload-secret", appUrl: sink.url, timeScale: 0.001 });
    const shop = await local.control.createShop({ domain: "payloads.myshopify.com", scopes: ["read_orders"] });
    const location = shop.locations[0]!;
    const product = await local.control.createProduct(shop.domain, {
      title: "Trail shoe",
      variants: [{ sku: "SHOE-42", price: "120.00", inventoryPolicy: "CONTINUE", available: { [location.id]: 1 } }],
    });
    productGid = product.gid;
    const order = await local.control.placeOrder(shop.domain, {
      lines: [{ variantId: product.variants[0]!.gid, quantity: 3 }],
    });
    await local.control.settle();
    const gql = (query: string, variables: Record<string, unknown> = {}) =>
      adminGraphql(local.origin, shop.accessToken, query, variables);
    const fos = await gql(`query($id: ID!) { order(id: $id) { fulfillmentOrders(first: 1) { nodes { id } } } }`, {
      id: order.gid,
    });
    const fulfillmentOrderId = fos.json.data.order.fulfillmentOrders.nodes[0].id;
    const held = await gql(
      `mutation($id: ID!) { fulfillmentOrderHold(id: $id, fulfillmentHold: { reason: INVENTORY_OUT_OF_STOCK, handle: "bo" }) { fulfillmentHold { id } userErrors { message } } }`,
      { id: fulfillmentOrderId },
    );
    await gql(
      `mutation($id: ID!, $h: [ID!]) { fulfillmentOrderReleaseHold(id: $id, holdIds: $h) { userErrors { message } } }`,
      { id: fulfillmentOrderId, h: [held.json.data.fulfillmentOrderHold.fulfillmentHold.id] },
    );
    await gql(`mutation($id: ID!) { tagsAdd(id: $id, tags: ["backordered"]) { userErrors { message } } }`, {
      id: order.gid,
    });
    await gql(`mutation($id: ID!) { tagsAdd(id: $id, tags: ["running"]) { userErrors { message } } }`, {
      id: product.gid,
    });
    await local.control.cancelOrder(shop.domain, order.id, { reason: "CUSTOMER", restock: true });
    await local.control.settle();
  });

  afterAll(async () => {
    await local.stop();
    await sink.stop();
  });

  it("of orders/create name each line's product as the Admin API does", () => {
    const [created] = sink.received.filter((delivery) => delivery.headers["x-shopify-topic"] === "orders/create");
    const products = [...lineProductsFromPayload(created!.rawBody).values()];
    expect(products).toEqual([productGid]);
  });

  it.each(TOPICS)("of %s parse with the same code", (topic) => {
    const deliveries = sink.received.filter((delivery) => delivery.headers["x-shopify-topic"] === topic);
    expect(deliveries.length, `no ${topic} delivery was sent`).toBeGreaterThan(0);
    for (const delivery of deliveries) expect(() => parseWebhookPayload(topic, delivery.rawBody)).not.toThrow();
  });
});
