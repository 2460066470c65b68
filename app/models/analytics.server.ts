import type { Db } from "../db.server";
import { LINE_SUMMARY_SELECT, OPEN_STATUSES } from "./queue.server";

/**
 * Read-side aggregates for the Analytics page, computed in SQLite so a shop with 100k lost sales does not
 * ship its rows to the server. Every query is scoped by shop and by the window's start.
 */

// Prisma stores DateTime in SQLite as ISO text with "+00:00"; raw comparisons use the same form so they
// stay plain string comparisons on the (shop, at) indexes.
const stored = (date: Date) => date.toISOString().replace("Z", "+00:00");

export interface Fulfilment {
  unitsOrdered: number;
  unitsShipped: number;
  openLines: number;
  openUnits: number;
}

export async function fulfilment(db: Db, shop: string, from: Date): Promise<Fulfilment> {
  const [ordered, open] = await Promise.all([
    db.backorderLine.aggregate({
      where: { shop, orderedAt: { gte: from } },
      _sum: { quantity: true, shippedQty: true },
    }),
    db.backorderLine.aggregate({
      where: { shop, status: { in: [...OPEN_STATUSES] } },
      _count: { _all: true },
      _sum: { backorderedQty: true },
    }),
  ]);
  return {
    unitsOrdered: ordered._sum.quantity ?? 0,
    unitsShipped: ordered._sum.shippedQty ?? 0,
    openLines: open._count._all,
    openUnits: open._sum.backorderedQty ?? 0,
  };
}

/**
 * Days from order to a line's last release, for lines ordered in the window that shipped. Releases of those
 * lines happen after the window opened, so the events are read through the (shop, at) index.
 */
export async function waitDays(
  db: Db,
  shop: string,
  from: Date,
): Promise<{ lines: number; mean: number | null; p95: number | null }> {
  const rows = await db.$queryRawUnsafe<{ wait: number }[]>(
    `SELECT julianday(MAX(e."at")) - julianday(l."orderedAt") AS wait
     FROM "TimelineEvent" e JOIN "BackorderLine" l ON l."id" = e."backorderLineId"
     WHERE e."shop" = ? AND e."at" >= ? AND e."kind" = 'released' AND l."shop" = ? AND l."orderedAt" >= ?
     GROUP BY l."id" ORDER BY wait`,
    shop,
    stored(from),
    shop,
    stored(from),
  );
  if (rows.length === 0) return { lines: 0, mean: null, p95: null };
  // Nearest rank, as the engine's metrics define it: the smallest wait at or above 95% of the lines.
  return {
    lines: rows.length,
    mean: rows.reduce((sum, row) => sum + row.wait, 0) / rows.length,
    p95: rows[Math.ceil(0.95 * rows.length) - 1]!.wait,
  };
}

export interface LostRow {
  key: string;
  title: string;
  units: number;
  cents: number;
}

const byCentsThenTitle = (a: LostRow, b: LostRow) => b.cents - a.cents || a.title.localeCompare(b.title);

/**
 * Lost units and revenue by reason and by product (top `limit`), from one pass over the window's lost sales
 * grouped by both in SQL (at most reasons × products rows come back).
 */
export async function lostSales(
  db: Db,
  shop: string,
  from: Date,
  limit = 10,
): Promise<{ byReason: LostRow[]; byProduct: LostRow[] }> {
  const groups = await db.$queryRawUnsafe<
    { reason: string; productId: string | null; title: string; units: number | bigint; cents: number | bigint }[]
  >(
    `SELECT "reason", "productId", MAX("title") AS title, SUM("quantity") AS units, SUM("quantity" * "unitPriceCents") AS cents
     FROM "LostSale" WHERE "shop" = ? AND "at" >= ? GROUP BY "reason", "productId"`,
    shop,
    stored(from),
  );
  const reasons = new Map<string, LostRow>();
  const products = new Map<string, LostRow>();
  for (const group of groups) {
    const units = Number(group.units);
    const cents = Number(group.cents);
    const reason = reasons.get(group.reason) ?? { key: group.reason, title: group.reason, units: 0, cents: 0 };
    reason.units += units;
    reason.cents += cents;
    reasons.set(group.reason, reason);
    const key = group.productId ?? group.title;
    const product = products.get(key) ?? { key, title: group.title, units: 0, cents: 0 };
    product.units += units;
    product.cents += cents;
    products.set(key, product);
  }
  return {
    byReason: [...reasons.values()].sort(byCentsThenTitle),
    byProduct: [...products.values()].sort(byCentsThenTitle).slice(0, limit),
  };
}

