import { newLineQuantities, type NewLinePlan } from "./new-order";
import {
  holdHandle,
  numericId,
  offers,
  type FulfillmentOrderState,
  type Metafield,
  type Operation,
  type UnitRemoval,
} from "./operations";
import { lineStatus, orderMetafield, type OrderLineState } from "./order-status";

/** A new order as detection read it, with the plan of each line it keeps (`planNewOrder`). */
export interface NewOrderSnapshot {
  orderId: string;
  /** Epoch milliseconds. */
  createdAt: number;
  /** The order's own tags, as read. */
  tags: readonly string[];
  fulfillmentOrders: readonly FulfillmentOrderState[];
  lines: readonly NewOrderDecisionLine[];
  /** The promised date (epoch milliseconds) of each waiting line that has one, by line item. */
  promisedAt: ReadonlyMap<string, number>;
  /** Storefront dates not yet written, as the ledger says (`variantDatesToWrite`). */
  variantDates: readonly Metafield[];
}

export interface NewOrderDecisionLine {
  plan: NewLinePlan;
  variantId: string | null;
  /** On Shopify, after edits and refunds. */
  quantity: number;
  unitPriceCents: number;
}

/** Units of a line on one fulfillment order. */
export interface HeldLine {
  lineItemId: string;
  quantity: number;
}

/** The app's hold on a fulfillment order: `holdId` already on Shopify, or null until the hold operation places it. */
export interface NewHold {
  fulfillmentOrderId: string;
  holdId: string | null;
  handle: string;
  lines: HeldLine[];
}

/** No HOLD offered: a fulfillment service has the request (docs/decisions/0020-fulfillment-services.md). */
export interface UnheldUnits {
  fulfillmentOrderId: string;
  requestStatus: string;
  lines: HeldLine[];
}

export interface NewOrderDecision {
  /** In the order's fulfillment order order, those the app held before a retry included. */
  holds: NewHold[];
  unheld: UnheldUnits[];
  /** Epoch milliseconds: the latest promised date, the order's creation when none. */
  promisedAt: number;
  operations: Operation[];
}

export const CAP_NOTE = "Backorder limit reached for this item: the units beyond it were cancelled and refunded.";

/**
 * The whole of what detection asks of Shopify for a new order, in `applyOperations`' order: the units beyond the cap
 * refunded before any hold (Shopify picks the fulfillment order a refund takes units from), then the holds of the
 * units the plan keeps back, the first carrying the order's tag, status metafield, storefront dates and created
 * trigger (`order_detected`).
 */
export function newOrderDecision(order: NewOrderSnapshot, settings: { orderTag: string }): NewOrderDecision {
  const operations: Operation[] = [];
  const capped = order.lines.filter(({ plan }) => plan.capReached > 0);
  if (capped.length > 0)
    operations.push({
      kind: "remove_units",
      key: `cap:${order.orderId}`,
      orderId: order.orderId,
      removals: capped.map(capRemoval),
      note: CAP_NOTE,
    });

  const { holds, unheld, requests } = holdSteps(
    order,
    new Map(order.lines.filter(({ plan }) => plan.hold > 0).map(({ plan }) => [plan.lineId, plan.hold])),
  );
  operations.push(...requests);

  const backordered = order.lines.reduce((n, { plan }) => n + plan.backordered, 0);
  const promisedAt = Math.max(order.createdAt, ...order.lines.map(({ plan }) => promisedOf(order, plan) ?? 0));
  const lineStates: OrderLineState[] = order.lines.map(({ plan }) => {
    const quantities = newLineQuantities(plan);
    return {
      lineItemId: plan.lineId,
      status: lineStatus(quantities),
      backordered: plan.backordered,
      shipped: plan.release,
      lost: plan.capReached,
      lostReason: quantities.lostReason,
      losses: plan.capReached > 0 ? { cap_reached: plan.capReached } : ({} as Record<string, number>),
      promisedAt: promisedOf(order, plan),
    };
  });
  operations.push({
    kind: "order_detected",
    orderId: order.orderId,
    addTags: order.tags.includes(settings.orderTag) ? null : [settings.orderTag],
    orderMetafields: [orderMetafield(order.orderId, lineStates)],
    variantDates: [...order.variantDates],
    created:
      backordered > 0
        ? {
            order_id: Number(numericId(order.orderId)),
            "Backordered units": backordered,
            "Promised date": new Date(promisedAt).toISOString().slice(0, 10),
          }
        : null,
    heldBefore: order.fulfillmentOrders.some((fo) =>
      fo.holds.some((hold) => hold.ours && hold.handle === holdHandle(order.orderId, fo.id)),
    ),
  });
  return { holds, unheld, promisedAt, operations };
}

