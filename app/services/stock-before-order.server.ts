import { stockKey, type StockBefore } from "../domain";
import { findOpenLinesForItem } from "../models/backorders.server";
import { BackorderLaterOrdersDocument, type BackorderLaterOrdersQuery } from "../shopify/generated/operations";
import type { AdminGateway } from "../shopify/gateway.server";
import type { Pipeline } from "./pipeline.server";
import { numericId } from "./shopify-values";
import { readItemLevels } from "./reads/inventory.server";
import { readOrder } from "./reads/orders.server";
import type { OrderSnapshot, SnapshotLine } from "./reads/snapshot";

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
  let laterUnits: Promise<Map<string, number>> | null = null;
  const readLater = () => (laterUnits ??= readLaterOrderUnits(p.admin, order));
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
    const later =
      available < 0 && line.tracked && line.policy === "CONTINUE" && locationId !== null && line.inventoryItemId
        ? await unitsPlacedAfter(
            p,
            order,
            { ...line, locationId, inventoryItemId: line.inventoryItemId },
            own,
            level?.committed ?? 0,
            readLater,
          )
        : 0;
    stock.set(key, { available: available + own + later, tracked: line.tracked, policy: line.policy });
  }
  return stock;
}

/**
 * The units orders placed after this one commit at the line's location, as far as the level read counted them:
 * from the app's records when they explain every committed unit, else from Shopify. Shopify's list is read after
 * the level, so it may hold orders placed in between; what later orders held when the level was read is at most
 * what it counted committed beyond this order and the earlier ones the app knows.
 */
async function unitsPlacedAfter(
  p: Pipeline,
  order: OrderSnapshot,
  line: { variantId: string | null; locationId: string; inventoryItemId: string },
  own: number,
  committed: number,
  readLater: () => Promise<Map<string, number>>,
): Promise<number> {
  const known = (await findOpenLinesForItem(p.db, p.shop, line.inventoryItemId)).filter(
    (row) => row.locationId === line.locationId && row.orderId !== order.id,
  );
  const unitsOf = (rows: typeof known) => rows.reduce((n, row) => n + row.backorderedQty + row.reservedQty, 0);
  const knownLater = known.filter((row) => placedAfter(row.orderedAt, row.orderId, order));
  const knownEarlier = unitsOf(known) - unitsOf(knownLater);
  if (committed - own - unitsOf(known) <= 0) return unitsOf(knownLater);
  const listed = (await readLater()).get(stockKey(line.variantId!, line.locationId)) ?? 0;
  return Math.min(listed, Math.max(0, committed - own - knownEarlier));
}

function placedAfter(orderedAt: Date, orderId: string, order: OrderSnapshot): boolean {
  const delta = orderedAt.getTime() - order.createdAt.getTime();
  return delta > 0 || (delta === 0 && BigInt(numericId(orderId)) > BigInt(numericId(order.id)));
}

/** Later by time, or in the same second with a larger id (Shopify's placement order). */
async function readLaterOrderUnits(admin: AdminGateway, order: OrderSnapshot): Promise<Map<string, number>> {
  const units = new Map<string, number>();
  const createdAt = order.createdAt.toISOString().replace(/\.\d{3}Z$/, "Z");
  let after: string | null = null;
  for (;;) {
    const data: BackorderLaterOrdersQuery = await admin.query(BackorderLaterOrdersDocument, {
      query: `created_at:>='${createdAt}' status:open`,
      after,
    });
    for (const later of data.orders.nodes) {
      if (!placedAfter(new Date(later.createdAt), later.id, order)) continue;
      const overflows =
        later.fulfillmentOrders.pageInfo.hasNextPage ||
        later.fulfillmentOrders.nodes.some((fo) => fo.lineItems.pageInfo.hasNextPage);
      for (const unit of overflows ? await unitsOfWholeOrder(admin, later.id) : unitsOfPage(later)) {
        if (!unit.locationId || !HOLDING_UNITS.includes(unit.status)) continue;
        const key = stockKey(unit.variantId, unit.locationId);
        units.set(key, (units.get(key) ?? 0) + unit.remaining);
      }
    }
    if (!data.orders.pageInfo.hasNextPage) return units;
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
