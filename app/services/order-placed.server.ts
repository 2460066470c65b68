import {
  finalDeadline,
  newLineQuantities,
  newOrderDecision,
  planNewOrder,
  type NewLinePlan,
  type NewOrderDecision,
} from "../domain";
import {
  lostSale,
  recordDetectedOrder,
  type NewBackorderLine,
  type NewTimelineEvent,
} from "../models/backorders.server";
import { checkCaps } from "./caps.server";
import { datesForNewLines, redateItem } from "./dates.server";
import type { Pipeline } from "./pipeline.server";
import { engineSettings, lineStatus } from "./records-for-engine";
import { applyOperations, notHeldReason, variantDatesToWrite, type AppliedOperations } from "./apply";
import type { NewFlowEvent } from "../models/flow-events.server";
import { customerMessage } from "./messages/compose";
import { variantDateMetafield } from "./metafields";
import type { OrderSnapshot, SnapshotLine } from "./reads/snapshot";
import { stockBeforeOrder } from "./stock-before-order.server";

/** What became of a new order: shipped as Shopify routed it, or recorded with its waiting and capped units. */
export type NewOrderOutcome =
  | { kind: "not_backordered" }
  | { kind: "detected"; lines: number; backordered: number; held: number; capReached: number };

interface NewLine {
  plan: NewLinePlan;
  line: SnapshotLine;
  locationId: string | null;
}

type NewLineDates = Awaited<ReturnType<typeof datesForNewLines>>;

/** Read (the order, stock, dates), decide (`newOrderDecision`), apply: one list, the records at its step 2. */
export async function detectOrder(p: Pipeline, order: OrderSnapshot): Promise<NewOrderOutcome> {
  const settings = engineSettings(p.settings);
  // Stock is per location: each line waits for, or ships from, the location its fulfillment order is assigned to.
  const located = order.lines
    .filter((line) => line.variantId !== null && line.unfulfilled > 0)
    .map((line) => ({ line, locationId: lineLocation(order, line.id) }));
  const stock = await stockBeforeOrder(p, order, located);
  const plans = planNewOrder(
    located.map(({ line, locationId }) => ({
      lineId: line.id,
      variantId: line.variantId!,
      productId: line.productId,
      locationId,
      unfulfilled: line.unfulfilled,
    })),
    stock,
    settings,
  );
  if (!plans) return { kind: "not_backordered" };

  const lines: NewLine[] = plans.map((plan) => ({ ...located.find(({ line }) => line.id === plan.lineId)!, plan }));
  const orderTags = [...order.tags, ...(order.customer?.tags ?? [])].filter((tag) => tag !== p.settings.orderTag);
  const dated = await datesForNewLines(
    p,
    lines
      .filter(({ plan }) => plan.backordered > 0)
      .map(({ line, locationId, plan }) => ({
        lineItemId: line.id,
        inventoryItemId: line.inventoryItemId,
        variantId: line.variantId!,
        productId: line.productId,
        locationId,
        backordered: plan.backordered,
        orderedAt: order.createdAt,
        tags: orderTags,
      })),
  );
  const decision = newOrderDecision(
    {
      orderId: order.id,
      createdAt: order.createdAt.getTime(),
      tags: order.tags,
      fulfillmentOrders: order.fulfillmentOrders,
      lines: lines.map(({ plan, line }) => ({
        plan,
        variantId: line.variantId,
        quantity: line.quantity,
        unitPriceCents: line.unitPriceCents,
      })),
      promisedAt: new Map([...dated.dates].map(([lineId, date]) => [lineId, date.promisedAt])),
      variantDates: await variantDatesToWrite(
        p,
        [...dated.storefront].map(([variantId, date]) => variantDateMetafield(variantId, date)),
      ),
    },
    { orderTag: p.settings.orderTag },
  );
  // The cap's refund, the holds with what the first carries, then the records (apply/index.ts, step 2).
  await applyOperations(
    p,
    decision.operations,
    (applied) => recordNewOrder(p, order, lines, dated, decision, applied, orderTags),
    { read: new Map([[order.id, order]]) },
  );
  await afterNewOrder(p, order, lines, settings.allocationPolicy);

  const unheldUnits = (line: NewLine) => unheldOf(decision, line.line.id)?.quantity ?? 0;
  return {
    kind: "detected",
    lines: lines.length,
    backordered: sum(lines, ({ plan }) => plan.backordered),
    held: sum(lines, (line) => line.plan.hold - unheldUnits(line)),
    capReached: sum(lines, ({ plan }) => plan.capReached),
  };
}

function sum<T>(items: readonly T[], of: (item: T) => number): number {
  return items.reduce((n, item) => n + of(item), 0);
}

function promisedOf(dated: NewLineDates, { plan }: NewLine): Date | null {
  const date = dated.dates.get(plan.lineId);
  return plan.backordered > 0 && date ? new Date(date.promisedAt) : null;
}

function unheldOf(decision: NewOrderDecision, lineItemId: string) {
  return decision.unheld.flatMap((units) =>
    units.lines.filter((line) => line.lineItemId === lineItemId).map((line) => ({ ...units, ...line })),
  )[0];
}

