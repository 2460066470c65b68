import type { LostReason } from "./types";

/** An order the app has records of, as Shopify has it now: line quantities after edits and refunds, and holds. */
export interface OrderOnShopify {
  lines: readonly { id: string; quantity: number }[];
  fulfillmentOrders: readonly {
    id: string;
    holds: readonly { id: string; handle: string | null; ours: boolean }[];
  }[];
}

/** One of the order's lines as the app recorded it, and where its waiting units are held. */
export interface RecordedLine {
  recordId: string;
  lineItemId: string;
  ordered: number;
  shipped: number;
  reserved: number;
  backordered: number;
  lost: number;
  lostReason: LostReason | null;
  fulfillmentOrderId: string | null;
  holdId: string | null;
  holdHandle: string | null;
}

/** A changed line's quantities; `holdGone`: the app's hold is no longer on Shopify and the record forgets it. */
export interface ChangedLine {
  recordId: string;
  shipped: number;
  reserved: number;
  backordered: number;
  lost: number;
  lostReason: LostReason | null;
  holdGone: boolean;
}

export interface OutsideEvent {
  recordId: string;
  kind: "cancelled" | "released";
  quantity: number;
  at: number;
  by: "outside_app";
}

export type OrderChange =
  | { kind: "up_to_date" }
  | {
      kind: "changed_outside_app";
      lines: ChangedLine[];
      events: OutsideEvent[];
      lostSales: { recordId: string; quantity: number; reason: "merchant_cancelled"; at: number }[];
      releasedUnits: number;
      removedUnits: number;
    };

/**
 * The holds of open lines that Shopify no longer shows, neither by id on the line's fulfillment order nor as the
 * app's hold under the line's handle. Whether the app took each away itself, in a partial release a crash cut short
 * (release, then hold the waiting units again under the same handle), is the ledger's to say: `orderChanged` takes
 * the answer.
 */
export function holdsToConfirm(lines: readonly RecordedLine[], order: OrderOnShopify): string[] {
  const missing = lines.flatMap((line) => {
    if (line.reserved + line.backordered === 0 || line.holdId === null) return [];
    const fo = order.fulfillmentOrders.find((candidate) => candidate.id === line.fulfillmentOrderId);
    if (fo?.holds.some((hold) => hold.id === line.holdId)) return [];
    if (fo?.holds.some((hold) => hold.ours && hold.handle === line.holdHandle)) return [];
    return [line.holdId];
  });
  return [...new Set(missing)];
}

/**
 * A known order changed outside the app. Shopify is the truth: units taken off a line (an edit or a refund by the
 * merchant) are lost sales; when the app's hold is gone (released by the merchant or another app, not by the app's
 * own partial release, `ownPartialReleases`), the units it held that are still on the order count as shipped.
 */
export function orderChanged(
  lines: readonly RecordedLine[],
  order: OrderOnShopify,
  ownPartialReleases: ReadonlySet<string>,
  now: number,
): OrderChange {
  const gone = new Set(holdsToConfirm(lines, order).filter((holdId) => !ownPartialReleases.has(holdId)));
  const changed: ChangedLine[] = [];
  const events: OutsideEvent[] = [];
  let releasedUnits = 0;
  let removedUnits = 0;
  for (const line of lines) {
    const open = line.reserved + line.backordered;
    if (open === 0) continue;
    const onShopify = order.lines.find((candidate) => candidate.id === line.lineItemId)?.quantity ?? 0;
    // The line on Shopify keeps what the app recorded minus the units the app itself removed (lost).
    const removed = Math.min(open, Math.max(0, line.ordered - line.lost - onShopify));
    const holdGone = line.holdId !== null && gone.has(line.holdId);
    const released = holdGone ? open - removed : 0;
    if (removed === 0 && released === 0) continue;
    const fromBackordered = Math.min(line.backordered, removed);
    changed.push({
      recordId: line.recordId,
      shipped: line.shipped + released,
      reserved: holdGone ? 0 : line.reserved - (removed - fromBackordered),
      backordered: holdGone ? 0 : line.backordered - fromBackordered,
      lost: line.lost + removed,
      lostReason: removed > 0 ? (line.lostReason ?? "merchant_cancelled") : line.lostReason,
      holdGone,
    });
    const event = { recordId: line.recordId, at: now, by: "outside_app" as const };
    if (removed > 0) events.push({ ...event, kind: "cancelled", quantity: removed });
    if (released > 0) events.push({ ...event, kind: "released", quantity: released });
    releasedUnits += released;
    removedUnits += removed;
  }
  if (changed.length === 0) return { kind: "up_to_date" };
  const lostSales = events
    .filter((event) => event.kind === "cancelled")
    .map((event) => ({
      recordId: event.recordId,
      quantity: event.quantity,
      reason: "merchant_cancelled" as const,
      at: now,
    }));
  return { kind: "changed_outside_app", lines: changed, events, lostSales, releasedUnits, removedUnits };
}
