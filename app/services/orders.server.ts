import { holdsToConfirm, orderChanged, type ChangedLine } from "../domain";
import {
  applyLineChanges,
  findHeldLinesOnFulfillmentOrder,
  findOrderLines,
  lostSale,
  setOrderUpdatedAt,
  type BackorderLineRow,
  type LineUpdate,
  type NewLostSale,
  type NewTimelineEvent,
} from "../models/backorders.server";
import { checkCaps, variantsOf } from "./caps.server";
import { detectOrder, type NewOrderOutcome } from "./order-placed.server";
import type { Pipeline } from "./pipeline.server";
import { lineStatus, recordedLine } from "./records-for-engine";
import { numericId } from "./shopify-values";
import { FLOW_TRIGGERS, flowEvent, partialReleaseStarted, sendQueuedFlows } from "./apply";
import { writeOrderStatus } from "./order-status.server";
import { readOrderByFulfillmentOrder } from "./reads/orders.server";
import type { OrderSnapshot } from "./reads/snapshot";

export type OrderOutcome =
  | { kind: "stale" }
  | { kind: "not_found" }
  | { kind: "awaiting_routing" }
  | NewOrderOutcome
  | { kind: "cancelled"; lostUnits: number }
  | { kind: "up_to_date" }
  | { kind: "changed_outside_app"; releasedUnits: number; removedUnits: number };

/** Deliveries come out of order and more than once: a stale one is skipped without reading Shopify. */
export async function isStale(p: Pipeline, orderId: string, seenUpdatedAt: Date): Promise<boolean> {
  const rows = await findOrderLines(p.db, p.shop, orderId);
  const known = rows[0]?.orderUpdatedAt ?? null;
  return known !== null && seenUpdatedAt.getTime() <= known.getTime();
}

export async function processOrder(p: Pipeline, order: OrderSnapshot | null): Promise<OrderOutcome> {
  if (!order) return { kind: "not_found" };
  const rows = await findOrderLines(p.db, p.shop, order.id);
  if (order.cancelled) return cancelOrder(p, order, rows);
  if (rows.length > 0) return syncOrder(p, order, rows);
  if (order.fulfillmentOrders.length === 0) return { kind: "awaiting_routing" };
  return detectOrder(p, order);
}

/**
 * Each open record is relinked to the fulfillment order that carries its units now, then the order is synced.
 * Orders without records are not the app's concern ("Restructured fulfillment orders", docs/decisions/0008).
 */
export async function fulfillmentOrdersRestructured(
  p: Pipeline,
  fulfillmentOrderIds: readonly string[],
): Promise<
  | OrderOutcome
  | { kind: "not_ours" }
  | { kind: "up_to_date" }
  | { kind: "relinked"; lines: number; outcome: OrderOutcome; movedItems: string[] }
> {
  // Only a fulfillment order the records name can leave them wrong; the app's own holds and splits name one too,
  // and cost this read (docs/decisions/0008).
  const named = await Promise.all(fulfillmentOrderIds.map((id) => findHeldLinesOnFulfillmentOrder(p.db, p.shop, id)));
  if (named.every((rows) => rows.length === 0)) return { kind: "not_ours" };
  let order: OrderSnapshot | null = null;
  for (const id of fulfillmentOrderIds) {
    order = await readOrderByFulfillmentOrder(p.admin, id);
    if (order) break;
  }
  if (!order) return { kind: "not_found" };
  const rows = await findOrderLines(p.db, p.shop, order.id);
  if (rows.length === 0) return { kind: "not_ours" };
  const updates: LineUpdate[] = [];
  const movedItems = new Set<string>();
  for (const row of rows) {
    if (row.backorderedQty + row.reservedQty === 0) continue;
    const live = order.fulfillmentOrders.filter((fo) => fo.status !== "CLOSED" && fo.status !== "CANCELLED");
    const carrying = live.filter((fo) =>
      fo.lines.some((line) => line.lineItemId === row.lineItemId && line.remaining > 0),
    );
    const held =
      carrying.find((fo) => row.holdId !== null && fo.holds.some((hold) => hold.id === row.holdId)) ??
      carrying.find((fo) => row.holdHandle !== null && fo.holds.some((h) => h.ours && h.handle === row.holdHandle));
    const target =
      held ??
      (row.holdId === null
        ? [...carrying].sort((a, b) => remainingOf(b, row.lineItemId) - remainingOf(a, row.lineItemId))[0]
        : undefined);
    // A hold that is nowhere any more is the sync's to record (released outside the app), not a relink.
    if (!target) continue;
    const hold =
      target.holds.find((h) => h.id === row.holdId) ?? target.holds.find((h) => h.ours && h.handle === row.holdHandle);
    if (
      target.id === row.fulfillmentOrderId &&
      target.locationId === row.locationId &&
      (hold?.id ?? row.holdId) === row.holdId
    )
      continue;
    updates.push({
      id: row.id,
      change: { fulfillmentOrderId: target.id, locationId: target.locationId, holdId: hold?.id ?? row.holdId },
    });
    if (target.locationId !== row.locationId && row.inventoryItemId && row.backorderedQty > 0)
      movedItems.add(row.inventoryItemId);
  }
  if (updates.length > 0) await applyLineChanges(p.db, p.shop, updates, []);
  const outcome = await processOrder(p, order);
  return updates.length > 0
    ? { kind: "relinked", lines: updates.length, outcome, movedItems: [...movedItems] }
    : outcome;
}

