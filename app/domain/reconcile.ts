/** A recorded line's hold as the reconciliation compares it with Shopify's. */
export interface RecordedHold {
  orderId: string;
  holdId: string | null;
  /** Units still held for the line on Shopify: reserved and backordered. */
  heldUnits: number;
}

export interface DriftInput {
  /** The app's own holds Shopify shows now: hold id → order id. */
  holdsOnShopify: ReadonlyMap<string, string>;
  recorded: readonly RecordedHold[];
  /** Recent open orders on Shopify that have no record, in Shopify's order. */
  unseenOrderIds: readonly string[];
}

export interface Drift {
  holdsWithoutRecord: number;
  recordsWithoutHold: number;
  ordersNeverSeen: number;
  /** Each order to process again as a delivery would have, once, in the order its drift was found. */
  ordersToHeal: string[];
}

/**
 * Where the records and Shopify disagree, since webhooks can be lost: the app's holds with no record, records
 * that still hold units whose hold is gone, and recent orders no delivery told the app about. An order counts
 * under the first of these it shows, and is healed once.
 */
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
