import type { Settings } from "./types";

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
  capReached: number;
  unmanaged: "untracked" | "policy_deny" | null;
}

export function backorderCapFor(itemId: string, settings: Pick<Settings, "backorderCap" | "variantCaps">) {
  return Object.hasOwn(settings.variantCaps, itemId) ? (settings.variantCaps[itemId] ?? null) : settings.backorderCap;
}

/** Under CONTINUE Shopify lets `available` go negative, so `-available` is what is on backorder for the cap. */
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

/** In a batch window every managed unit waits for the cut-off, so that orders placed before it compete. */
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
