/**
 * `npm run bench:pipeline-cost`: Admin calls and cost points per backordered order, counted from Local
 * Shopify's own answers (`extensions.cost.actualQueryCost`) while the app's real intake, job runner,
 * handlers and gateway process a run of orders placed on an out-of-stock CONTINUE variant. Printed with
 * Flow on and off, and for the restock that releases them.
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

interface Figures {
  calls: number;
  points: number;
  byOperation: Record<string, { calls: number; points: number }>;
}

function figures(calls: { operation: string; actualCost: number | null }[]): Figures {
  const byOperation: Figures["byOperation"] = {};
  let points = 0;
  for (const call of calls) {
    const entry = (byOperation[call.operation] ??= { calls: 0, points: 0 });
    entry.calls++;
    entry.points += call.actualCost ?? 0;
    points += call.actualCost ?? 0;
  }
  return { calls: calls.length, points, byOperation };
}

async function run(flowEnabled: boolean) {
  const pipeline = await startPipeline();
  const shop = `cost-${flowEnabled ? "flow" : "quiet"}.myshopify.com`;
  try {
    const { locationId } = await pipeline.install(shop, {
      allocationPolicy: "fifo",
      allocationWindow: "immediate",
      flowEnabled,
    });
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
    const before = pipeline.calls.length;
    await pipeline.shopify.control.adjustInventory(shop, {
      inventoryItemId: variant.inventoryItemId,
      locationId,
      delta: 2 * ORDERS,
    });
    await pipeline.drain();
    const release = figures(pipeline.calls.slice(before));
    return { detection, release };
  } finally {
    await pipeline.stop();
  }
}

for (const flowEnabled of [true, false]) {
  const { detection, release } = await run(flowEnabled);
  console.info(
    `Flow ${flowEnabled ? "on " : "off"}: per backordered order ${(detection.calls / ORDERS).toFixed(2)} Admin calls, ` +
      `${(detection.points / ORDERS).toFixed(1)} points; restock releasing all ${ORDERS}: ` +
      `${(release.calls / ORDERS).toFixed(2)} calls, ${(release.points / ORDERS).toFixed(1)} points per order`,
  );
  console.info(`  detection by operation: ${JSON.stringify(detection.byOperation)}`);
  console.info(`  release by operation:   ${JSON.stringify(release.byOperation)}`);
}
