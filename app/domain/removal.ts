import { numericId, type Operation, type UnitRemoval } from "./operations";
import { lineStatus, orderMetafield, type LineStatus, type OrderLineState } from "./order-status";

export type RemovalReason = "deadline" | "merchant_cancelled" | "customer_cancelled" | "no_consent";

/** A recorded line of the order, as the removal reads it; `lineId` is the line item's id. */
export interface RemovalLine {
  recordId: string;
  lineId: string;
  variantId: string | null;
  ordered: number;
  shipped: number;
  reserved: number;
  backordered: number;
  lost: number;
  lostReason: string | null;
  unitPriceCents: number;
}

export interface RemovalDecision {
  kind: "remove";
  /** Names the decision: its refund, trigger, e-mail, tags and status are keyed by it. */
  key: string;
  units: number;
  lineChanges: {
    recordId: string;
    change: { backorderedQty: 0; lostQty: number; lostReason: string; expiredAt?: number; status: LineStatus };
  }[];
  /** Per line, in the lines' order: its units cancelled and, with the refund's figures once applied, refunded. */
  cancelled: { recordId: string; quantity: number }[];
  lostSales: { recordId: string; quantity: number; reason: RemovalReason }[];
  operations: Operation[];
}

const NOTES: Record<RemovalReason, string> = {
  deadline: "Backordered units not in stock by the final deadline: cancelled and refunded.",
  merchant_cancelled: "Backordered units cancelled by the merchant and refunded.",
  customer_cancelled: "Backordered units cancelled at the customer's request and refunded.",
  no_consent: "Backordered units cancelled and refunded: the customer did not agree to a later delay.",
};

/** The order's units still waiting, taken off it and refunded: every cancellation takes this one path. */
export function removeUnfilledDecision(
  orderId: string,
  lines: readonly RemovalLine[],
  reason: RemovalReason,
  now: number,
): RemovalDecision | { kind: "nothing_to_do"; reason: "nothing_waiting" } {
  const open = lines.filter((line) => line.backordered > 0);
  if (open.length === 0) return { kind: "nothing_to_do", reason: "nothing_waiting" };
  const key = `${reason}:${orderId}:${open.map((line) => `${numericId(line.lineId)}x${line.backordered}`).join(",")}`;
  const units = open.reduce((n, line) => n + line.backordered, 0);
  return {
    kind: "remove",
    key,
    units,
    lineChanges: open.map((line) => {
      const change = {
        backorderedQty: 0 as const,
        lostQty: line.lost + line.backordered,
        lostReason: line.lostReason ?? reason,
        ...(reason === "deadline" ? { expiredAt: now } : {}),
      };
      const status = lineStatus({
        ...change,
        quantity: line.ordered,
        shippedQty: line.shipped,
        reservedQty: line.reserved,
      });
      return { recordId: line.recordId, change: { ...change, status } };
    }),
    cancelled: open.map((line) => ({ recordId: line.recordId, quantity: line.backordered })),
    lostSales: open.map((line) => ({ recordId: line.recordId, quantity: line.backordered, reason })),
    operations: [
      { kind: "remove_units", key, orderId, removals: unfilledRemovals(open), note: NOTES[reason] },
      {
        kind: "flow",
        trigger: "cancelled",
        subject: key,
        payload: { order_id: Number(numericId(orderId)), "Cancelled units": units, Reason: reason },
      },
    ],
  };
}

export function unfilledRemovals(lines: readonly RemovalLine[]): UnitRemoval[] {
  return lines
    .filter((line) => line.backordered > 0)
    .map((line) => ({
      lineItemId: line.lineId,
      variantId: line.variantId,
      quantity: line.backordered,
      // Recorded quantities start at routing, before any fulfilment: the line keeps what was never lost.
      targetQuantity: line.ordered - line.lost - line.backordered,
      unitPriceCents: line.unitPriceCents,
    }));
}

/** One of the order's recorded lines once the removal, and what it let ship, are written. */
export interface RemovedOrderLine extends OrderLineState {
  reserved: number;
}

/**
 * What Shopify shows of an order after a removal and the shipping it allowed: its status metafield, and its tag off
 * once no unit waits or is reserved for it.
 */
export function afterRemovalOperations(orderId: string, lines: readonly RemovedOrderLine[], tag: string): Operation[] {
  const operations: Operation[] = [];
  if (lines.length > 0)
    operations.push({
      kind: "set_metafield",
      metafield: orderMetafield(
        orderId,
        lines.map(({ reserved: _reserved, ...line }) => line),
      ),
    });
  if (lines.every((line) => line.backordered + line.reserved === 0))
    operations.push({ kind: "remove_tags", orderId, tags: [tag] });
  return operations;
}
