import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startPipeline, type Pipeline } from "./harness";
import { orderOnShopify, records } from "./story";

/**
 * A restock that covers only part of a held fulfillment order. Shopify offers no SPLIT on an ON_HOLD
 * fulfillment order (its supportedActions), so the app releases its hold and holds the still waiting units
 * again with a partial hold, which splits them from the units that ship.
 */
describe("a restock that releases part of a hold", () => {
  let pipeline: Pipeline;

  beforeAll(async () => {
    pipeline = await startPipeline();
  });

  afterAll(async () => {
    await pipeline.stop();
  });

  it("releasing 2 of 3 units leaves 2 fulfillable and 1 still held under the app's hold", async () => {
    const shop = "partial-release.myshopify.com";
    const { locationId } = await pipeline.install(shop, { allocationPolicy: "fifo", allocationWindow: "immediate" });
    const product = await pipeline.shopify.control.createProduct(shop, {
      title: "Teapot",
      variants: [{ sku: "TEAPOT", price: "25.00", inventoryPolicy: "CONTINUE", tracked: true, available: {} }],
    });
    const variant = product.variants[0]!;
    const order = await pipeline.shopify.control.placeOrder(shop, {
      customer: { email: "a@example.com" },
      lines: [{ variantId: variant.id, quantity: 3 }],
    });
    await pipeline.drain();
    expect(await orderOnShopify(pipeline, shop, order)).toEqual({ name: order.name, released: 0, held: 3, holds: 1 });

    await pipeline.shopify.control.adjustInventory(shop, {
      inventoryItemId: variant.inventoryItemId,
      locationId,
      delta: 2,
    });
    await pipeline.drain();
    expect(await orderOnShopify(pipeline, shop, order)).toEqual({ name: order.name, released: 2, held: 1, holds: 1 });
    const fos = await pipeline.shopify.control.fulfillmentOrders(shop, order.id);
    const held = fos.find((fo) => fo.status === "ON_HOLD")!;
    expect(held.holds.map((h) => h.handle)).toEqual([expect.stringMatching(/^backorder-/)]);
    const [line] = (await records(shop)).lines;
    expect([line!.shipped, line!.backordered]).toEqual([2, 1]);
    // The records name the hold Shopify has now, so the rest is released when stock comes.
    await pipeline.shopify.control.adjustInventory(shop, {
      inventoryItemId: variant.inventoryItemId,
      locationId,
      delta: 1,
    });
    await pipeline.drain();
    expect(await orderOnShopify(pipeline, shop, order)).toEqual({ name: order.name, released: 3, held: 0, holds: 0 });
    const [done] = (await records(shop)).lines;
    expect([done!.shipped, done!.backordered]).toEqual([3, 0]);
  });
});