function remainingOf(fo: OrderSnapshot["fulfillmentOrders"][number], lineItemId: string): number {
  return fo.lines.filter((line) => line.lineItemId === lineItemId).reduce((n, line) => n + line.remaining, 0);
}

/** The ledger says which missing holds the app's own partial release took away (a crash cut it short). */
async function syncOrder(p: Pipeline, order: OrderSnapshot, rows: BackorderLineRow[]): Promise<OrderOutcome> {
  const lines = rows.map(recordedLine);
  const ownPartialReleases = new Set<string>();
  for (const holdId of holdsToConfirm(lines, order)) {
    if (await partialReleaseStarted(p, holdId)) ownPartialReleases.add(holdId);
  }
  const decision = orderChanged(lines, order, ownPartialReleases, p.now().getTime());
  if (decision.kind === "up_to_date") {
    await setOrderUpdatedAt(p.db, p.shop, order.id, order.updatedAt);
    return { kind: "up_to_date" };
  }
  const rowOf = (recordId: string) => rows.find((row) => row.id === recordId)!;
  await applyLineChanges(
    p.db,
    p.shop,
    decision.lines.map((line) => recordChange(rowOf(line.recordId), line)),
    decision.events.map(({ recordId, kind, quantity, at, by }) => ({
      orderId: order.id,
      backorderLineId: recordId,
      kind,
      quantity,
      at: new Date(at),
      detail: { by },
    })),
    decision.lostSales.map((sale) => lostSale(rowOf(sale.recordId), sale.quantity, sale.reason, new Date(sale.at))),
  );
  await setOrderUpdatedAt(p.db, p.shop, order.id, order.updatedAt);
  await writeOrderStatus(p, order.id, `changed:${order.updatedAt.toISOString()}`);
  if (decision.removedUnits > 0) await checkCaps(p, variantsOf(rows));
  const { releasedUnits, removedUnits } = decision;
  return { kind: "changed_outside_app", releasedUnits, removedUnits };
}

function recordChange(row: BackorderLineRow, line: ChangedLine): LineUpdate {
  const change = {
    shippedQty: line.shipped,
    reservedQty: line.reserved,
    backorderedQty: line.backordered,
    lostQty: line.lost,
    lostReason: line.lostReason,
    ...(line.holdGone ? { holdId: null, holdHandle: null } : {}),
  };
  return { id: row.id, change: { ...change, status: lineStatus({ ...row, ...change }) } };
}

/** Shopify restocked the units; they are the customer's lost sale when the cancel reason is CUSTOMER. */
async function cancelOrder(p: Pipeline, order: OrderSnapshot, rows: BackorderLineRow[]): Promise<OrderOutcome> {
  const now = p.now();
  const reason = order.cancelReason === "CUSTOMER" ? "customer_cancelled" : "merchant_cancelled";
  const updates: LineUpdate[] = [];
  const events: NewTimelineEvent[] = [];
  const lostSales: NewLostSale[] = [];
  for (const row of rows) {
    const open = row.backorderedQty + row.reservedQty;
    if (open === 0) continue;
    const change = {
      reservedQty: 0,
      backorderedQty: 0,
      lostQty: row.lostQty + open,
      lostReason: row.lostReason ?? reason,
    };
    updates.push({ id: row.id, change: { ...change, status: "cancelled" } });
    events.push({
      orderId: order.id,
      backorderLineId: row.id,
      kind: "cancelled",
      quantity: open,
      at: now,
      detail: { by: reason === "customer_cancelled" ? "customer" : "merchant" },
    });
    lostSales.push(lostSale(row, open, reason, now));
  }
  if (updates.length === 0) return { kind: "cancelled", lostUnits: 0 };
  const flows = await flowEvent(p, FLOW_TRIGGERS.cancelled, order.id, {
    order_id: Number(numericId(order.id)),
    "Cancelled units": lostSales.reduce((n, sale) => n + sale.quantity, 0),
    Reason: reason,
  });
  await applyLineChanges(p.db, p.shop, updates, events, lostSales, { flows });
  await sendQueuedFlows(p);
  await setOrderUpdatedAt(p.db, p.shop, order.id, order.updatedAt);
  await writeOrderStatus(p, order.id, `cancelled:${order.updatedAt.toISOString()}`);
  await checkCaps(p, variantsOf(rows));
  return { kind: "cancelled", lostUnits: lostSales.reduce((n, sale) => n + sale.quantity, 0) };
}
