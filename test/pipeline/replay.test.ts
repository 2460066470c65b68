import { afterEach, describe, expect, it } from "vitest";

import type { WebhookFaults } from "../shopify-local/webhooks/deliverer";
import { startPipeline, type Pipeline } from "./harness";
import { orderOnShopify, records } from "./story";

const SHOP = "replay.myshopify.com";
// Effects applied once per decision whatever the timing: one hold per backordered order, and one
// refund (which also cancels the units) for the expired line. (Splits and releases depend on when each order was first seen, so the check
// for them is that Shopify released exactly the units the records say shipped.)
const EFFECTS = ["BackorderHold", "BackorderRefund"];

/**
 * One story, told twice: once with every webhook delivered once and in order, once with Shopify's worst
 * (duplicates, reordering, drops) followed by reconciliation. Shopify must end in the same state, with the
 * same number of holds, releases and refunds applied.
 */
async function tell(pipeline: Pipeline, faults: WebhookFaults) {
  const { locationId } = await pipeline.install(SHOP, { allocationPolicy: "fifo", allocationWindow: "immediate" });
  const product = await pipeline.shopify.control.createProduct(SHOP, {
    title: "Linen apron",
    variants: [
      {
        sku: "APRON",
        price: "25.00",
        inventoryPolicy: "CONTINUE",
        tracked: true,
        available: { [String(locationId)]: 4 },
      },
    ],
  });
  const variant = product.variants[0]!;
  // The periodic reconciliation, run after each step of the story as the schedule would.
  const settle = async () => {
    await pipeline.drain();
    await pipeline.enqueue(SHOP, "reconcile", {});
    await pipeline.drain();
  };
  await pipeline.shopify.control.setFaults({ webhooks: faults });
  const orders = [];
  for (const [customer, quantity] of [
    ["ann", 3],
    ["bo", 3],
    ["cy", 2],
    ["di", 2],
  ] as const) {
    orders.push(
      await pipeline.shopify.control.placeOrder(SHOP, {
        customer: { email: `${customer}@example.com` },
        lines: [{ variantId: variant.id, quantity }],
      }),
    );
  }
  await settle();
  await pipeline.shopify.control.adjustInventory(SHOP, {
    inventoryItemId: variant.inventoryItemId,
    locationId,
    delta: 3,
  });
  await settle();
  await pipeline.shopify.control.cancelOrder(SHOP, orders[3]!.id, { reason: "CUSTOMER", restock: true });
  await settle();
  await pipeline.shopify.control.advanceClock(31 * 86_400_000);
  await pipeline.enqueue(SHOP, "deadline_sweep", {});
  await settle();

  const shopify = [];
  for (const order of orders) shopify.push(await orderOnShopify(pipeline, SHOP, order));
  const effects = Object.fromEntries(
    EFFECTS.map((operation) => [
      operation,
      pipeline.calls.filter((call) => call.operation === operation && call.status === 200).length,
    ]),
  );
  const log = await pipeline.shopify.control.webhookLog({ shop: SHOP });

  return { shopify, records: await records(SHOP), effects, log };
}

describe("replay with duplicated, reordered and dropped deliveries", () => {
  let pipeline: Pipeline | undefined;
  afterEach(async () => {
    await pipeline?.stop();
    pipeline = undefined;
  });

  it("ends in the same Shopify state as the clean replay, with no effect applied twice", async () => {
    pipeline = await startPipeline({ faults: { seed: 7 } });
    const clean = await tell(pipeline, {});
    await pipeline.stop();

    const { default: db } = await import("~/db.server");
    for (const table of [
      "TimelineEvent",
      "BackorderLine",
      "LostSale",
      "EffectLedger",
      "Job",
      "WebhookDelivery",
      "SyncRun",
      "ShopSettings",
      "Session",
    ]) {
      await db.$executeRawUnsafe(`DELETE FROM "${table}"`);
    }
    pipeline = await startPipeline({ faults: { seed: 11 } });
    const faulty = await tell(pipeline, { duplicateRate: 0.5, reorderWindowMs: 3_000, dropRate: 0.25 });

    const outcomes = (log: typeof faulty.log) => ({
      dropped: log.filter((entry) => entry.outcome === "dropped").length,
      duplicated: log.length - new Set(log.map((entry) => entry.webhookId)).size,
    });
    // The faulty run really was faulty.
    expect(outcomes(faulty.log).dropped).toBeGreaterThan(0);
    expect(outcomes(faulty.log).duplicated).toBeGreaterThan(0);

    expect(faulty.shopify).toEqual(clean.shopify);
    expect(faulty.records).toEqual(clean.records);
    expect(faulty.effects).toEqual(clean.effects);
    // ann's order came first: the 4 units were there for it, so it is never held (stock before an order
    // counts back what the orders placed after it committed); bo, cy and di are.
    expect(clean.effects).toEqual({ BackorderHold: 3, BackorderRefund: 1 });
    for (const run of [clean, faulty]) {
      // ann's order (the first) has no record: it was never backordered.
      expect(run.records.lines.map((line) => line.order)).toEqual(["#1002", "#1003", "#1004"]);
      expect(run.shopify.slice(1).map((order) => order.released)).toEqual(
        run.records.lines.map((line) => line.shipped),
      );
    }
    expect(clean.shopify.map(({ released, held }) => [released, held])).toEqual([
      [3, 0],
      [3, 0],
      [1, 0],
      [0, 0],
    ]);
    expect(clean.records.lostSales).toEqual([
      { order: "#1003", quantity: 1, reason: "deadline", cents: 2500 },
      { order: "#1004", quantity: 2, reason: "customer_cancelled", cents: 2500 },
    ]);
  });
});
