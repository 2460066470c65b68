import { currentSyncRun, finishSyncRun, startSyncRun, updateSyncRun } from "../models/sync-runs.server";
import { BackorderBackfillStartDocument, BackorderBulkOperationDocument } from "../shopify/generated/operations";
import { allocateFreeStock } from "./allocation.server";
import type { Pipeline } from "./pipeline.server";
import { shopLockKey } from "./intake.server";
import { processOrder } from "./orders.server";
import { readOrder } from "./reads/orders.server";

/** For installs on a shop that already oversold. */
export const BACKFILL_QUERY = `{ orders(query: "status:open") { edges { node { id } } } }`;
const POLL_MS = 2_000;

export type BackfillOutcome =
  | { kind: "started"; bulkOperationId: string }
  | { kind: "running" }
  | { kind: "completed"; orders: number; backordered: number }
  | { kind: "failed"; errorCode: string | null };

/** Later runs (re-enqueued every few seconds) poll the bulk operation, then process each order as routing would. */
export async function backfillStep(p: Pipeline): Promise<BackfillOutcome> {
  const run = await currentSyncRun(p.db, p.shop, "backfill");
  if (!run?.bulkOperationId) {
    const result = await p.admin.mutate(BackorderBackfillStartDocument, { query: BACKFILL_QUERY });
    if (!result.ok) throw new Error(`bulkOperationRunQuery: ${result.userErrors.map((e) => e.message).join("; ")}`);
    const operation = result.data.bulkOperationRunQuery?.bulkOperation;
    if (!operation) throw new Error("bulkOperationRunQuery returned no operation");
    await startSyncRun(p.db, p.shop, "backfill", operation.id);
    await pollLater(p);
    return { kind: "started", bulkOperationId: operation.id };
  }

  const data = await p.admin.query(BackorderBulkOperationDocument, { id: run.bulkOperationId });
  const operation = data.bulkOperation;
  if (!operation || ["FAILED", "CANCELED", "CANCELING", "EXPIRED"].includes(operation.status)) {
    await finishSyncRun(
      p.db,
      p.shop,
      run.id,
      { status: "failed", error: operation?.errorCode ?? "bulk operation not found" },
      p.now(),
    );
    return { kind: "failed", errorCode: operation?.errorCode ?? null };
  }
  if (operation.status !== "COMPLETED") {
    await pollLater(p);
    return { kind: "running" };
  }

  const orderIds = operation.url ? await rootIds(operation.url) : [];
  await updateSyncRun(p.db, p.shop, run.id, { objectCount: orderIds.length });
  let processed = run.processed;
  let backordered = 0;
  // Resumes where a crashed run stopped: `processed` orders are done (processing is idempotent anyway).
  for (const orderId of orderIds.slice(processed)) {
    const order = await readOrder(p.admin, orderId);
    const outcome = await processOrder(p, order);
    if (outcome.kind === "detected" && order) {
      backordered++;
      // Orders are taken in placement order here, but each saw the stock after all of them took theirs.
      await allocateFreeStock(p, order);
    }
    processed++;
    await updateSyncRun(p.db, p.shop, run.id, { processed, healed: run.healed + backordered });
  }
  await finishSyncRun(p.db, p.shop, run.id, { status: "completed", detail: { orders: orderIds.length } }, p.now());
  return { kind: "completed", orders: orderIds.length, backordered };
}

async function pollLater(p: Pipeline): Promise<void> {
  const runAt = new Date(p.now().getTime() + POLL_MS);
  await p.queue.enqueue({
    shop: p.shop,
    type: "backfill",
    payload: {},
    lockKey: shopLockKey(p.shop),
    dedupeKey: `backfill-poll:${runAt.getTime()}`,
    runAt,
  });
}

/** The bulk result is JSONL; top-level objects are the lines without `__parentId`. */
async function rootIds(url: string): Promise<string[]> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`bulk operation result ${url} answered ${response.status}`);
  const text = await response.text();
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as { id: string; __parentId?: string })
    .filter((node) => node.__parentId === undefined)
    .map((node) => node.id);
}
