import { afterAll, beforeAll, describe, expect, it } from "vitest";

import db from "~/db.server";

import { startPipeline, type Pipeline } from "./harness";
import { orderOnShopify, records } from "./story";

const NORTH = "north.myshopify.com";
const SOUTH = "south.myshopify.com";

/** Two shops on one app: one shop's deliveries and jobs never read or change the other's rows. */
describe("tenant isolation", () => {
  let pipeline: Pipeline;
  const orders: Record<string, { id: number; gid: string; name: string }[]> = { [NORTH]: [], [SOUTH]: [] };

  beforeAll(async () => {
    pipeline = await startPipeline();
    for (const shop of [NORTH, SOUTH]) {
      const { locationId } = await pipeline.install(shop, { allocationPolicy: "fifo", allocationWindow: "immediate" });
      const product = await pipeline.shopify.control.createProduct(shop, {
        title: "Same product, other shop",
        variants: [
          {
            sku: "SAME",
            price: "10.00",
            inventoryPolicy: "CONTINUE",
            tracked: true,
            available: { [String(locationId)]: 1 },
          },
        ],
      });
      for (const email of ["a@example.com", "b@example.com"]) {
        orders[shop]!.push(
          await pipeline.shopify.control.placeOrder(shop, {
            customer: { email },
            lines: [{ variantId: product.variants[0]!.id, quantity: 2 }],
          }),
        );
      }
    }
    await pipeline.drain();
  });

  afterAll(async () => {
    await pipeline.stop();
  });

  it("keeps each shop's records to itself", async () => {
    for (const shop of [NORTH, SOUTH]) {
      expect((await records(shop)).lines.map((line) => [line.order, line.shipped, line.backordered])).toEqual([
        ["#1001", 1, 1],
        ["#1002", 0, 2],
      ]);
    }
    const rows = await db.backorderLine.findMany();
    for (const row of rows) expect(orders[row.shop]!.map((order) => order.gid)).toContain(row.orderId);
  });

  it("a job of one shop naming the other shop's rows or deliveries changes nothing", async () => {
    const before = { north: await records(NORTH), south: await records(SOUTH) };
    const southLines = await db.backorderLine.findMany({ where: { shop: SOUTH } });
    const southDelivery = await db.webhookDelivery.findFirst({
      where: { shop: SOUTH, topic: "fulfillment_orders/order_routing_complete" },
    });
    await pipeline.enqueue(NORTH, "cancel_remainder", {
      backorderLineIds: southLines.map((line) => line.id),
      reason: "merchant_cancelled",
    });
    await pipeline.enqueue(NORTH, "webhook:fulfillment_orders/order_routing_complete", {
      deliveryId: southDelivery!.id,
    });
    await pipeline.drain();

    const cancel = await db.job.findFirst({ where: { shop: NORTH, type: "cancel_remainder" } });
    expect([cancel!.status, cancel!.lastError]).toEqual(["dead", expect.stringContaining(`not found in ${NORTH}`)]);
    expect(pipeline.outcomes.filter((o) => o.shop === NORTH && o.type.startsWith("webhook:")).at(-1)?.outcome).toEqual({
      kind: "delivery_gone",
    });
    expect({ north: await records(NORTH), south: await records(SOUTH) }).toEqual(before);
    for (const order of orders[SOUTH]!) expect((await orderOnShopify(pipeline, SOUTH, order)).holds).toBe(1);
  });

  it("a restock in one shop releases only that shop's orders", async () => {
    const state = await pipeline.shopify.control.state();
    const south = state.shops.find((shop) => (shop as { domain?: string }).domain === SOUTH) as {
      inventoryItems: { id: number }[];
      locations: { id: number }[];
    };
    await pipeline.shopify.control.adjustInventory(SOUTH, {
      inventoryItemId: south.inventoryItems[0]!.id,
      locationId: south.locations[0]!.id,
      delta: 3,
    });
    await pipeline.drain();
    expect((await records(SOUTH)).lines.map((line) => [line.shipped, line.backordered])).toEqual([
      [2, 0],
      [2, 0],
    ]);
    expect((await records(NORTH)).lines.map((line) => [line.shipped, line.backordered])).toEqual([
      [1, 1],
      [0, 2],
    ]);
    const north = [];
    for (const order of orders[NORTH]!) north.push(await orderOnShopify(pipeline, NORTH, order));
    expect(north.map(({ released, held }) => [released, held])).toEqual([
      [1, 1],
      [0, 2],
    ]);
  });
});
