import type { LostReason } from "./types";

export interface OrderOnShopify {
  lines: readonly { id: string; quantity: number }[];
  fulfillmentOrders: readonly {
    id: string;
    holds: readonly { id: string; handle: string | null; ours: boolean }[];
  }[];
}

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

/** Whether the app took each away itself (a partial release cut short by a crash) is the ledger's to say. */
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

/** Shopify is the truth; a hold gone not by the app's own partial release means its units shipped. */
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
