import {
  ordersReleasing,
  shipGrants,
  type ShippingDecision,
  type ShippingLine,
  type ShippingSnapshot,
} from "../domain";
import {
  applyLineChanges,
  findOrderLines,
  lossesByLine,
  type BackorderLineRow,
  type LineUpdate,
} from "../models/backorders.server";
import type { Pipeline } from "./pipeline.server";
import { engineSettings } from "./records-for-engine";
import { customerMessage } from "./messages/compose";
import { applyOperations, holdHandle, partialReleaseStarted, type AppliedOperations } from "./apply";
import type { NewFlowEvent } from "../models/flow-events.server";
import { readOrders } from "./reads/orders.server";

/**
 * Read, decide (`shipGrants`), apply. Shopify is only asked for what it has not done yet (the fulfillment orders
 * are read first), so a retry after a crash releases nothing twice and still records all. Also used without
 * grants after a deadline removed units, and for ship-ready.
 */
export async function shipOrders(
  p: Pipeline,
  orderIds: readonly string[],
  grants: ReadonlyMap<string, number>,
  settlesAllocation?: string,
): Promise<number> {
  const snapshot = await readShipping(p, orderIds, grants);
  const settings = { ...engineSettings(p.settings), orderTag: p.settings.orderTag };
  const decision = shipGrants(snapshot, grants, settings, p.now().getTime());
  // The records are written between the releases and what Shopify shows of them (apply/index.ts, step 2).
  await applyOperations(p, decision.operations, (applied) =>
    saveShipment(p, decision, { ...applied, settlesAllocation }),
  );
  return decision.releasedUnits;
}

/** Shopify is read only for the orders whose grant releases units. */
async function readShipping(
  p: Pipeline,
  orderIds: readonly string[],
  grants: ReadonlyMap<string, number>,
): Promise<ShippingSnapshot> {
  const orders: ShippingSnapshot["orders"][number][] = [];
  for (const orderId of orderIds) {
    const rows = await findOrderLines(p.db, p.shop, orderId);
    orders.push({ orderId, lines: rows.map(shippingLine) });
  }
  const releasing = ordersReleasing(orders, grants, engineSettings(p.settings));
  const onShopify = await readOrders(p.admin, releasing);
  const fulfillmentOrders: ShippingSnapshot["fulfillmentOrders"] = new Map(
    releasing.map((orderId) => {
      const order = onShopify.get(orderId);
      if (!order) throw new Error(`order ${orderId} has backorder records but Shopify no longer finds it`);
      return [orderId, order.fulfillmentOrders];
    }),
  );
  // A hold of ours Shopify no longer shows: released outside the app, or by a partial release a crash cut short.
  const partialReleasesStarted = new Set<string>();
  for (const { orderId, lines } of orders) {
    const shown = fulfillmentOrders.get(orderId)?.flatMap((fo) => fo.holds.map((hold) => hold.id));
    if (!shown) continue;
    const gone = new Set(lines.flatMap(({ holdId }) => (holdId && !shown.includes(holdId) ? [holdId] : [])));
    for (const holdId of gone) if (await partialReleaseStarted(p, holdId)) partialReleasesStarted.add(holdId);
  }
  const losses = await lossesByLine(p.db, p.shop, orderIds);
  return { orders, fulfillmentOrders, partialReleasesStarted, losses };
}

function shippingLine(row: BackorderLineRow): ShippingLine {
  return {
    recordId: row.id,
    orderId: row.orderId,
    lineId: row.lineItemId,
    productId: row.productId ?? "",
    title: row.title,
    ordered: row.quantity,
    shipped: row.shippedQty,
    reserved: row.reservedQty,
    backordered: row.backorderedQty,
    lost: row.lostQty,
    lostReason: row.lostReason,
    promisedAt: row.promisedAt?.getTime() ?? null,
    fulfillmentOrderId: row.fulfillmentOrderId,
    holdId: row.holdId,
    holdHandle: row.fulfillmentOrderId
      ? (row.holdHandle ?? holdHandle(row.orderId, row.fulfillmentOrderId))
      : row.holdHandle,
  };
}

/**
 * Every order's grant in one transaction: a crash after Shopify released units must leave either all of this
 * decision in the records or none of it. With some orders written and some not, the retry would count the units
 * already released to the unwritten orders as free again and share the same stock twice.
 */
async function saveShipment(
  p: Pipeline,
  decision: ShippingDecision,
  applied: AppliedOperations & { flows: readonly NewFlowEvent[]; settlesAllocation: string | undefined },
): Promise<void> {
  const { flows, settlesAllocation } = applied;
  const updates: LineUpdate[] = decision.lineChanges.map(({ recordId, change, reheldFrom }) => {
    if (reheldFrom === undefined) return { id: recordId, change };
    const holdId = applied.reheld.get(reheldFrom);
    if (!holdId) throw new Error(`the partial release of ${reheldFrom} returned no new hold`);
    return { id: recordId, change: { ...change, holdId } };
  });
  if (updates.length === 0 && !settlesAllocation) return;
  const events = decision.events.map(({ orderId, recordId, kind, quantity, at }) => ({
    orderId,
    backorderLineId: recordId,
    kind,
    quantity,
    at: new Date(at),
  }));
  const messages = decision.messages.flatMap(({ kind, orderId, subject, facts }) =>
    customerMessage(p, kind, orderId, subject, facts),
  );
  await applyLineChanges(p.db, p.shop, updates, events, [], { flows, messages, settlesAllocation });
}
