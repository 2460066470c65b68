import { allocate, planShipment } from "../domain";
import {
  applyLineChanges,
  findOpenLinesForItem,
  findOrderLines,
  type BackorderLineRow,
  type LineUpdate,
  type NewTimelineEvent,
} from "../models/backorders.server";
import { BackorderWaitingOrdersDocument } from "../shopify/generated/operations";
import { checkCaps } from "./caps.server";
import type { Pipeline } from "./context.server";
import { engineLine, engineSettings, lineStatus, numericId } from "./engine-input";
import { deleteMetafields, FLOW_TRIGGERS, releaseHeld, removeTags, setMetafields, triggerFlow } from "./effects.server";
import { orderMetafield, variantDateIdentifier } from "./metafields";
import { processOrder } from "./orders.server";
import { readInventory, readOrder, type OrderSnapshot } from "./shopify-reads.server";

export type AllocationTrigger = "stock_changed" | "cutoff" | "manual" | "reconcile";

export type AllocationOutcome =
  | { kind: "waiting_for_cutoff" }
  | { kind: "item_not_found" }
  | { kind: "nothing_to_allocate"; reason: "no_supply" | "no_waiting_lines" }
  | { kind: "allocated"; supply: number; units: number; orders: number; releasedUnits: number };

/**
 * Shares an item's free units among the lines waiting for it, under the shop's policy, then releases on
 * Shopify what may ship. Free units = Shopify's `available` (re-read now) + the units the app holds as
 * backordered: those are committed on Shopify but have no stock behind them.
 */
export async function allocateItem(
  p: Pipeline,
  inventoryItemId: string,
  trigger: AllocationTrigger,
): Promise<AllocationOutcome> {
  if (p.settings.allocationWindow === "batch" && (trigger === "stock_changed" || trigger === "reconcile")) {
    return { kind: "waiting_for_cutoff" };
  }
  const inventory = await readInventory(p.admin, inventoryItemId);
  if (!inventory) return { kind: "item_not_found" };
  await settleChangedOrders(p, await findOpenLinesForItem(p.db, p.shop, inventoryItemId));
  const rows = await findOpenLinesForItem(p.db, p.shop, inventoryItemId);
  const waiting = rows.filter((row) => row.backorderedQty > 0).sort(byPlacement);
  const supply = inventory.available + waiting.reduce((n, row) => n + row.backorderedQty, 0);
  const settings = engineSettings(p.settings);
  const result = allocate(
    supply,
    waiting.map((row, arrival) => ({ ...engineLine(row, arrival), remaining: row.backorderedQty })),
    settings,
  );
  if (result.kind === "nothing_to_allocate") return { kind: "nothing_to_allocate", reason: result.reason };

  const grants = new Map(result.grants.map((grant) => [grant.lineId, grant.quantity]));
  const orderIds = [...new Set(waiting.filter((row) => grants.has(row.lineItemId)).map((row) => row.orderId))];
  let releasedUnits = 0;
  for (const orderId of orderIds) releasedUnits += await shipOrder(p, orderId, grants);

  if (
    !(await findOpenLinesForItem(p.db, p.shop, inventoryItemId)).some((row) => row.backorderedQty > 0) &&
    inventory.variantId
  ) {
    await deleteMetafields(p, `variant-date:${inventory.variantId}:cleared:${p.now().toISOString()}`, [
      variantDateIdentifier(inventory.variantId),
    ]);
  }
  await checkCaps(p, [
    { variantId: inventory.variantId!, productId: inventory.productId, inventoryItemId, policy: inventory.policy },
  ]);
  return { kind: "allocated", supply, units: result.used, orders: orderIds.length, releasedUnits };
}

/**
 * Right after an order was detected: when the stock it saw was not all spoken for (another order placed
 * after it took units it should have had, or a restock not shared yet), share it now rather than wait for
 * the next inventory webhook. Uses the levels the order read returned: no call unless there is supply.
 */
export async function allocateFreeStock(p: Pipeline, order: OrderSnapshot): Promise<AllocationOutcome[]> {
  if (p.settings.allocationWindow !== "immediate") return [];
  const outcomes: AllocationOutcome[] = [];
  const seen = new Set<string>();
  for (const line of order.lines) {
    if (!line.inventoryItemId || !line.tracked || seen.has(line.inventoryItemId)) continue;
    seen.add(line.inventoryItemId);
    const waiting = (await findOpenLinesForItem(p.db, p.shop, line.inventoryItemId)).reduce(
      (n, row) => n + row.backorderedQty,
      0,
    );
    if (waiting > 0 && line.available + waiting > 0)
      outcomes.push(await allocateItem(p, line.inventoryItemId, "manual"));
  }
  return outcomes;
}

/**
 * Applies grants (units newly allocated per line item) to one order and releases what its shipment plan
 * lets go. Returns the units released. Also used after a deadline removed unfilled units (no grants).
 */
