/**
 * `npm run bench:pipeline-cost`: Admin calls and cost points per backordered order, counted from Local
 * Shopify's own answers (`extensions.cost.actualQueryCost`) while the app's real intake, job runner,
 * handlers and gateway process a run of orders placed on an out-of-stock CONTINUE variant, and for the restock
 * that releases them. Four rows: the shop's Flow setting off; on, with no lifecycle callback ever received
 * (the triggers are sent: the app cannot know no workflow uses them); on, with a workflow per trigger turned on
 * and off again in Local Shopify, whose callbacks say none uses them; on, with those workflows left on. Each
 * row checks what the app's real route recorded from the signed callbacks, and counts the triggers sent that
 * started no workflow. A fifth row restocks half the units first under fair_share, so that every order's held
 * fulfillment order is released in part (release, then re-hold), then the rest. Requested cost (what the queries'
 * `first:` sizes ask the bucket for up front) is printed beside the points charged.
 * Env: ORDERS (default 50).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const ORDERS = Number(process.env.ORDERS ?? 50);

// The app's environment, as the tests set it: a fresh migrated SQLite file and the test app's secrets.
const dir = mkdtempSync(path.join(tmpdir(), "pipeline-cost-"));
process.env.DATABASE_URL = `file:${path.join(dir, "bench.sqlite")}`;
Object.assign(process.env, {
  NODE_ENV: "test",
  SHOPIFY_API_KEY: "test-api-key",
  SHOPIFY_API_SECRET: "test-api-secret",
  SHOPIFY_APP_URL: "https://backorder-keeper.test",
  SCOPES: "read_orders,write_orders",
});
execFileSync(path.resolve("node_modules/.bin/prisma"), ["migrate", "deploy"], { env: process.env, stdio: "pipe" });

const { startPipeline } = await import("../pipeline/harness");
const { default: db } = await import("../../app/db.server");

interface Figures {
  calls: number;
  points: number;
  /** Requested cost (what each query asked the bucket for before the refund), summed. */
  requested: number;
  byOperation: Record<string, { calls: number; points: number; requested: number }>;
}

function figures(calls: { operation: string; actualCost: number | null; requestedCost: number | null }[]): Figures {
  const byOperation: Figures["byOperation"] = {};
  let points = 0;
  let requested = 0;
  for (const call of calls) {
    const entry = (byOperation[call.operation] ??= { calls: 0, points: 0, requested: 0 });
    entry.calls++;
    entry.points += call.actualCost ?? 0;
    entry.requested += call.requestedCost ?? 0;
    points += call.actualCost ?? 0;
    requested += call.requestedCost ?? 0;
  }
  return { calls: calls.length, points, requested, byOperation };
}

interface Row {
  label: string;
  flowEnabled: boolean;
  /** none: no lifecycle callback ever reached the app; on / off: a workflow per trigger, left on or turned off. */
  workflows: "none" | "on" | "off";
  /**
   * Restock half the waiting units first under fair_share: every order gets 1 of its 2, a partial release of
   * each held fulfillment order (release, then hold the waiting unit again: decision 0017); then the rest.
   */
  partial?: boolean;
}

const ROWS: Row[] = [
  { label: "Flow setting off                 ", flowEnabled: false, workflows: "none" },
  { label: "Flow on, no callback yet          ", flowEnabled: true, workflows: "none" },
  { label: "Flow on, workflows off (callback) ", flowEnabled: true, workflows: "off" },
  { label: "Flow on, workflows on (callback)  ", flowEnabled: true, workflows: "on" },
  { label: "Flow off, partial release first   ", flowEnabled: false, workflows: "none", partial: true },
];

async function run(row: Row, index: number) {
  const pipeline = await startPipeline();
  const shop = `cost-${index}.myshopify.com`;
  try {
    const { locationId } = await pipeline.install(shop, {
      allocationPolicy: row.partial ? "fair_share" : "fifo",
      allocationWindow: "immediate",
      flowEnabled: row.flowEnabled,
    });
    if (row.workflows !== "none") {
      const workflows = await pipeline.turnOnWorkflows(shop);
      if (row.workflows === "off") {
        for (const workflow of workflows) await pipeline.shopify.control.setWorkflowEnabled(shop, workflow.id, false);
      }
      // Real, not assumed: the app recorded each trigger's state from Local Shopify's signed callbacks.
      const recorded = await db.flowTriggerUsage.count({ where: { shop, enabled: row.workflows === "on" } });
      if (recorded !== 4)
        throw new Error(`the lifecycle callbacks recorded ${recorded} triggers ${row.workflows}, not 4`);
    }
    const product = await pipeline.shopify.control.createProduct(shop, {
      title: "Bench product",
      variants: [
        {
          sku: "BENCH",
          price: "10.00",
          inventoryPolicy: "CONTINUE",
          tracked: true,
          available: { [String(locationId)]: 0 },
        },
      ],
    });
    const variant = product.variants[0]!;
    for (let i = 0; i < ORDERS; i++) {
      await pipeline.shopify.control.placeOrder(shop, {
        customer: { email: `b${i}@example.com` },
        lines: [{ variantId: variant.id, quantity: 2 }],
      });
      await pipeline.drain();
    }
    const detection = figures(pipeline.calls);
    const restock = async (delta: number) => {
      const before = pipeline.calls.length;
      await pipeline.shopify.control.adjustInventory(shop, {
        inventoryItemId: variant.inventoryItemId,
        locationId,
        delta,
      });
      await pipeline.drain();
      return figures(pipeline.calls.slice(before));
    };
    const partial = row.partial ? await restock(ORDERS) : null;
    const release = await restock(row.partial ? ORDERS : 2 * ORDERS);
    const triggers = await pipeline.shopify.control.flowTriggers(shop);
    const wasted = triggers.filter((trigger) => trigger.startedWorkflows === 0).length;
    return { detection, partial, release, triggers: triggers.length, wasted };
  } finally {
    await pipeline.stop();
  }
}

console.info(`${ORDERS} one-line orders of 2 units on an out-of-stock variant, then a restock of ${2 * ORDERS}`);
const perOrder = (f: Figures) =>
  `${(f.calls / ORDERS).toFixed(2)} calls, ${(f.points / ORDERS).toFixed(1)} points ` +
  `(${(f.requested / ORDERS).toFixed(1)} requested)`;
for (const [index, row] of ROWS.entries()) {
  const { detection, partial, release, triggers, wasted } = await run(row, index);
  console.info(
    `${row.label}: per backordered order ${perOrder(detection)}; ` +
      (partial ? `restock of 1 unit each (partial release of all ${ORDERS}): ${perOrder(partial)} per order; ` : "") +
      `restock releasing all ${ORDERS}: ${perOrder(release)} per order; ` +
      `flowTriggerReceive ${triggers} (${wasted} starting no workflow)`,
  );
  console.info(`  detection by operation: ${JSON.stringify(detection.byOperation)}`);
  if (partial) console.info(`  partial by operation:   ${JSON.stringify(partial.byOperation)}`);
  console.info(`  release by operation:   ${JSON.stringify(release.byOperation)}`);
}
