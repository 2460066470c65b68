import {
  finalDeadline,
  holdsToConfirm,
  orderChanged,
  placeOrder,
  planShipment,
  type ChangedLine,
  type ShipmentLine,
  type StockBefore,
} from "../domain";
import {
  applyLineChanges,
  findHeldLinesOnFulfillmentOrder,
  findOpenLinesForItem,
  findOrderLines,
  lostSale,
  recordDetectedOrder,
  setOrderUpdatedAt,
  type BackorderLineRow,
  type LineUpdate,
  type NewBackorderLine,
  type NewLostSale,
  type NewTimelineEvent,
} from "../models/backorders.server";
import { checkCaps, variantsOf } from "./caps.server";
import { datesForNewLines, redateItem } from "./dates.server";
import type { Pipeline } from "./pipeline.server";
import { engineSettings, lineStatus, recordedLine } from "./records-for-engine";
import { numericId } from "./shopify-values";
import {
  FLOW_TRIGGERS,
  flowEvent,
  notHeldReason,
  partialReleaseStarted,
  placeHolds,
  sendQueuedFlows,
  variantDatesToWrite,
} from "./effects.server";
import { customerMessage } from "./messages/compose";
import { removeUnits } from "./refunds.server";
import { onOwnerUpdate, orderMetafield, variantDateMetafield } from "./metafields";
import { writeOrderStatus } from "./order-status.server";
import {
  readItemLevels,
  readLaterOrderUnits,
  readOrderByFulfillmentOrder,
  type OrderSnapshot,
  type SnapshotLine,
} from "./shopify-reads.server";

export type OrderOutcome =
  | { kind: "stale" }
  | { kind: "not_found" }
  | { kind: "awaiting_routing" }
  | { kind: "not_backordered" }
  | { kind: "detected"; lines: number; backordered: number; held: number; capReached: number }
  | { kind: "cancelled"; lostUnits: number }
  | { kind: "up_to_date" }
  | { kind: "changed_outside_app"; releasedUnits: number; removedUnits: number };

/**
 * Whether a webhook's `updated_at` is already reflected in the order's records (deliveries come out of
 * order and more than once): then its work is stale and skipped without reading Shopify.
 */
export async function isStale(p: Pipeline, orderId: string, seenUpdatedAt: Date): Promise<boolean> {
  const rows = await findOrderLines(p.db, p.shop, orderId);
  const known = rows[0]?.orderUpdatedAt ?? null;
  return known !== null && seenUpdatedAt.getTime() <= known.getTime();
}

/** Brings one order's backorder records in line with the order as Shopify has it now (read by the caller). */
export async function processOrder(p: Pipeline, order: OrderSnapshot | null): Promise<OrderOutcome> {
  if (!order) return { kind: "not_found" };
  const rows = await findOrderLines(p.db, p.shop, order.id);
  if (order.cancelled) return cancelOrder(p, order, rows);
  if (rows.length > 0) return syncOrder(p, order, rows);
  if (order.fulfillmentOrders.length === 0) return { kind: "awaiting_routing" };
  return detectOrder(p, order);
}

interface LinePlan {
  line: SnapshotLine;
  shipNow: number;
  backordered: number;
  capReached: number;
  hold: number;
  release: number;
}

