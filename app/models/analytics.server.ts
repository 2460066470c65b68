import type { Db } from "../db.server";
import { OPEN_STATUSES } from "./queue.server";

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

/** Days from order to a line's last release, for lines ordered in the window that shipped. */
export async function waitDays(
  db: Db,
  shop: string,
  from: Date,
): Promise<{ lines: number; mean: number | null; p95: number | null }> {
  const waits = `
    SELECT julianday(MAX(e."at")) - julianday(l."orderedAt") AS wait
    FROM "TimelineEvent" e JOIN "BackorderLine" l ON l."id" = e."backorderLineId"
    WHERE e."shop" = ? AND e."kind" = 'released' AND l."shop" = ? AND l."orderedAt" >= ?
    GROUP BY l."id"`;
  const [summary] = await db.$queryRawUnsafe<{ n: number | bigint; mean: number | null }[]>(
    `SELECT COUNT(*) AS n, AVG(wait) AS mean FROM (${waits})`,
    shop,
    shop,
    stored(from),
  );
  const n = Number(summary?.n ?? 0);
  if (n === 0) return { lines: 0, mean: null, p95: null };
  // Nearest rank, as the engine's metrics define it: the smallest wait at or above 95% of the lines.
  const [p95] = await db.$queryRawUnsafe<{ wait: number }[]>(
    `SELECT wait FROM (${waits}) ORDER BY wait LIMIT 1 OFFSET ?`,
    shop,
    shop,
    stored(from),
    Math.ceil(0.95 * n) - 1,
  );
  return { lines: n, mean: summary!.mean, p95: p95?.wait ?? null };
}

export interface LostRow {
  key: string;
  title: string;
  units: number;
  cents: number;
}

export async function lostByReason(db: Db, shop: string, from: Date): Promise<LostRow[]> {
  const rows = await db.$queryRawUnsafe<{ reason: string; units: number | bigint; cents: number | bigint }[]>(
    `SELECT "reason", SUM("quantity") AS units, SUM("quantity" * "unitPriceCents") AS cents
     FROM "LostSale" WHERE "shop" = ? AND "at" >= ? GROUP BY "reason" ORDER BY cents DESC, "reason"`,
    shop,
    stored(from),
  );
  return rows.map((row) => ({
    key: row.reason,
    title: row.reason,
    units: Number(row.units),
    cents: Number(row.cents),
  }));
}

export async function lostByProduct(db: Db, shop: string, from: Date, limit = 10): Promise<LostRow[]> {
  const rows = await db.$queryRawUnsafe<
    { productId: string | null; title: string; units: number | bigint; cents: number | bigint }[]
  >(
    `SELECT "productId", MAX("title") AS title, SUM("quantity") AS units, SUM("quantity" * "unitPriceCents") AS cents
     FROM "LostSale" WHERE "shop" = ? AND "at" >= ? GROUP BY "productId" ORDER BY cents DESC, title LIMIT ?`,
    shop,
    stored(from),
    limit,
  );
  return rows.map((row) => ({
    key: row.productId ?? row.title,
    title: row.title,
    units: Number(row.units),
    cents: Number(row.cents),
  }));
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
    select: {
      id: true,
      orderName: true,
      orderedAt: true,
      title: true,
      sku: true,
      customerName: true,
      quantity: true,
      shippedQty: true,
      reservedQty: true,
      backorderedQty: true,
      lostQty: true,
      lostReason: true,
      status: true,
      promisedAt: true,
      deadlineAt: true,
    },
  });
}

export async function lostSalesPage(db: Db, shop: string, from: Date, after: string | null, take: number) {
  return db.lostSale.findMany({
    where: { shop, at: { gte: from }, ...(after ? { id: { gt: after } } : {}) },
    orderBy: { id: "asc" },
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
 * events that carry demand and supply (held, allocated, cancelled).
 */
export async function backlogHistory(db: Db, shop: string, from: Date) {
  const inScope = { shop, OR: [{ status: { in: [...OPEN_STATUSES] } }, { orderedAt: { gte: from } }] };
  const [lines, events] = await Promise.all([
    db.backorderLine.findMany({
      where: inScope,
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
    db.timelineEvent.findMany({
      where: { shop, kind: { in: ["held", "allocated", "cancelled"] }, line: inScope },
      select: { backorderLineId: true, kind: true, quantity: true, detail: true, at: true },
    }),
  ]);
  return { lines, events };
}
