import { stockKey, type StockBefore } from "../domain";
import { findOpenLinesForItem } from "../models/backorders.server";
import { BackorderLaterOrdersDocument, type BackorderLaterOrdersQuery } from "../shopify/generated/operations";
import type { AdminGateway } from "../shopify/gateway.server";
import type { Pipeline } from "./pipeline.server";
import { numericId } from "./shopify-values";
import { readItemLevels } from "./reads/inventory.server";
import { readOrder } from "./reads/orders.server";
import { stockLevel, type OrderSnapshot, type SnapshotLine, type StockLevel } from "./reads/snapshot";

/**
 * Shopify's `available` already counts this order's units and every other order's: this order's are added back,
 * and so are those of orders placed after it, so that of two orders racing for the last unit only the later one
 * waits ("Stock before an order", docs/decisions/0008-backorder-processing.md).
 */
export async function stockBeforeOrder(
  p: Pipeline,
  order: OrderSnapshot,
  located: { line: SnapshotLine; locationId: string | null }[],
): Promise<Map<string, StockBefore>> {
  const stock = new Map<string, StockBefore>();
  const unread = located.filter(
    ({ line, locationId }) =>
      line.inventoryItemId &&
      line.tracked &&
      locationId !== null &&
      !line.levels?.some((l) => l.locationId === locationId),
  );
  const levelsRead = await readItemLevels(p.admin, [
    ...new Set(unread.filter(({ line }) => line.levels === null).map(({ line }) => line.inventoryItemId!)),
  ]);
  const short: ShortLine[] = [];
  for (const { line, locationId } of located) {
    const key = stockKey(line.variantId!, locationId);
    if (stock.has(key)) continue;
    const own = located
      .filter((other) => other.line.variantId === line.variantId && other.locationId === locationId)
      .reduce((n, other) => n + other.line.unfulfilled, 0);
    const levels = line.levels ?? levelsRead.get(line.inventoryItemId ?? "") ?? [];
    // A location with no level yet (a CONTINUE sale where the item was never stocked) has nothing there.
    const level = levels.find((candidate) => candidate.locationId === locationId);
    const available = locationId === null ? line.available : (level?.available ?? 0);
    const before = { available: available + own, tracked: line.tracked, policy: line.policy };
    if (available < 0 && line.tracked && line.policy === "CONTINUE" && locationId !== null && line.inventoryItemId) {
      const item = { key, variantId: line.variantId!, locationId, inventoryItemId: line.inventoryItemId };
      const later = await laterFromRecords(p, order, item, own, level?.committed ?? 0);
      if (later.explained) before.available += later.units;
      else short.push({ ...item, own, before, knownEarlier: later.knownEarlier, level });
    }
    stock.set(key, before);
  }
  if (short.length > 0) await addLaterFromShopify(p.admin, order, short);
  return stock;
}

interface ShortLine {
  key: string;
  variantId: string;
  locationId: string;
  inventoryItemId: string;
  own: number;
  /** Set to the stock before the order once Shopify's later orders are read. */
  before: StockBefore;
  knownEarlier: number;
  level: StockLevel | undefined;
}

/**
 * The units orders placed after this one commit at the line's location, from the app's records when they explain
 * every committed unit the level counted.
 */
async function laterFromRecords(
  p: Pipeline,
  order: OrderSnapshot,
  line: { locationId: string; inventoryItemId: string },
  own: number,
  committed: number,
): Promise<{ explained: true; units: number } | { explained: false; knownEarlier: number }> {
  const known = (await findOpenLinesForItem(p.db, p.shop, line.inventoryItemId)).filter(
    (row) => row.locationId === line.locationId && row.orderId !== order.id,
  );
  const unitsOf = (rows: typeof known) => rows.reduce((n, row) => n + row.backorderedQty + row.reservedQty, 0);
  const knownLater = unitsOf(known.filter((row) => placedAfter(row.orderedAt, row.orderId, order)));
  if (committed - own - unitsOf(known) <= 0) return { explained: true, units: knownLater };
  return { explained: false, knownEarlier: unitsOf(known) - knownLater };
}

/**
 * Else from Shopify: the list of later orders and the levels it is set against come from one read, so an order
 * placed in between is in both or in neither. What later orders commit is at most what the level counts beyond
 * this order and the earlier ones the app knows. An item with more levels than the read's page keeps the level
 * the order was read with.
 */
