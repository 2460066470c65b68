import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import db from "~/db.server";
import { flowEventsOf } from "~/models/flow-events.server";

import { startPipeline, type Pipeline } from "./harness";
import { orderOnShopify } from "./story";

/**
 * Flow triggers fire at most once per event although they travel in combined and batched mutations that can
 * fail in part: Local Shopify fails one field of the request (graphql/field-faults.ts), the job retries, and
 * every order still gets exactly one trigger per event, with its other effects all applied.
 */
describe("effects that cannot double", () => {
  let pipeline: Pipeline;
  let shopIndex = 0;
  let shop: string;
  let locationId: number;
  let variantId: number;
  let inventoryItemId: number;

  const triggersPerOrder = async (handle: string) => {
    const counts: Record<number, number> = {};
    for (const trigger of await pipeline.shopify.control.flowTriggers(shop)) {
      if (trigger.handle !== handle) continue;
      const orderId = (trigger.payload as { order_id: number }).order_id;
      counts[orderId] = (counts[orderId] ?? 0) + 1;
    }
    return counts;
  };
  const allocatedEvents = async () =>
    (await flowEventsOf(db, shop))
      .filter((event) => event.handle === "backorder-allocated")
      .map((event) => [(JSON.parse(event.payload) as { order_id: number }).order_id, event.status])
      .sort((a, b) => Number(a[0]) - Number(b[0]));
  const placeOrders = async (count: number) => {
    const orders = [];
    for (let i = 0; i < count; i++) {
      orders.push(
        await pipeline.shopify.control.placeOrder(shop, {
          customer: { email: `c${i}@example.com` },
          lines: [{ variantId, quantity: 1 }],
        }),
      );
    }
    return orders;
  };

  beforeAll(async () => {
    pipeline = await startPipeline();
  });
  afterAll(async () => {
    await pipeline.stop();
  });
  beforeEach(async () => {
    shop = `effects-once-${++shopIndex}.myshopify.com`;
    ({ locationId } = await pipeline.install(shop, { allocationPolicy: "fifo", allocationWindow: "immediate" }));
    const product = await pipeline.shopify.control.createProduct(shop, {
      title: "Kettle",
      variants: [
        { sku: "KETTLE", price: "30.00", inventoryPolicy: "CONTINUE", tracked: true, available: { [locationId]: 0 } },
      ],
    });
    variantId = product.variants[0]!.id;
    inventoryItemId = product.variants[0]!.inventoryItemId;
    await pipeline.turnOnWorkflows(shop);
  });

  it("fires 'backorder created' once when the hold request fails after the trigger ran (internal error)", async () => {
    await pipeline.shopify.control.setFaults({
      api: { mutationFieldFailures: [{ field: "orderUpdate", operation: "BackorderHold", mode: "internal" }] },
    });
    const [order] = await placeOrders(1);
    await pipeline.drain();
    expect(await triggersPerOrder("backorder-created")).toEqual({ [order!.id]: 1 });
    expect(await orderOnShopify(pipeline, shop, order!)).toMatchObject({ held: 1, holds: 1 });
    const state = await pipeline.shopify.control.fulfillmentOrders(shop, order!.id);
    expect(state.every((fo) => fo.status === "ON_HOLD")).toBe(true);
  });

  it("fires 'backorder created' once when another field of the hold request answers a userError", async () => {
    await pipeline.shopify.control.setFaults({
      api: { mutationFieldFailures: [{ field: "tagsAdd", operation: "BackorderHold", mode: "userError" }] },
    });
    const [order] = await placeOrders(1);
    await pipeline.drain();
    expect(await triggersPerOrder("backorder-created")).toEqual({ [order!.id]: 1 });
  });

  it("sends 'backorder created' again when the hold request failed before the trigger ran", async () => {
    await pipeline.shopify.control.setFaults({
      api: { mutationFieldFailures: [{ field: "fulfillmentOrderHold", operation: "BackorderHold", mode: "internal" }] },
    });
    const [order] = await placeOrders(1);
    await pipeline.drain();
    expect(await triggersPerOrder("backorder-created")).toEqual({ [order!.id]: 1 });
    expect(await orderOnShopify(pipeline, shop, order!)).toMatchObject({ held: 1, holds: 1 });
  });

  it("runs one job per event when Shopify delivers each event again under a new webhook id", async () => {
    await pipeline.shopify.control.setFaults({ webhooks: { redeliverRate: 1 } });
    const orders = await placeOrders(2);
    await pipeline.drain();
    await pipeline.shopify.control.adjustInventory(shop, { inventoryItemId, locationId, delta: 2 });
    await pipeline.drain();
    await pipeline.shopify.control.setFaults({ webhooks: { redeliverRate: 0 } });
    const log = (await pipeline.shopify.control.webhookLog({ shop })).filter((e) => e.outcome === "delivered");
    const events = new Set(log.map((e) => `${e.topic} ${e.eventId}`));
    expect(new Set(log.map((e) => e.webhookId)).size).toBe(2 * events.size);
    const webhookJobs = await db.job.count({ where: { shop, type: { startsWith: "webhook:" } } });
    expect(webhookJobs).toBe(events.size);
    expect(await triggersPerOrder("backorder-created")).toEqual(Object.fromEntries(orders.map((o) => [o.id, 1])));
    expect(await triggersPerOrder("backorder-allocated")).toEqual(Object.fromEntries(orders.map((o) => [o.id, 1])));
  });

  it("keeps a trigger Flow refused as refused, and sends each other one of the batch once", async () => {
    const orders = await placeOrders(4);
    await pipeline.drain();
    await pipeline.shopify.control.setFaults({
      api: { mutationFieldFailures: [{ field: "flowTriggerReceive", mode: "userError", skip: 2 }] },
    });
    await pipeline.shopify.control.adjustInventory(shop, { inventoryItemId, locationId, delta: 4 });
    await pipeline.drain();
    const ids = orders.map((order) => order.id);
    expect(await triggersPerOrder("backorder-allocated")).toEqual({ [ids[0]!]: 1, [ids[1]!]: 1, [ids[3]!]: 1 });
    expect(await allocatedEvents()).toEqual([
      [ids[0], "sent"],
      [ids[1], "sent"],
      [ids[2], "refused"],
      [ids[3], "sent"],
    ]);
    for (const order of orders) expect(await orderOnShopify(pipeline, shop, order)).toMatchObject({ released: 1 });
  });

  it("never sends a batch again whose answer was an internal error: at most once, even for the triggers lost", async () => {
    const orders = await placeOrders(4);
    await pipeline.drain();
    await pipeline.shopify.control.setFaults({
      api: { mutationFieldFailures: [{ field: "flowTriggerReceive", mode: "internal", skip: 2 }] },
    });
    await pipeline.shopify.control.adjustInventory(shop, { inventoryItemId, locationId, delta: 4 });
    await pipeline.drain();
    const ids = orders.map((order) => order.id);
    // The two before the error started their workflows; Shopify's answer could not say so, and nothing is resent.
    expect(await triggersPerOrder("backorder-allocated")).toEqual({ [ids[0]!]: 1, [ids[1]!]: 1 });
    expect((await allocatedEvents()).map(([, status]) => status)).toEqual(["sending", "sending", "sending", "sending"]);
    for (const order of orders) expect(await orderOnShopify(pipeline, shop, order)).toMatchObject({ released: 1 });
  });
});
