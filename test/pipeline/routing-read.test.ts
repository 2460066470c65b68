import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startPipeline, type Pipeline } from "./harness";
import { orderOnShopify, records } from "./story";

const SHOP = "two-locations.myshopify.com";

/**
 * Routing's cut-down read (BackorderRoutedOrder) takes the lines from the routed fulfillment order, which
 * holds every unfulfilled line only when it is the order's one fulfillment order. An order routed to two
 * locations must still have every backordered line detected and held, at both.
 */
describe("routing's read of an order split over two locations", () => {
  let pipeline: Pipeline;
  let order: { id: number; name: string };

  beforeAll(async () => {
    pipeline = await startPipeline();
    const { locationId } = await pipeline.install(SHOP, { allocationPolicy: "fifo", allocationWindow: "immediate" });
    const overflow = await pipeline.shopify.control.addLocation(SHOP, "Overflow");
    const stocked = (title: string, sku: string, at: number) =>
      pipeline.shopify.control.createProduct(SHOP, {
        title,
        variants: [{ sku, price: "20.00", inventoryPolicy: "CONTINUE", tracked: true, available: { [String(at)]: 0 } }],
      });
    const board = await stocked("Board", "BOARD", locationId);
    const knife = await stocked("Knife", "KNIFE", overflow.id);
    order = await pipeline.shopify.control.placeOrder(SHOP, {
      customer: { email: "split@example.com" },
      lines: [
        { variantId: board.variants[0]!.id, quantity: 2 },
        { variantId: knife.variants[0]!.id, quantity: 1 },
      ],
    });
    await pipeline.drain();
  });

  afterAll(async () => {
    await pipeline.stop();
  });

  it("reads the order whole and holds the waiting units on both fulfillment orders", async () => {
    expect((await pipeline.shopify.control.fulfillmentOrders(SHOP, order.id)).length).toBe(2);
    expect(await orderOnShopify(pipeline, SHOP, order)).toEqual({ name: order.name, released: 0, held: 3, holds: 2 });
    expect((await records(SHOP)).lines.map((line) => [line.order, line.backordered]).sort()).toEqual([
      [order.name, 1],
      [order.name, 2],
    ]);
    expect(pipeline.calls.filter((call) => call.shop === SHOP).map((call) => call.operation)).toContain(
      "BackorderOrder",
    );
  });
});