export async function shipOrder(p: Pipeline, orderId: string, grants: ReadonlyMap<string, number>): Promise<number> {
  const now = p.now();
  const rows = await findOrderLines(p.db, p.shop, orderId);
  const granted = rows.map((row) => {
    const quantity = Math.min(grants.get(row.lineItemId) ?? 0, row.backorderedQty);
    return { row, granted: quantity, backordered: row.backorderedQty - quantity, reserved: row.reservedQty + quantity };
  });
  const plan = planShipment(
    granted.map(({ row, backordered, reserved }, arrival) => ({ ...engineLine(row, arrival), backordered, reserved })),
    engineSettings(p.settings),
  );
  const releaseByLine = new Map<string, number>();
  if (plan.kind === "decisions") {
    for (const decision of plan.decisions) {
      if (decision.kind === "release") releaseByLine.set(decision.lineId, decision.quantity);
    }
  }

  const released = new Map<string, number>();
  if (releaseByLine.size > 0) {
    const order = await readOrder(p.admin, orderId);
    if (!order) throw new Error(`order ${orderId} has backorder records but Shopify no longer finds it`);
    for (const hold of holdsOf(rows)) {
      const keep = new Map(
        granted
          .filter(({ row }) => row.holdId === hold.holdId)
          .map(({ row, backordered, reserved }) => [
            row.lineItemId,
            backordered + reserved - (releaseByLine.get(row.lineItemId) ?? 0),
          ]),
      );
      const signature = [...keep].map(([line, quantity]) => `${numericId(line)}=${quantity}`).join(",");
      const outcome = await releaseHeld(p, `release:${hold.holdId}:keep:${signature}`, order, hold, keep);
      if (outcome.kind === "released") {
        for (const [line, quantity] of Object.entries(outcome.releasedByLine)) released.set(line, quantity);
      }
    }
  }

  const updates: LineUpdate[] = [];
  const events: NewTimelineEvent[] = [];
  const states = [];
  for (const { row, granted: units, backordered, reserved } of granted) {
    const shipped = Math.min(released.get(row.lineItemId) ?? 0, reserved);
    const change = {
      shippedQty: row.shippedQty + shipped,
      reservedQty: reserved - shipped,
      backorderedQty: backordered,
    };
    const status = lineStatus({ ...row, ...change });
    states.push({
      lineItemId: row.lineItemId,
      status,
      backordered,
      shipped: change.shippedQty,
      lost: row.lostQty,
      promisedAt: row.promisedAt,
      open: change.backorderedQty + change.reservedQty,
    });
    if (units === 0 && shipped === 0) continue;
    updates.push({ id: row.id, change: { ...change, status } });
    if (units > 0) events.push({ orderId, backorderLineId: row.id, kind: "allocated", quantity: units, at: now });
    if (shipped > 0) events.push({ orderId, backorderLineId: row.id, kind: "released", quantity: shipped, at: now });
  }
  if (updates.length === 0) return 0;

  const shippedTotal = states.reduce((n, state) => n + state.shipped, 0);
  const releasedUnits = [...released.values()].reduce((n, quantity) => n + quantity, 0);
  await setMetafields(p, `order-metafields:${orderId}:shipped:${shippedTotal}`, [orderMetafield(orderId, states)]);
  if (states.every((state) => state.open === 0)) {
    await removeTags(p, `tags-remove:${orderId}`, orderId, [p.settings.orderTag]);
  }
  if (releasedUnits > 0) {
    await triggerFlow(p, `flow:allocated:${orderId}:${shippedTotal}`, FLOW_TRIGGERS.allocated, {
      order_id: Number(numericId(orderId)),
      "Released units": releasedUnits,
      "Units still backordered": states.reduce((n, state) => n + state.backordered, 0),
    });
  }
  await applyLineChanges(p.db, p.shop, updates, events);
  return releasedUnits;
}

/**
 * Shopify's order times are to the second, so orders placed together tie; their ids grow with placement,
 * so ties go to the order (and line) Shopify created first, never to the order the app happened to see first.
 */
function byPlacement(a: BackorderLineRow, b: BackorderLineRow): number {
  return (
    a.orderedAt.getTime() - b.orderedAt.getTime() ||
    compareIds(a.orderId, b.orderId) ||
    compareIds(a.lineItemId, b.lineItemId)
  );
}

function compareIds(a: string, b: string): number {
  const x = BigInt(numericId(a));
  const y = BigInt(numericId(b));
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Syncs any waiting order whose units changed on Shopify (cancelled, or edited down) before its webhook was
 * processed. Compared by quantities, not `updatedAt`: Shopify's times are to the second.
 */
async function settleChangedOrders(p: Pipeline, rows: readonly BackorderLineRow[]): Promise<void> {
  const orderIds = [...new Set(rows.map((row) => row.orderId))];
  for (let start = 0; start < orderIds.length; start += 50) {
    const data = await p.admin.query(BackorderWaitingOrdersDocument, { ids: orderIds.slice(start, start + 50) });
    for (const node of data.nodes) {
      if (!node || !("lineItems" in node)) continue;
      const shrunk = rows.some((row) => {
        if (row.orderId !== node.id) return false;
        const line = node.lineItems.nodes.find((candidate) => candidate.id === row.lineItemId);
        return (line?.currentQuantity ?? 0) < row.quantity - row.lostQty;
      });
      if (node.cancelledAt || shrunk) await processOrder(p, await readOrder(p.admin, node.id));
    }
  }
}

function holdsOf(rows: readonly BackorderLineRow[]): { fulfillmentOrderId: string; holdId: string }[] {
  const holds = new Map<string, { fulfillmentOrderId: string; holdId: string }>();
  for (const row of rows) {
    if (row.holdId && row.fulfillmentOrderId && row.backorderedQty + row.reservedQty > 0) {
      holds.set(row.holdId, { fulfillmentOrderId: row.fulfillmentOrderId, holdId: row.holdId });
    }
  }
  return [...holds.values()];
}