/** A new order: which units wait for stock, held on Shopify and recorded. */
async function detectOrder(p: Pipeline, order: OrderSnapshot): Promise<OrderOutcome> {
  const settings = engineSettings(p.settings);
  const now = p.now();
  const candidates = order.lines.filter((line) => line.variantId !== null && line.unfulfilled > 0);

  // Stock is per location: each line waits for, or ships from, the location its fulfillment order is assigned to.
  const located = candidates.map((line) => ({ line, locationId: lineLocation(order, line.id) }));
  const stock = await stockBeforeOrder(p, order, located);
  const itemOf = (variantId: string, locationId: string | null) => `${variantId}@${locationId ?? "any"}`;
  // Caps are set per variant; detection counts stock per variant and location, so each item takes its variant's.
  const variantCaps = { ...settings.variantCaps };
  for (const { line, locationId } of located) {
    if (Object.hasOwn(settings.variantCaps, line.variantId!))
      variantCaps[itemOf(line.variantId!, locationId)] = settings.variantCaps[line.variantId!] ?? null;
  }
  const detections = placeOrder(
    located.map(({ line, locationId }) => ({
      lineId: line.id,
      itemId: itemOf(line.variantId!, locationId),
      quantity: line.unfulfilled,
    })),
    stock,
    { ...settings, variantCaps },
  );
  const plans: LinePlan[] = detections.map((detection, index) => ({
    line: candidates[index]!,
    shipNow: detection.shipNow,
    backordered: detection.backordered,
    capReached: detection.capReached,
    hold: 0,
    release: 0,
  }));
  if (plans.every((plan) => plan.backordered === 0 && plan.capReached === 0)) return { kind: "not_backordered" };

  const shipment = planShipment(
    plans.map((plan): ShipmentLine => ({
      lineId: plan.line.id,
      productId: plan.line.productId ?? "",
      ordered: plan.line.unfulfilled,
      shipped: 0,
      reserved: plan.shipNow,
      backordered: plan.backordered,
      lost: plan.capReached,
    })),
    settings,
  );
  if (shipment.kind === "decisions") {
    for (const decision of shipment.decisions) {
      const plan = plans.find((candidate) => candidate.line.id === decision.lineId)!;
      if (decision.kind === "hold") plan.hold += decision.quantity;
      else plan.release += decision.quantity;
    }
  }

  const orderedAt = order.createdAt.getTime();
  const deadline = new Date(finalDeadline({ orderedAt, consent: null }, settings));
  const recorded = plans.filter((plan) => plan.backordered > 0 || plan.hold > 0 || plan.capReached > 0);
  const orderTags = [...order.tags, ...(order.customer?.tags ?? [])].filter((tag) => tag !== p.settings.orderTag);
  const waiting = recorded.filter((plan) => plan.backordered > 0);
  const dated = await datesForNewLines(
    p,
    waiting.map((plan) => ({
      lineItemId: plan.line.id,
      inventoryItemId: plan.line.inventoryItemId,
      variantId: plan.line.variantId!,
      productId: plan.line.productId,
      locationId: lineLocation(order, plan.line.id),
      backordered: plan.backordered,
      orderedAt: order.createdAt,
      tags: orderTags,
    })),
  );
  const promisedOf = (plan: LinePlan) => {
    const date = dated.dates.get(plan.line.id);
    return plan.backordered > 0 && date ? new Date(date.promisedAt) : null;
  };
  const promised = new Date(Math.max(orderedAt, ...waiting.map((plan) => promisedOf(plan)?.getTime() ?? 0)));
  const lineStates = recorded.map((plan) => ({
    lineItemId: plan.line.id,
    status: lineStatus({
      quantity: plan.line.unfulfilled,
      shippedQty: plan.release,
      reservedQty: plan.hold - plan.backordered,
      backorderedQty: plan.backordered,
      lostQty: plan.capReached,
      lostReason: plan.capReached > 0 ? "cap_reached" : null,
    }),
    backordered: plan.backordered,
    shipped: plan.release,
    lost: plan.capReached,
    lostReason: plan.capReached > 0 ? "cap_reached" : null,
    losses: plan.capReached > 0 ? { cap_reached: plan.capReached } : ({} as Record<string, number>),
    promisedAt: promisedOf(plan),
  }));

  // Units beyond the cap leave the order before the hold: held with the rest they would be refunded from the hold
  // (or left fulfillable beside it), and which fulfillment order a refund takes units from is Shopify's choice.
  const capped = recorded.filter((plan) => plan.capReached > 0);
  if (capped.length > 0) {
    await removeUnits(
      p,
      `cap:${order.id}`,
      order,
      capped.map((plan) => ({
        lineItemId: plan.line.id,
        variantId: plan.line.variantId,
        quantity: plan.capReached,
        targetQuantity: plan.line.quantity - plan.capReached,
        unitPriceCents: plan.line.unitPriceCents,
      })),
      "Backorder limit reached for this item: the units beyond it were cancelled and refunded.",
    );
  }

  const totalBackordered = recorded.reduce((n, plan) => n + plan.backordered, 0);
  const { holds, unheld, orderUpdatedAt, flows } = await placeHolds(
    p,
    order,
    new Map(recorded.filter((plan) => plan.hold > 0).map((plan) => [plan.line.id, plan.hold])),
    {
      // tagsAdd, only while ours is missing: a merchant's tag change since this job's read is kept.
      tags: order.tags.includes(p.settings.orderTag) ? null : [p.settings.orderTag],
      orderMetafields: [onOwnerUpdate(orderMetafield(order.id, lineStates))],
      variantDates: await variantDatesToWrite(
        p,
        [...dated.storefront].map(([variantId, date]) => variantDateMetafield(variantId, date)),
      ),
      created:
        totalBackordered > 0
          ? {
              order_id: Number(numericId(order.id)),
              "Backordered units": totalBackordered,
              "Promised date": promised.toISOString().slice(0, 10),
            }
          : null,
    },
  );

  const holdOf = (lineItemId: string) =>
    holds.find((hold) => hold.lines.some((line) => line.lineItemId === lineItemId));
  const unheldOf = (lineItemId: string) =>
    unheld.flatMap((units) =>
      units.lines.filter((line) => line.lineItemId === lineItemId).map((line) => ({ ...units, ...line })),
    )[0];
  const rows: NewBackorderLine[] = recorded.map((plan) => {
    const hold = holdOf(plan.line.id);
    const quantities = {
      quantity: plan.line.unfulfilled,
      shippedQty: plan.release,
      reservedQty: plan.hold - plan.backordered,
      backorderedQty: plan.backordered,
      lostQty: plan.capReached,
      lostReason: plan.capReached > 0 ? "cap_reached" : null,
    };
    return {
      orderId: order.id,
      orderName: order.name,
      orderedAt: order.createdAt,
      orderUpdatedAt: new Date(orderUpdatedAt ?? order.updatedAt),
      lineItemId: plan.line.id,
      variantId: plan.line.variantId,
      productId: plan.line.productId,
      inventoryItemId: plan.line.inventoryItemId,
      sku: plan.line.sku,
      title: plan.line.title,
      customerId: order.customer?.id ?? null,
      customerName: order.customer?.name ?? null,
      tags: orderTags,
      unitPriceCents: plan.line.unitPriceCents,
      currency: order.currency,
      ...quantities,
      status: lineStatus(quantities),
      fulfillmentOrderId: hold?.fulfillmentOrderId ?? unheldOf(plan.line.id)?.fulfillmentOrderId ?? null,
      locationId: lineLocation(order, plan.line.id),
      holdId: hold?.holdId ?? null,
      holdHandle: hold?.handle ?? null,
      promisedAt: promisedOf(plan),
      promisedBasis: plan.backordered > 0 ? (dated.dates.get(plan.line.id)?.basis ?? null) : null,
      deadlineAt: plan.backordered > 0 ? deadline : null,
    };
  });
  const events: NewTimelineEvent[] = recorded.flatMap((plan) => [
    ...heldEvents(order.id, plan, unheldOf(plan.line.id), now),
    ...(plan.capReached > 0
      ? [
          {
            orderId: order.id,
            backorderLineId: plan.line.id,
            kind: "lost" as const,
            quantity: plan.capReached,
            at: now,
            detail: { reason: "cap_reached" },
          },
        ]
      : []),
  ]);
  // At detection a line's only lost units are those beyond the cap.
  const lostSales = rows.filter((row) => row.lostQty > 0).map((row) => lostSale(row, row.lostQty, "cap_reached", now));
  const confirmation =
    totalBackordered > 0
      ? customerMessage(p, "confirmation", order.id, order.id, {
          items: recorded
            .filter((plan) => plan.backordered > 0)
            .map((plan) => ({ title: plan.line.title, quantity: plan.backordered })),
          promisedAt: promised.toISOString().slice(0, 10),
        })
      : [];
  await recordDetectedOrder(p.db, p.shop, rows, events, lostSales, flows, confirmation);
  await sendQueuedFlows(p);
  // Under a policy that can put the new line ahead of others (priority, smallest first …) their dates move.
  if (settings.allocationPolicy !== "fifo") {
    for (const plan of waiting.filter(
      (plan, i) => waiting.findIndex((o) => o.line.variantId === plan.line.variantId) === i,
    )) {
      if (!plan.line.inventoryItemId) continue;
      const item = {
        inventoryItemId: plan.line.inventoryItemId,
        variantId: plan.line.variantId!,
        productId: plan.line.productId,
      };
      await redateItem(p, item, `order:${order.id}`);
    }
  }
  await checkCaps(
    p,
    recorded.map((plan) => ({
      variantId: plan.line.variantId!,
      productId: plan.line.productId,
      inventoryItemId: plan.line.inventoryItemId,
      policy: plan.line.policy,
    })),
  );

  return {
    kind: "detected",
    lines: recorded.length,
    backordered: totalBackordered,
    held: recorded.reduce((n, plan) => n + plan.hold - (unheldOf(plan.line.id)?.quantity ?? 0), 0),
    capReached: capped.reduce((n, plan) => n + plan.capReached, 0),
  };
}

