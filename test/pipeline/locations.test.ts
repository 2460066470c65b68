import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startPipeline, type Pipeline } from "./harness";
import { orderOnShopify, records } from "./story";

/**
 * Stock is per location: a fulfillment order can ship only what its assigned location has. Local Shopify's
 * checkout routes a CONTINUE line that no location can ship whole to the first location (no split: Shopify
 * splits only lines that stop selling when out of stock), so a shortage there can sit beside stock elsewhere.
 */
describe("stock per location", () => {
  let pipeline: Pipeline;

  beforeAll(async () => {
    pipeline = await startPipeline();
  });

  afterAll(async () => {
    await pipeline.stop();
  });

  async function shopWithTwoLocations(domain: string, atMain: number, atBackroom: number) {
    const { locationId } = await pipeline.install(domain, { allocationPolicy: "fifo", allocationWindow: "immediate" });
    const backroom = await pipeline.shopify.control.addLocation(domain, "Backroom");
    const product = await pipeline.shopify.control.createProduct(domain, {
      title: "Kettle",
      variants: [
        {
          sku: "KETTLE",
          price: "30.00",
          inventoryPolicy: "CONTINUE",
          tracked: true,
          available: { [String(locationId)]: atMain, [String(backroom.id)]: atBackroom },
        },
      ],
    });
    return { locationId, backroom, variant: product.variants[0]! };
  }

  it("holds a shortage at one location that stock at another hides in the sum, and a restock there releases nothing", async () => {
    const shop = "hidden-shortage.myshopify.com";
    const { backroom, variant } = await shopWithTwoLocations(shop, 1, 1);
    const order = await pipeline.shopify.control.placeOrder(shop, {
      customer: { email: "a@example.com" },
      lines: [{ variantId: variant.id, quantity: 2 }],
    });
    await pipeline.drain();
    // Main has 1 of the 2 units; Backroom's unit is not on this fulfillment order's shelf.
    expect(await orderOnShopify(pipeline, shop, order)).toEqual({ name: order.name, released: 1, held: 1, holds: 1 });
    expect((await records(shop)).lines.map((l) => [l.backordered, l.shipped])).toEqual([[1, 1]]);

    await pipeline.shopify.control.adjustInventory(shop, {
      inventoryItemId: variant.inventoryItemId,
      locationId: backroom.id,
      delta: 5,
    });
    await pipeline.drain();
    expect(await orderOnShopify(pipeline, shop, order)).toEqual({ name: order.name, released: 1, held: 1, holds: 1 });
    expect((await records(shop)).lines.map((l) => [l.backordered, l.shipped])).toEqual([[1, 1]]);
  });

  it("a restock at the fulfillment order's own location releases it", async () => {
    const shop = "own-location.myshopify.com";
    const { locationId, variant } = await shopWithTwoLocations(shop, 0, 3);
    // 4 units: no location can ship them whole, so the line goes to Main (first), 4 short there.
    const order = await pipeline.shopify.control.placeOrder(shop, {
      customer: { email: "b@example.com" },
      lines: [{ variantId: variant.id, quantity: 4 }],
    });
    await pipeline.drain();
    expect(await orderOnShopify(pipeline, shop, order)).toEqual({ name: order.name, released: 0, held: 4, holds: 1 });
    await pipeline.shopify.control.adjustInventory(shop, {
      inventoryItemId: variant.inventoryItemId,
      locationId,
      delta: 4,
    });
    await pipeline.drain();
    expect(await orderOnShopify(pipeline, shop, order)).toEqual({ name: order.name, released: 4, held: 0, holds: 0 });
  });

  it("two orders racing for the last unit: only one of them is backordered", async () => {
    const shop = "last-unit.myshopify.com";
    const { variant } = await shopWithTwoLocations(shop, 1, 0);
    // Both placed before the app processes either: Shopify's `available` is -1 when each is read.
    const first = await pipeline.shopify.control.placeOrder(shop, {
      customer: { email: "c@example.com" },
      lines: [{ variantId: variant.id, quantity: 1 }],
    });
    const second = await pipeline.shopify.control.placeOrder(shop, {
      customer: { email: "d@example.com" },
      lines: [{ variantId: variant.id, quantity: 1 }],
    });
    await pipeline.drain();
    expect(await orderOnShopify(pipeline, shop, first)).toEqual({ name: first.name, released: 1, held: 0, holds: 0 });
    expect(await orderOnShopify(pipeline, shop, second)).toEqual({ name: second.name, released: 0, held: 1, holds: 1 });
    // Only the second order was ever backordered: the first has no record, no hold, no "backorder created".
    expect((await records(shop)).lines.map((l) => [l.order, l.backordered])).toEqual([[second.name, 1]]);
  });
});
