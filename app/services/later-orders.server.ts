import { stockKey } from "../domain";
import { BackorderLaterOrdersDocument, type BackorderLaterOrdersQuery } from "../shopify/generated/operations";
import type { AdminGateway } from "../shopify/gateway.server";
import { readOrder } from "./reads/orders.server";
import { stockLevel, type OrderSnapshot, type StockLevel } from "./reads/snapshot";
import { numericId } from "./shopify-values";

/** What orders placed after one order commit per variant and location, and the levels read with that list. */
export interface LaterUnits {
  units: Map<string, number>;
  levels: Map<string, StockLevel[]>;
}

interface ListedOrder {
  id: string;
  createdAt: Date;
  units: Map<string, number>;
}

interface LaterRead {
  orders: ListedOrder[];
  levels: Map<string, StockLevel[]>;
  readAt: number;
}

/**
 * One read of the open orders placed at or after an order lists every later order of each order it lists, set
 * against the same levels, so it answers for them too: kept a few seconds per shop, it serves the detections of a
 * burst's other orders, each of which would otherwise read the rest of the burst again. What changes on Shopify
 * meanwhile only lowers what it counts for an order (a restock or a cancellation it does not see), except a later
 * order's units shipped meanwhile, which that order could only ship on stock beyond the earlier ones'.
 */
const KEEP_MS = 5_000;
const KEPT_READS = 4;
/** Items whose levels a read takes: the order's, then those of the shop's recent reads. */
const READ_ITEMS = 10;
const kept = new Map<string, LaterRead[]>();

export async function laterOrderUnits(
  admin: AdminGateway,
  order: OrderSnapshot,
  inventoryItemIds: readonly string[],
): Promise<LaterUnits> {
  const key = `${admin.origin}|${admin.shop}`;
  const fresh = (kept.get(key) ?? []).filter((read) => Date.now() - read.readAt < KEEP_MS);
  let read = fresh.find(
    (candidate) =>
      candidate.orders.some((listed) => listed.id === order.id) &&
      inventoryItemIds.every((id) => candidate.levels.has(id)),
  );
  if (!read) {
    const recent = fresh.flatMap((candidate) => [...candidate.levels.keys()]);
    read = await readLaterOrders(admin, order, [...new Set([...inventoryItemIds, ...recent])].slice(0, READ_ITEMS));
    forgetStaleShops();
    kept.set(key, [read, ...fresh].slice(0, KEPT_READS));
  }
  const units = new Map<string, number>();
  for (const listed of read.orders) {
    if (!placedAfter(listed.createdAt, listed.id, order)) continue;
    for (const [stock, n] of listed.units) units.set(stock, (units.get(stock) ?? 0) + n);
  }
  return { units, levels: read.levels };
}

/** A process serving many shops keeps reads only for those detecting orders now. */
function forgetStaleShops(): void {
  for (const [key, reads] of kept) if (reads.every((read) => Date.now() - read.readAt >= KEEP_MS)) kept.delete(key);
}

/** Later by time, or in the same second with a larger id (Shopify's placement order). */
export function placedAfter(orderedAt: Date, orderId: string, order: OrderSnapshot): boolean {
  const delta = orderedAt.getTime() - order.createdAt.getTime();
  return delta > 0 || (delta === 0 && BigInt(numericId(orderId)) > BigInt(numericId(order.id)));
}

/** Newest first, the levels on the first page: an order placed while the pages are read sorts before the cursor. */
async function readLaterOrders(
  admin: AdminGateway,
  order: OrderSnapshot,
  inventoryItemIds: readonly string[],
): Promise<LaterRead> {
  const read: LaterRead = { orders: [], levels: new Map(), readAt: Date.now() };
  const listedIds = new Set<string>();
  const createdAt = order.createdAt.toISOString().replace(/\.\d{3}Z$/, "Z");
  let after: string | null = null;
  for (;;) {
    const data: BackorderLaterOrdersQuery = await admin.query(BackorderLaterOrdersDocument, {
      query: `created_at:>='${createdAt}' status:open`,
      after,
      items: after === null ? [...inventoryItemIds] : [],
    });
    for (const item of data.items)
      if (item && "inventoryLevels" in item) read.levels.set(item.id, item.inventoryLevels.nodes.map(stockLevel));
    for (const listed of data.orders.nodes) {
      if (listedIds.has(listed.id)) continue;
      listedIds.add(listed.id);
      read.orders.push({ id: listed.id, createdAt: new Date(listed.createdAt), units: await unitsOf(admin, listed) });
    }
    if (!data.orders.pageInfo.hasNextPage) return read;
    after = data.orders.pageInfo.endCursor ?? null;
  }
}

type Listed = BackorderLaterOrdersQuery["orders"]["nodes"][number];

/** An order with more fulfillment orders or lines than the page holds is read whole. */
async function unitsOf(admin: AdminGateway, listed: Listed): Promise<Map<string, number>> {
  const overflows =
    listed.fulfillmentOrders.pageInfo.hasNextPage ||
    listed.fulfillmentOrders.nodes.some((fo) => fo.lineItems.pageInfo.hasNextPage);
  const units = new Map<string, number>();
  for (const unit of overflows ? await unitsOfWholeOrder(admin, listed.id) : unitsOfPage(listed)) {
    if (!unit.locationId || !HOLDING_UNITS.includes(unit.status)) continue;
    const key = stockKey(unit.variantId, unit.locationId);
    units.set(key, (units.get(key) ?? 0) + unit.remaining);
  }
  return units;
}

/** Fulfillment order statuses whose units are committed at their location. */
const HOLDING_UNITS = ["OPEN", "IN_PROGRESS", "ON_HOLD", "SCHEDULED"];

interface PlacedUnits {
  variantId: string;
  locationId: string | null;
  status: string;
  remaining: number;
}

function unitsOfPage(listed: Listed): PlacedUnits[] {
  return listed.fulfillmentOrders.nodes.flatMap((fo) =>
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