/**
 * The timeline of a new line's waiting units: "held", and "not_held" for those on a fulfillment order Shopify
 * offered no HOLD for (a fulfillment service has the request), which tells the merchant why (decision 0020).
 */
function heldEvents(
  orderId: string,
  plan: LinePlan,
  unheld: { requestStatus: string; quantity: number } | undefined,
  at: Date,
): NewTimelineEvent[] {
  const notHeld = Math.min(plan.hold, unheld?.quantity ?? 0);
  const event = { orderId, backorderLineId: plan.line.id, at };
  return [
    ...(plan.hold - notHeld > 0
      ? [{ ...event, kind: "held" as const, quantity: plan.hold - notHeld, detail: { backordered: plan.backordered } }]
      : []),
    ...(notHeld > 0
      ? [
          {
            ...event,
            kind: "not_held" as const,
            quantity: notHeld,
            detail: {
              backordered: plan.backordered,
              reason: notHeldReason(unheld!.requestStatus),
              requestStatus: unheld!.requestStatus,
            },
          },
        ]
      : []),
  ];
}

/**
 * Where a line's unfulfilled units are: the location of the fulfillment order holding most of them. Shopify
 * splits a line across locations only when it stops selling when out of stock (shopify.dev "Split line items
 * across fulfillment orders"), and such a line is never backordered, so one location per line is enough.
 */