function capRemoval({ plan, variantId, quantity, unitPriceCents }: NewOrderDecisionLine): UnitRemoval {
  return {
    lineItemId: plan.lineId,
    variantId,
    quantity: plan.capReached,
    targetQuantity: quantity - plan.capReached,
    unitPriceCents,
  };
}

function promisedOf(order: NewOrderSnapshot, plan: NewLinePlan): number | null {
  return plan.backordered > 0 ? (order.promisedAt.get(plan.lineId) ?? null) : null;
}

/** A fulfillment order the app already holds counts as held, so a retry asks nothing twice. */
function holdSteps(order: NewOrderSnapshot, quantityByLine: ReadonlyMap<string, number>) {
  const left = new Map(quantityByLine);
  const take = (lines: readonly HeldLine[]) => {
    for (const line of lines) left.set(line.lineItemId, (left.get(line.lineItemId) ?? 0) - line.quantity);
  };
  const holds: NewHold[] = [];
  const unheld: UnheldUnits[] = [];
  const requests: Extract<Operation, { kind: "hold" }>[] = [];
  for (const fo of order.fulfillmentOrders) {
    const handle = holdHandle(order.orderId, fo.id);
    const existing = fo.holds.find((hold) => hold.ours && hold.handle === handle);
    if (existing) {
      const lines = fo.lines
        .filter((line) => line.remaining > 0)
        .map((line) => ({ lineItemId: line.lineItemId, quantity: line.remaining }));
      take(lines);
      holds.push({ fulfillmentOrderId: fo.id, holdId: existing.id, handle, lines });
      continue;
    }
    if (fo.status !== "OPEN" && fo.status !== "IN_PROGRESS" && fo.status !== "ON_HOLD") continue;
    const selection = fo.lines.flatMap((line) => {
      const quantity = Math.min(line.remaining, left.get(line.lineItemId) ?? 0);
      return quantity > 0 ? [{ id: line.id, quantity, lineItemId: line.lineItemId }] : [];
    });
    if (selection.length === 0) continue;
    const lines = selection.map(({ lineItemId, quantity }) => ({ lineItemId, quantity }));
    take(lines);
    // A fulfillment service has the request: Shopify would refuse the hold, and withdrawing the merchant's
    // request is not the app's call. The units wait unheld; the service ships them when it has them.
    if (!offers(fo, "HOLD")) {
      unheld.push({ fulfillmentOrderId: fo.id, requestStatus: fo.requestStatus, lines });
      continue;
    }
    holds.push({ fulfillmentOrderId: fo.id, holdId: null, handle, lines });
    // Held already by the merchant or another app: Shopify takes a further hold (since 2025-01) only without
    // line items, so the app's hold covers the whole fulfillment order (decision 0017).
    requests.push({
      kind: "hold",
      orderId: order.orderId,
      fulfillmentOrderId: fo.id,
      handle,
      lines: fo.status === "ON_HOLD" ? null : selection.map(({ id, quantity }) => ({ id, quantity })),
    });
  }
  return { holds, unheld, requests };
}
