export interface RecordedHold {
  orderId: string;
  holdId: string | null;
  heldUnits: number;
}

export interface DriftInput {
  holdsOnShopify: ReadonlyMap<string, string>;
  recorded: readonly RecordedHold[];
  unseenOrderIds: readonly string[];
}

export interface Drift {
  holdsWithoutRecord: number;
  recordsWithoutHold: number;
  ordersNeverSeen: number;
  ordersToHeal: string[];
}

/** Webhooks can be lost; an order counts under the first drift it shows, and is healed once. */
export function findDrift({ holdsOnShopify, recorded, unseenOrderIds }: DriftInput): Drift {
  const orders = new Set<string>();
  const recordedHolds = new Set(recorded.map((line) => line.holdId));
  let holdsWithoutRecord = 0;
  for (const [holdId, orderId] of holdsOnShopify) {
    if (recordedHolds.has(holdId)) continue;
    holdsWithoutRecord++;
    orders.add(orderId);
  }
  let recordsWithoutHold = 0;
  for (const line of recorded) {
    if (line.heldUnits <= 0 || (line.holdId !== null && holdsOnShopify.has(line.holdId))) continue;
    recordsWithoutHold++;
    orders.add(line.orderId);
  }
  let ordersNeverSeen = 0;
  for (const orderId of unseenOrderIds) {
    if (orders.has(orderId)) continue;
    ordersNeverSeen++;
    orders.add(orderId);
  }
  return { holdsWithoutRecord, recordsWithoutHold, ordersNeverSeen, ordersToHeal: [...orders] };
}