export function lineLocation(order: OrderSnapshot, lineItemId: string): string | null {
  let best: { locationId: string | null; remaining: number } | null = null;
  for (const fo of order.fulfillmentOrders) {
    if (fo.status === "CLOSED" || fo.status === "CANCELLED") continue;
    for (const line of fo.lines) {
      if (line.lineItemId !== lineItemId || line.remaining === 0) continue;
      if (!best || line.remaining > best.remaining) best = { locationId: fo.locationId, remaining: line.remaining };
    }
  }
  return best?.locationId ?? null;
}

/**
 * The stock each (variant, location) had just before this order, for `detect`. Shopify's `available` at the
 * location already counts this order's units and every other order's: this order's are added back, and so are
 * those of orders placed after it, so that of two orders racing for the last unit only the later one waits.
 * Later orders' units are known without a call when the location's `committed` units are all accounted for by
 * this order and the app's own open records there; otherwise the open orders placed since are read
 * (`BackorderLaterOrders`). Nothing is read when the location is not short.
 */
async function stockBeforeOrder(
  p: Pipeline,
  order: OrderSnapshot,
  located: { line: SnapshotLine; locationId: string | null }[],
): Promise<Map<string, StockBefore>> {
  const stock = new Map<string, StockBefore>();
  let laterUnits: Map<string, number> | null = null;
  const unread = located.filter(
    ({ line, locationId }) =>
      line.inventoryItemId &&
      line.tracked &&
      locationId !== null &&
      !line.levels?.some((l) => l.locationId === locationId),
  );
  const levelsRead = await readItemLevels(p.admin, [
    ...new Set(unread.filter(({ line }) => line.levels === null).map(({ line }) => line.inventoryItemId!)),
  ]);
  for (const { line, locationId } of located) {
    const key = `${line.variantId!}@${locationId ?? "any"}`;
    if (stock.has(key)) continue;
    const own = located
      .filter((other) => other.line.variantId === line.variantId && other.locationId === locationId)
      .reduce((n, other) => n + other.line.unfulfilled, 0);
    const levels = line.levels ?? levelsRead.get(line.inventoryItemId ?? "") ?? [];
    // A location with no level yet (a CONTINUE sale where the item was never stocked) has nothing there.
    const level = levels.find((candidate) => candidate.locationId === locationId);
    const available = locationId === null ? line.available : (level?.available ?? 0);
    let later = 0;
    if (available < 0 && line.tracked && line.policy === "CONTINUE" && locationId !== null && line.inventoryItemId) {
      const known = (await findOpenLinesForItem(p.db, p.shop, line.inventoryItemId)).filter(
        (row) => row.locationId === locationId && row.orderId !== order.id,
      );
      const knownUnits = known.reduce((n, row) => n + row.backorderedQty + row.reservedQty, 0);
      if ((level?.committed ?? 0) - own - knownUnits <= 0) {
        later = known
          .filter((row) => placedAfter(row.orderedAt, row.orderId, order))
          .reduce((n, row) => n + row.backorderedQty + row.reservedQty, 0);
      } else {
        laterUnits ??= await readLaterOrderUnits(p.admin, order);
        later = laterUnits.get(`${line.variantId!}@${locationId}`) ?? 0;
      }
    }
    stock.set(key, { available: available + own + later, tracked: line.tracked, policy: line.policy });
  }
  return stock;
}

function placedAfter(orderedAt: Date, orderId: string, order: OrderSnapshot): boolean {
  const delta = orderedAt.getTime() - order.createdAt.getTime();
  return delta > 0 || (delta === 0 && BigInt(numericId(orderId)) > BigInt(numericId(order.id)));
}

/**
 * Fulfillment orders were moved, split, merged, cancelled or put on hold (webhooks naming them). For an order
 * with records, each open record is relinked to the fulfillment order that carries its units now (the one with
 * the app's hold, found by id or handle, else the one with most of the line's units) and to its location; then
 * the order is synced as for any change outside the app. Returns the items of lines whose location changed, for
 * the caller to offer them the stock there. Orders without records are not the app's concern: no Admin call beyond the read.
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

/**
 * A known order changed outside the app: the engine decides from the records and the order as Shopify has it
 * (`orderChanged`), after the ledger says which missing holds the app's own partial release took away (a crash
 * cut it short before the records; the allocation's retry finishes it, shipping.server.ts).
 */
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

/** A line the engine changed, as the record's update (with the status the admin shows). */
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

/**
 * Cancelled on Shopify (which restocked the units): every open unit is a lost sale, the customer's when the
 * order's cancel reason says the customer asked (CUSTOMER), else the merchant's.
 */
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
