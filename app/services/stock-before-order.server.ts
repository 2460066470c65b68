import { stockKey, type StockBefore } from "../domain";
import { findOpenLinesForItem } from "../models/backorders.server";
import type { AdminGateway } from "../shopify/gateway.server";
import { laterOrderUnits, placedAfter } from "./later-orders.server";
import type { Pipeline } from "./pipeline.server";
import { readItemLevels } from "./reads/inventory.server";
import type { OrderSnapshot, SnapshotLine, StockLevel } from "./reads/snapshot";

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
  const later = await laterOrderUnits(admin, order, [...new Set(short.map((line) => line.inventoryItemId))]);
  for (const line of short) {
    const level =
      later.levels.get(line.inventoryItemId)?.find((candidate) => candidate.locationId === line.locationId) ??
      line.level;
    const listed = later.units.get(line.key) ?? 0;
    const counted = Math.min(listed, Math.max(0, (level?.committed ?? 0) - line.own - line.knownEarlier));
    line.before.available = (level?.available ?? 0) + line.own + counted;
  }
}
