import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startPipeline, type AdminCall, type Pipeline } from "./harness";
import { records } from "./story";

const SHOP = "cost.myshopify.com";
const ORDERS = 10;

/**
 * What one backordered order costs in Admin calls and points, counted from Local Shopify's own answers
 * (`extensions.cost.actualQueryCost`): routing's read of the order (13 points for one line at the shop's one
 * location, 19 for the first, which also reads the shop's locations), and one request
 * with the hold, the app's tag (tagsAdd: never replacing the merchant's tags), the order metafield (orderUpdate) and — while a turned-on Flow workflow starts
 * from it — the "backorder created" trigger, at 10 points per mutation field; the variant's storefront date
 * (metafieldsSet, 10 + 2 for its variant owner) only for the first order that changes it. Every other webhook of the order (its create, its own updates, the inventory level its commit
 * moved) is answered without an Admin call.
 */
describe("Admin calls and cost per backordered order", () => {
  let pipeline: Pipeline;
  let calls: AdminCall[];

  beforeAll(async () => {
    pipeline = await startPipeline();
    const { locationId } = await pipeline.install(SHOP, { allocationPolicy: "fifo", allocationWindow: "immediate" });
    await pipeline.turnOnWorkflows(SHOP, ["backorder-created"]);
    const product = await pipeline.shopify.control.createProduct(SHOP, {
      title: "Walnut board",
      variants: [
        {
          sku: "BOARD",
          price: "60.00",
          inventoryPolicy: "CONTINUE",
          tracked: true,
          available: { [String(locationId)]: 0 },
        },
      ],
    });
    for (let i = 0; i < ORDERS; i++) {
      await pipeline.shopify.control.placeOrder(SHOP, {
        customer: { email: `buyer${i}@example.com` },
        lines: [{ variantId: product.variants[0]!.id, quantity: 2 }],
      });
      await pipeline.drain();
    }
    calls = pipeline.calls.filter((call) => call.shop === SHOP);
  });

  afterAll(async () => {
    await pipeline.stop();
  });

  it("is at most 2 calls per backordered order, and prints the points", async () => {
    expect((await records(SHOP)).lines.map((line) => line.backordered)).toEqual(Array(ORDERS).fill(2));
    const points = calls.reduce((sum, call) => sum + (call.actualCost ?? 0), 0);
    const byOperation: Record<string, { calls: number; points: number }> = {};
    for (const call of calls) {
      const entry = (byOperation[call.operation] ??= { calls: 0, points: 0 });
      entry.calls++;
      entry.points += call.actualCost ?? 0;
    }
    console.info(
      `per backordered order: ${(calls.length / ORDERS).toFixed(2)} Admin calls, ${(points / ORDERS).toFixed(1)} cost points ` +
        `(${ORDERS} orders; by operation ${JSON.stringify(byOperation)})`,
    );
    expect(calls.length / ORDERS).toBeLessThanOrEqual(2);
    // Flow is on (the default) and a workflow uses the trigger: 13 for the read (9, + 2 for the fulfillment
    // order's location, + 2 for the item's level at the shop's one location; the first read 19: every level of
    // the item, 16, and the shop's locations, 3), 40 for hold + tagsAdd + orderUpdate + Flow, and the date once.
    expect(byOperation).toEqual({
      BackorderRoutedOrder: { calls: 1, points: 19 },
      BackorderRoutedOrderAt: { calls: ORDERS - 1, points: 13 * (ORDERS - 1) },
      BackorderHold: { calls: ORDERS, points: 40 * ORDERS + 12 },
    });
  });
});
