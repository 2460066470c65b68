import type { Settings } from "./types";

/** An item's stock as Shopify reports it just before the order took it. */
export interface StockBefore {
  /** Shopify's `available`; negative under policy CONTINUE once the item is oversold. */
  available: number;
  tracked: boolean;
  policy: "CONTINUE" | "DENY";
}

export interface OrderLineInput {
  lineId: string;
  itemId: string;
  quantity: number;
}

export interface LineDetection {
  lineId: string;
  itemId: string;
  quantity: number;
  shipNow: number;
  backordered: number;
  /** Units beyond the item's backorder cap: a lost sale with reason `cap_reached`. */
  capReached: number;
  /** Why the engine does not manage this line's stock (always shipped now), or null. */
  unmanaged: "untracked" | "policy_deny" | null;
}

/** The cap for an item: its own cap if set (null lifts it), else the shop's. */
export function backorderCapFor(itemId: string, settings: Pick<Settings, "backorderCap" | "variantCaps">) {
  return Object.hasOwn(settings.variantCaps, itemId) ? (settings.variantCaps[itemId] ?? null) : settings.backorderCap;
}

/**
 * Splits each line of one order into what ships now and what waits. Lines of the order for the same item take
 * the stock in line order. The units already on backorder for an item are `-available` when it is negative
 * (Shopify lets `available` fall below zero under CONTINUE), so the cap needs no other count. Untracked items and
 * items with policy DENY are never backordered: Shopify accepted the order, so they ship.
 */
export function detect(
  lines: readonly OrderLineInput[],
  stock: ReadonlyMap<string, StockBefore>,
  settings: Pick<Settings, "backorderCap" | "variantCaps">,
): LineDetection[] {
  const free = new Map<string, number>();
  const capRoom = new Map<string, number>();
  return lines.map((line) => {
    const item = stock.get(line.itemId);
    if (!item) throw new Error(`detect: no stock given for item ${line.itemId} of line ${line.lineId}`);
    if (!item.tracked || item.policy === "DENY") {
      return {
        lineId: line.lineId,
        itemId: line.itemId,
        quantity: line.quantity,
        shipNow: line.quantity,
        backordered: 0,
        capReached: 0,
        unmanaged: item.tracked ? "policy_deny" : "untracked",
      };
    }
    const available = free.get(line.itemId) ?? Math.max(0, item.available);
    const cap = backorderCapFor(line.itemId, settings);
    const room = capRoom.get(line.itemId) ?? (cap === null ? Infinity : Math.max(0, cap + Math.min(0, item.available)));

    const shipNow = Math.min(line.quantity, available);
    const backordered = Math.min(line.quantity - shipNow, room);
    free.set(line.itemId, available - shipNow);
    capRoom.set(line.itemId, room - backordered);
    return {
      lineId: line.lineId,
      itemId: line.itemId,
      quantity: line.quantity,
      shipNow,
      backordered,
      capReached: line.quantity - shipNow - backordered,
      unmanaged: null,
    };
  });
}

/**
 * A new order's lines as placed: `detect`, then the allocation window. In a batch window every managed unit waits
 * for the cut-off (none ships now), so that orders placed before it compete under the policy; in the immediate
 * window what the order found in stock ships now. The replay and the pipeline's routing both place orders here.
 */
export function placeOrder(
  lines: readonly OrderLineInput[],
  stock: ReadonlyMap<string, StockBefore>,
  settings: Pick<Settings, "allocationWindow" | "backorderCap" | "variantCaps">,
): LineDetection[] {
  const detections = detect(lines, stock, settings);
  if (settings.allocationWindow !== "batch") return detections;
  return detections.map((line) =>
    line.unmanaged === null ? { ...line, shipNow: 0, backordered: line.backordered + line.shipNow } : line,
  );
}