async function recordNewOrder(
  p: Pipeline,
  order: OrderSnapshot,
  lines: readonly NewLine[],
  dated: NewLineDates,
  decision: NewOrderDecision,
  applied: AppliedOperations & { flows: readonly NewFlowEvent[] },
  orderTags: string[],
): Promise<void> {
  const now = p.now();
  const deadline = new Date(
    finalDeadline({ orderedAt: order.createdAt.getTime(), consent: null }, engineSettings(p.settings)),
  );
  const rows = lines.map((line) => newLineRow(order, line, { dated, decision, applied, tags: orderTags, deadline }));
  const events: NewTimelineEvent[] = lines.flatMap((line) => [
    ...heldEvents(order.id, line.plan, unheldOf(decision, line.line.id), now),
    ...(line.plan.capReached > 0
      ? [
          {
            orderId: order.id,
            backorderLineId: line.line.id,
            kind: "lost" as const,
            quantity: line.plan.capReached,
            at: now,
            detail: { reason: "cap_reached" },
          },
        ]
      : []),
  ]);
  // At detection a line's only lost units are those beyond the cap.
  const lostSales = rows.filter((row) => row.lostQty > 0).map((row) => lostSale(row, row.lostQty, "cap_reached", now));
  const waiting = lines.filter(({ plan }) => plan.backordered > 0);
  const confirmation =
    waiting.length > 0
      ? customerMessage(p, "confirmation", order.id, order.id, {
          items: waiting.map(({ line, plan }) => ({ title: line.title, quantity: plan.backordered })),
          promisedAt: new Date(decision.promisedAt).toISOString().slice(0, 10),
        })
      : [];
  await recordDetectedOrder(p.db, p.shop, rows, events, lostSales, applied.flows, confirmation);
}

function newLineRow(
  order: OrderSnapshot,
  { line, plan, locationId }: NewLine,
  {
    dated,
    decision,
    applied,
    tags,
    deadline,
  }: { dated: NewLineDates; decision: NewOrderDecision; applied: AppliedOperations; tags: string[]; deadline: Date },
): NewBackorderLine {
  const hold = decision.holds.find((candidate) => candidate.lines.some((held) => held.lineItemId === line.id));
  const holdId = hold ? (hold.holdId ?? applied.held.get(hold.fulfillmentOrderId) ?? null) : null;
  const quantities = newLineQuantities(plan);
  const waits = plan.backordered > 0;
  return {
    orderId: order.id,
    orderName: order.name,
    orderedAt: order.createdAt,
    orderUpdatedAt: new Date(applied.orderUpdatedAt.get(order.id) ?? order.updatedAt),
    lineItemId: line.id,
    variantId: line.variantId,
    productId: line.productId,
    inventoryItemId: line.inventoryItemId,
    sku: line.sku,
    title: line.title,
    customerId: order.customer?.id ?? null,
    customerName: order.customer?.name ?? null,
    tags,
    unitPriceCents: line.unitPriceCents,
    currency: order.currency,
    ...quantities,
    status: lineStatus(quantities),
    fulfillmentOrderId: hold?.fulfillmentOrderId ?? unheldOf(decision, line.id)?.fulfillmentOrderId ?? null,
    locationId,
    holdId,
    holdHandle: hold?.handle ?? null,
    promisedAt: promisedOf(dated, { line, plan, locationId }),
    promisedBasis: waits ? (dated.dates.get(line.id)?.basis ?? null) : null,
    deadlineAt: waits ? deadline : null,
  };
}

/** Under a policy that can put the new line ahead of others their dates move, and caps may now be reached. */
async function afterNewOrder(
  p: Pipeline,
  order: OrderSnapshot,
  lines: readonly NewLine[],
  policy: string,
): Promise<void> {
  if (policy !== "fifo") {
    const waiting = lines.filter(({ plan }) => plan.backordered > 0);
    for (const { line } of waiting.filter(
      (w, i) => waiting.findIndex((o) => o.line.variantId === w.line.variantId) === i,
    )) {
      if (!line.inventoryItemId) continue;
      const item = { inventoryItemId: line.inventoryItemId, variantId: line.variantId!, productId: line.productId };
      await redateItem(p, item, `order:${order.id}`);
    }
  }
  await checkCaps(
    p,
    lines.map(({ line }) => ({
      variantId: line.variantId!,
      productId: line.productId,
      inventoryItemId: line.inventoryItemId,
      policy: line.policy,
    })),
  );
}

/** "not_held" tells the merchant why: Shopify offered no HOLD (docs/decisions/0020-fulfillment-services.md). */
function heldEvents(
  orderId: string,
  plan: NewLinePlan,
  unheld: { requestStatus: string; quantity: number } | undefined,
  at: Date,
): NewTimelineEvent[] {
  const notHeld = Math.min(plan.hold, unheld?.quantity ?? 0);
  const event = { orderId, backorderLineId: plan.lineId, at };
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
 * Shopify splits a line across locations only when it stops selling when out of stock (shopify.dev "Split line
 * items across fulfillment orders"), and such a line is never backordered, so one location per line is enough.
 */
function lineLocation(order: OrderSnapshot, lineItemId: string): string | null {
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