async function addLaterFromShopify(admin: AdminGateway, order: OrderSnapshot, short: ShortLine[]): Promise<void> {
  const later = await readLaterOrderUnits(admin, order, [...new Set(short.map((line) => line.inventoryItemId))]);
  for (const line of short) {
    const level =
      later.levels.get(line.inventoryItemId)?.find((candidate) => candidate.locationId === line.locationId) ??
      line.level;
    const listed = later.units.get(line.key) ?? 0;
    const counted = Math.min(listed, Math.max(0, (level?.committed ?? 0) - line.own - line.knownEarlier));
    line.before.available = (level?.available ?? 0) + line.own + counted;
  }
}

function placedAfter(orderedAt: Date, orderId: string, order: OrderSnapshot): boolean {
  const delta = orderedAt.getTime() - order.createdAt.getTime();
  return delta > 0 || (delta === 0 && BigInt(numericId(orderId)) > BigInt(numericId(order.id)));
}

/** Later by time, or in the same second with a larger id (Shopify's placement order). */
async function readLaterOrderUnits(
  admin: AdminGateway,
  order: OrderSnapshot,
  inventoryItemIds: string[],
): Promise<{ units: Map<string, number>; levels: Map<string, StockLevel[]> }> {
  const units = new Map<string, number>();
  const levels = new Map<string, StockLevel[]>();
  const counted = new Set<string>();
  const createdAt = order.createdAt.toISOString().replace(/\.\d{3}Z$/, "Z");
  let after: string | null = null;
  for (;;) {
    const data: BackorderLaterOrdersQuery = await admin.query(BackorderLaterOrdersDocument, {
      query: `created_at:>='${createdAt}' status:open`,
      after,
      items: after === null ? inventoryItemIds : [],
    });
    for (const item of data.items)
      if (item && "inventoryLevels" in item) levels.set(item.id, item.inventoryLevels.nodes.map(stockLevel));
    for (const later of data.orders.nodes) {
      if (counted.has(later.id) || !placedAfter(new Date(later.createdAt), later.id, order)) continue;
      counted.add(later.id);
      const overflows =
        later.fulfillmentOrders.pageInfo.hasNextPage ||
        later.fulfillmentOrders.nodes.some((fo) => fo.lineItems.pageInfo.hasNextPage);
      for (const unit of overflows ? await unitsOfWholeOrder(admin, later.id) : unitsOfPage(later)) {
        if (!unit.locationId || !HOLDING_UNITS.includes(unit.status)) continue;
        const key = stockKey(unit.variantId, unit.locationId);
        units.set(key, (units.get(key) ?? 0) + unit.remaining);
      }
    }
    if (!data.orders.pageInfo.hasNextPage) return { units, levels };
    after = data.orders.pageInfo.endCursor ?? null;
  }
}

/** Fulfillment order statuses whose units are committed at their location. */
const HOLDING_UNITS = ["OPEN", "IN_PROGRESS", "ON_HOLD", "SCHEDULED"];

interface PlacedUnits {
  variantId: string;
  locationId: string | null;
  status: string;
  remaining: number;
}

function unitsOfPage(later: BackorderLaterOrdersQuery["orders"]["nodes"][number]): PlacedUnits[] {
  return later.fulfillmentOrders.nodes.flatMap((fo) =>
    fo.lineItems.nodes.flatMap((line) =>
      line.variant
        ? [
            {
              variantId: line.variant.id,
              locationId: fo.assignedLocation.location?.id ?? null,
              status: fo.status,
              remaining: line.remainingQuantity,
            },
          ]
        : [],
    ),
  );
}

async function unitsOfWholeOrder(admin: AdminGateway, orderId: string): Promise<PlacedUnits[]> {
  const whole = await readOrder(admin, orderId);
  if (!whole) return [];
  const variantOf = new Map(whole.lines.map((line) => [line.id, line.variantId]));
  return whole.fulfillmentOrders.flatMap((fo) =>
    fo.lines.flatMap((line) => {
      const variantId = variantOf.get(line.lineItemId);
      return variantId ? [{ variantId, locationId: fo.locationId, status: fo.status, remaining: line.remaining }] : [];
    }),
  );
}
