/**
 * What Shopify shows, read from Local Shopify's state (`GET /_local/state`) and told as a timeline: per order the
 * units on hold, released and fulfilled, cancelled and refunded, and its tags. `viewOf` reads one moment;
 * `changes` says what changed between two, with Shopify's own timestamps where it keeps them. Pure functions: the
 * demo prints them and its test checks them against the same state.
 */

/** The part of one shop in `/_local/state` that the timeline reads. */
export interface StateShop {
  domain: string;
  orders: {
    id: number;
    name: string;
    tags: string[];
    cancelledAt: string | null;
    lineItems: {
      id: number;
      sku: string | null;
      quantity: number;
      currentQuantity: number;
      fulfilledQuantity: number;
    }[];
  }[];
  fulfillmentOrders: {
    orderId: number;
    status: string;
    holds: { reason: string }[];
    lineItems: { remainingQuantity: number }[];
  }[];
  refunds: { orderId: number; createdAt: string; transactionIds: number[]; lines: { quantity: number }[] }[];
  transactions: { id: number; amountCents: number }[];
  variants: { sku: string | null; inventoryItemId: number }[];
  inventoryLevels: { inventoryItemId: number; quantities: { available: number } }[];
}

export interface OrderView {
  name: string;
  ordered: number;
  fulfilled: number;
  onHold: number;
  /** Units taken off the order: cancelled with it, or refunded before they shipped. */
  removed: number;
  refundedCents: number;
  holdReasons: string[];
  tags: string[];
  cancelled: boolean;
}

export interface ShopView {
  available: number;
  orders: Map<number, OrderView>;
  refundTimes: Map<number, string[]>;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function orderView(shop: StateShop, order: StateShop["orders"][number]): OrderView {
  const fos = shop.fulfillmentOrders.filter((fo) => fo.orderId === order.id);
  const held = fos.filter((fo) => fo.status === "ON_HOLD");
  const refundIds = shop.refunds.filter((r) => r.orderId === order.id).flatMap((r) => r.transactionIds);
  const ordered = sum(order.lineItems.map((l) => l.quantity));
  const fulfilled = sum(order.lineItems.map((l) => l.fulfilledQuantity));
  const current = sum(order.lineItems.map((l) => l.currentQuantity));
  return {
    name: order.name,
    ordered,
    fulfilled,
    onHold: sum(held.flatMap((fo) => fo.lineItems.map((l) => l.remainingQuantity))),
    removed: ordered - current + (order.cancelledAt ? current - fulfilled : 0),
    refundedCents: sum(shop.transactions.filter((t) => refundIds.includes(t.id)).map((t) => t.amountCents)),
    holdReasons: [...new Set(held.flatMap((fo) => fo.holds.map((h) => h.reason)))],
    tags: [...order.tags].sort(),
    cancelled: order.cancelledAt !== null,
  };
}

/** Shopify's view of the shop now; `sku` names the item whose `available` is followed. */
export function viewOf(shop: StateShop, sku: string): ShopView {
  const items = new Set(shop.variants.filter((v) => v.sku === sku).map((v) => v.inventoryItemId));
  const times = (list: { orderId: number; createdAt: string }[]) => {
    const map = new Map<number, string[]>();
    for (const entry of list) map.set(entry.orderId, [...(map.get(entry.orderId) ?? []), entry.createdAt]);
    return map;
  };
  return {
    available: sum(shop.inventoryLevels.filter((l) => items.has(l.inventoryItemId)).map((l) => l.quantities.available)),
    orders: new Map(shop.orders.map((order) => [order.id, orderView(shop, order)])),
    refundTimes: times(shop.refunds),
  };
}

export function money(cents: number): string {
  return `$${(cents / 100).toFixed(2)}`;
}

/** "Nov 10 00:00" in UTC, the demo's time zone. */
export function when(iso: string): string {
  const date = new Date(iso);
  const month = date.toLocaleString("en-US", { month: "short", timeZone: "UTC" });
  return `${month} ${date.getUTCDate()} ${date.toISOString().slice(11, 16)}`;
}

/** One order's changes, in the order a merchant would read them. */
function orderChanges(before: OrderView | undefined, after: OrderView, times: { refunds: string[] }): string[] {
  const was = before ?? { ...after, fulfilled: 0, onHold: 0, removed: 0, refundedCents: 0, tags: [], cancelled: false };
  const parts: string[] = [];
  const held = after.onHold - was.onHold;
  const shipped = after.fulfilled - was.fulfilled;
  if (held > 0) parts.push(`${held} put on hold (${after.holdReasons.join(", ")})`);
  if (held < 0 && shipped > 0) parts.push(`hold released for ${Math.min(-held, shipped)}`);
  if (shipped > 0) parts.push(`${shipped} fulfilled`);
  const removed = after.removed - was.removed;
  if (removed > 0)
    parts.push(after.cancelled && !was.cancelled ? `cancelled (${removed} units)` : `${removed} unfulfilled cancelled`);
  const refunded = after.refundedCents - was.refundedCents;
  if (refunded > 0) {
    const at = times.refunds.at(-1);
    parts.push(`refunded ${money(refunded)}${at ? ` on ${when(at)}` : ""}`);
  }
  for (const tag of after.tags.filter((t) => !was.tags.includes(t))) parts.push(`tagged "${tag}"`);
  for (const tag of was.tags.filter((t) => !after.tags.includes(t))) parts.push(`tag "${tag}" removed`);
  if (parts.length === 0) return [];
  const state = `now ${after.fulfilled} fulfilled, ${after.onHold} on hold${after.removed ? `, ${after.removed} removed` : ""}`;
  return [`${after.name}: ${parts.join(", ")}; ${state}`];
}

/** What changed on Shopify from `before` (null: nothing yet) to `after`, one line per order and one for stock. */
export function changes(before: ShopView | null, after: ShopView, itemTitle: string): string[] {
  const lines: string[] = [];
  for (const [id, order] of after.orders) {
    lines.push(...orderChanges(before?.orders.get(id), order, { refunds: after.refundTimes.get(id) ?? [] }));
  }
  if (before && before.available !== after.available) {
    lines.push(`${itemTitle} available: ${before.available} → ${after.available}`);
  }
  return lines;
}

/** The closing table: every order as Shopify shows it. */
export function summary(view: ShopView): string[] {
  const rows = [...view.orders.values()].map((o) =>
    [o.name, o.ordered, o.fulfilled, o.onHold, o.removed, money(o.refundedCents), o.tags.join(" ") || "—"].map(String),
  );
  const header = ["order", "ordered", "fulfilled", "on hold", "removed", "refunded", "tags"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const format = (row: string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [format(header), format(widths.map((w) => "-".repeat(w))), ...rows.map(format)];
}
