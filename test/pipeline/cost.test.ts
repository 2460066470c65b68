import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startPipeline, type AdminCall, type Pipeline } from "./harness";
import { records } from "./story";

const SHOP = "cost.myshopify.com";
const ORDERS = 10;

/**
 * What one backordered order costs in Admin calls and points, counted from Local Shopify's own answers
 * (`extensions.cost.actualQueryCost`): routing's read of the order (9 points for one line), and one request
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
    // Flow is on (the default) and a workflow uses the trigger: 16 for the read (9, + 7 for the fulfillment
    // order's location and the item's level there), 40 for hold + tagsAdd + orderUpdate + Flow, and the date once.
    expect(byOperation).toEqual({
      BackorderRoutedOrder: { calls: ORDERS, points: 16 * ORDERS },
      BackorderHold: { calls: ORDERS, points: 40 * ORDERS + 12 },
    });
  });
});
