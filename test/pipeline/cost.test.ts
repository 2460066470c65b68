import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startPipeline, type AdminCall, type Pipeline } from "./harness";
import { records } from "./story";

const SHOP = "cost.myshopify.com";
const ORDERS = 10;

/**
 * What one backordered order costs in Admin calls and points, counted from Local Shopify's own answers
 * (`extensions.cost.actualQueryCost`): routing's read of the order, and one request with the hold, the tag,
 * the metafields and the Flow trigger. Every other webhook of the order (its create, its own updates, the
 * inventory level its commit moved) is answered without an Admin call.
 */
describe("Admin calls and cost per backordered order", () => {
  let pipeline: Pipeline;
  let calls: AdminCall[];

  beforeAll(async () => {
    pipeline = await startPipeline();
    const { locationId } = await pipeline.install(SHOP, { allocationPolicy: "fifo", allocationWindow: "immediate" });
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
    expect(Object.keys(byOperation).sort()).toEqual(["BackorderHold", "BackorderOrderByFulfillmentOrder"]);
  });
});