/** The shop's currency as its lost sales record it (Shopify orders carry the shop's currency). */
export async function shopCurrency(db: Db, shop: string): Promise<string> {
  const row = await db.lostSale.findFirst({ where: { shop }, select: { currency: true } });
  return row?.currency ?? "USD";
}

export interface TrendDay {
  day: string;
  backordered: number;
  lost: number;
}

/** Units that went on backorder and units lost, per UTC day. */
export async function dailyTrend(db: Db, shop: string, from: Date): Promise<TrendDay[]> {
  const [backordered, lost] = await Promise.all([
    db.$queryRawUnsafe<{ day: string; units: number | bigint }[]>(
      `SELECT substr("orderedAt", 1, 10) AS day, SUM("quantity") AS units
       FROM "BackorderLine" WHERE "shop" = ? AND "orderedAt" >= ? GROUP BY day`,
      shop,
      stored(from),
    ),
    db.$queryRawUnsafe<{ day: string; units: number | bigint }[]>(
      `SELECT substr("at", 1, 10) AS day, SUM("quantity") AS units
       FROM "LostSale" WHERE "shop" = ? AND "at" >= ? GROUP BY day`,
      shop,
      stored(from),
    ),
  ]);
  const days = new Map<string, TrendDay>();
  const dayOf = (day: string) => days.get(day) ?? days.set(day, { day, backordered: 0, lost: 0 }).get(day)!;
  for (const row of backordered) dayOf(row.day).backordered = Number(row.units);
  for (const row of lost) dayOf(row.day).lost = Number(row.units);
  return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
}

/** CSV exports read in pages by id, so 100k rows never sit in memory at once. */
export async function backorderLinesPage(db: Db, shop: string, after: string | null, take: number) {
  return db.backorderLine.findMany({
    where: { shop, ...(after ? { id: { gt: after } } : {}) },
    orderBy: { id: "asc" },
    take,
    select: LINE_SUMMARY_SELECT,
  });
}

export async function lostSalesPage(
  db: Db,
  shop: string,
  from: Date,
  after: { at: Date; id: string } | null,
  take: number,
) {
  // Keyset on (at, id): each page is a range of the (shop, at) index, not a sort of the whole window.
  return db.lostSale.findMany({
    where: {
      shop,
      at: { gte: from },
      ...(after ? { OR: [{ at: { gt: after.at } }, { at: after.at, id: { gt: after.id } }] } : {}),
    },
    orderBy: [{ at: "asc" }, { id: "asc" }],
    take,
    select: {
      id: true,
      at: true,
      orderName: true,
      title: true,
      sku: true,
      quantity: true,
      unitPriceCents: true,
      currency: true,
      reason: true,
    },
  });
}

/**
 * What the policy what-if replays: the shop's open lines and every line ordered since `from`, with the
 * events that carry demand, supply and deadlines (held, allocated, cancelled, consent).
 */
export async function backlogHistory(db: Db, shop: string, from: Date) {
  const open = OPEN_STATUSES.map((status) => `'${status}'`).join(", ");
  const [lines, events] = await Promise.all([
    db.backorderLine.findMany({
      where: { shop, OR: [{ status: { in: [...OPEN_STATUSES] } }, { orderedAt: { gte: from } }] },
      orderBy: [{ orderedAt: "asc" }, { id: "asc" }],
      select: {
        id: true,
        orderId: true,
        orderedAt: true,
        lineItemId: true,
        inventoryItemId: true,
        variantId: true,
        productId: true,
        quantity: true,
        tags: true,
        shipBy: true,
        unitPriceCents: true,
      },
    }),
    // A join rather than Prisma's relation filter, which SQLite runs as a subquery per event (10x slower).
    db.$queryRawUnsafe<
      { backorderLineId: string; kind: string; quantity: number | null; detail: string; at: string }[]
    >(
      `SELECT e."backorderLineId", e."kind", e."quantity", e."detail", e."at"
       FROM "TimelineEvent" e JOIN "BackorderLine" l ON l."id" = e."backorderLineId"
       WHERE e."shop" = ? AND e."kind" IN ('held', 'allocated', 'cancelled', 'consent') AND l."shop" = ?
         AND (l."status" IN (${open}) OR l."orderedAt" >= ?)`,
      shop,
      shop,
      stored(from),
    ),
  ]);
  return { lines, events: events.map((event) => ({ ...event, at: new Date(event.at) })) };
}
