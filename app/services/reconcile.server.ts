import { findLinesByHold, knownOrderIds, openInventoryItems } from "../models/backorders.server";
import { finishSyncRun, startSyncRun } from "../models/sync-runs.server";
import {
  BackorderHeldFulfillmentOrdersDocument,
  BackorderRecentOrdersDocument,
  type BackorderHeldFulfillmentOrdersQuery,
  type BackorderRecentOrdersQuery,
} from "../shopify/generated/operations";
import { allocateFreeStock, allocateItem } from "./allocation.server";
import type { Pipeline } from "./pipeline.server";
import { refreshOpenItems } from "./dates.server";
import { DAY_MS, findDrift } from "../domain";
import { processOrder } from "./orders.server";
import { readOrder } from "./reads/orders.server";

export interface ReconcileOutcome {
  holdsWithoutRecord: number;
  recordsWithoutHold: number;
  ordersNeverSeen: number;
  itemsReallocated: number;
  healed: number;
}

/** Webhooks can be lost: heals by running the same processing a delivery would have. */
export async function reconcile(p: Pipeline): Promise<ReconcileOutcome> {
  const run = await startSyncRun(p.db, p.shop, "reconcile");
  try {
    const holdsOnShopify = await heldByApp(p);
    const rows = await findLinesByHold(p.db, p.shop);
    const recorded = rows.map((row) => ({
      orderId: row.orderId,
      holdId: row.holdId,
      heldUnits: row.backorderedQty + row.reservedQty,
    }));
    const { ordersToHeal, ...drift } = findDrift({
      holdsOnShopify,
      recorded,
      unseenOrderIds: await unseenRecentOrders(p),
    });
    const ordersHealed = await processAgain(p, ordersToHeal);
    const itemsReallocated = await reallocateOpenItems(p);
    const outcome = { ...drift, itemsReallocated, healed: ordersHealed + itemsReallocated };
    await finishSyncRun(p.db, p.shop, run.id, { status: "completed", detail: { ...outcome } }, p.now());
    return outcome;
  } catch (error) {
    await finishSyncRun(p.db, p.shop, run.id, { status: "failed", error: String(error) }, p.now());
    throw error;
  }
}

async function processAgain(p: Pipeline, orderIds: readonly string[]): Promise<number> {
  let healed = 0;
  for (const orderId of orderIds) {
    const order = await readOrder(p.admin, orderId);
    const result = await processOrder(p, order);
    if (result.kind === "detected" && order) await allocateFreeStock(p, order);
    if (result.kind === "detected" || result.kind === "changed_outside_app" || result.kind === "cancelled") healed++;
  }
  return healed;
}

async function reallocateOpenItems(p: Pipeline): Promise<number> {
  let reallocated = 0;
  for (const item of await openInventoryItems(p.db, p.shop)) {
    if ((await allocateItem(p, item, "reconcile")).kind === "allocated") reallocated++;
  }
  await refreshOpenItems(p, await openInventoryItems(p.db, p.shop));
  return reallocated;
}

async function heldByApp(p: Pipeline): Promise<Map<string, string>> {
  const holds = new Map<string, string>();
  let after: string | null = null;
  do {
    const page: BackorderHeldFulfillmentOrdersQuery = await p.admin.query(BackorderHeldFulfillmentOrdersDocument, {
      after,
    });
    for (const fo of page.fulfillmentOrders.nodes) {
      for (const hold of fo.fulfillmentHolds) {
        if (hold.heldByRequestingApp && hold.handle?.startsWith("backorder-")) holds.set(hold.id, fo.orderId);
      }
    }
    after = page.fulfillmentOrders.pageInfo.hasNextPage ? (page.fulfillmentOrders.pageInfo.endCursor ?? null) : null;
  } while (after);
  return holds;
}

/** Candidates whose webhooks may all have been lost. */
async function unseenRecentOrders(p: Pipeline): Promise<string[]> {
  const since = new Date(p.now().getTime() - 2 * DAY_MS).toISOString();
  const ids: string[] = [];
  let after: string | null = null;
  do {
    const page: BackorderRecentOrdersQuery = await p.admin.query(BackorderRecentOrdersDocument, {
      query: `status:open created_at:>=${since}`,
      after,
    });
    ids.push(...page.orders.nodes.map((order) => order.id));
    after = page.orders.pageInfo.hasNextPage ? (page.orders.pageInfo.endCursor ?? null) : null;
  } while (after);
  const known = await knownOrderIds(p.db, p.shop, ids);
  return ids.filter((id) => !known.has(id));
}
