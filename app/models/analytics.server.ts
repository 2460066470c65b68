import { providerOf, sqlFor, type Db } from "../db.server";
import { LINE_SUMMARY_SELECT, OPEN_STATUSES } from "./backorder-queue.server";
import { DAY_MS } from "../domain";

// Rollups kept equal to the raw rows by triggers: docs/decisions/0011-analytics-rollups.md; the SQL is written once
// for both providers, `dialect` holds what differs (docs/decisions/0021-postgresql.md).

function dialect(db: Db) {
  const postgresql = providerOf(db) === "postgresql";
  return {
    sql: (text: string) => sqlFor(db, text),
    /** SQLite: Prisma's ISO text with "+00:00", so comparisons stay plain string ones on the (shop, time) indexes. */
    at: (date: Date): string | Date => (postgresql ? date : date.toISOString().replace("Z", "+00:00")),
    day: (column: string) => (postgresql ? `to_char(${column}, 'YYYY-MM-DD')` : `substr(${column}, 1, 10)`),
    /** The greatest text by code point, as SQLite's BINARY collation compares, whatever the database's collation. */
    maxText: (column: string) => (postgresql ? `MAX(${column} COLLATE "C")` : `MAX(${column})`),
  };
}

/** A stored timestamp is at or after the next midnight exactly when its first ten characters are that day or later. */
function windowParts(db: Db, from: Date) {
  const { at } = dialect(db);
  const nextMidnight = Math.floor(from.getTime() / DAY_MS) * DAY_MS + DAY_MS;
  const firstMonday = nextMidnight + ((8 - new Date(nextMidnight).getUTCDay()) % 7) * DAY_MS;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return {
    headFrom: at(from),
    headTo: at(new Date(nextMidnight)),
    firstRollupDay: day(nextMidnight),
    firstRollupWeek: day(firstMonday),
  };
}

// PostgreSQL sums integers as bigint and bigints as numeric (a Decimal from Prisma): Number reads each.
const num = (value: number | bigint | null) => Number(value ?? 0);

export interface BackorderedDay {
  day: string;
  units: number;
  shipped: number;
}

export async function backorderedByDay(db: Db, shop: string, from: Date): Promise<BackorderedDay[]> {
  const { headFrom, headTo, firstRollupDay } = windowParts(db, from);
  const { sql, day } = dialect(db);
  const rows = await db.$queryRawUnsafe<{ day: string; units: number | bigint; shipped: number | bigint }[]>(
    sql(`SELECT "day", SUM("units") AS units, SUM("shipped") AS shipped FROM (
       SELECT "day", "units", "shipped" FROM "BackorderDay" WHERE "shop" = ? AND "day" >= ?
       UNION ALL
       SELECT ${day('"orderedAt"')}, "quantity", "shippedQty" FROM "AnalyticsLine"
       WHERE "shop" = ? AND "orderedAt" >= ? AND "orderedAt" < ?
     ) AS parts GROUP BY "day" ORDER BY "day"`),
    shop,
    firstRollupDay,
    shop,
    headFrom,
    headTo,
  );
  return rows.map((row) => ({ day: row.day, units: num(row.units), shipped: num(row.shipped) }));
}

export async function openBackorders(db: Db, shop: string): Promise<{ lines: number; units: number }> {
  const row = await db.openBackorders.findUnique({ where: { shop }, select: { lines: true, units: true } });
  return row ?? { lines: 0, units: 0 };
}

/** Exact, as the engine's `metrics` defines it: the integer mean of milliseconds, and the nearest-rank p95. */
export async function waitDays(
  db: Db,
  shop: string,
  from: Date,
): Promise<{ lines: number; mean: number | null; p95: number | null }> {
  const { sql, at } = dialect(db);
  const where = `"shop" = ? AND "orderedAt" >= ? AND "lastReleasedAt" >= ?`;
  const [summary] = await db.$queryRawUnsafe<{ lines: number | bigint; total: number | bigint | null }[]>(
    sql(`SELECT COUNT(*) AS lines, SUM("waitMs") AS total FROM "AnalyticsLine" WHERE ${where}`),
    shop,
    at(from),
    at(from),
  );
  const lines = num(summary!.lines);
  if (lines === 0) return { lines: 0, mean: null, p95: null };
  // Rank ⌈0.95 n⌉ from the bottom is rank n − ⌈0.95 n⌉ + 1 from the top: SQLite keeps only the top 5% sorted.
  const [rank] = await db.$queryRawUnsafe<{ waitMs: number | bigint }[]>(
    sql(`SELECT "waitMs" FROM "AnalyticsLine" WHERE ${where} ORDER BY "waitMs" DESC LIMIT 1 OFFSET ?`),
    shop,
    at(from),
    at(from),
    lines - Math.ceil(0.95 * lines),
  );
  return { lines, mean: num(summary!.total) / lines / DAY_MS, p95: num(rank!.waitMs) / DAY_MS };
}

export interface LostGroup {
  day: string;
  reason: string;
  units: number;
  cents: number;
}

export async function lostByDayAndReason(db: Db, shop: string, from: Date): Promise<LostGroup[]> {
  const { headFrom, headTo, firstRollupDay } = windowParts(db, from);
  const { sql, day } = dialect(db);
  const rows = await db.$queryRawUnsafe<
    { day: string; reason: string; units: number | bigint; cents: number | bigint }[]
  >(
    sql(`SELECT "day", "reason", SUM("units") AS units, SUM("cents") AS cents FROM (
       SELECT "day", "reason", "units", "cents" FROM "LostSaleDay" WHERE "shop" = ? AND "day" >= ?
       UNION ALL
       SELECT ${day('"at"')}, "reason", "quantity", CAST("quantity" AS BIGINT) * "unitPriceCents" FROM "LostSale"
       WHERE "shop" = ? AND "at" >= ? AND "at" < ?
     ) AS parts GROUP BY "day", "reason" ORDER BY "day", "reason"`),
    shop,
    firstRollupDay,
    shop,
    headFrom,
    headTo,
  );
  return rows.map((row) => ({ day: row.day, reason: row.reason, units: num(row.units), cents: num(row.cents) }));
}

export interface LostRow {
  key: string;
  title: string;
  units: number;
  cents: number;
}

export const byCentsThenTitle = (a: LostRow, b: LostRow) => b.cents - a.cents || a.title.localeCompare(b.title);

/** A product's title is the greatest its sales in the window carry (they differ only when it was renamed). */
export async function lostByProduct(db: Db, shop: string, from: Date): Promise<LostRow[]> {
  const { headFrom, headTo, firstRollupDay, firstRollupWeek } = windowParts(db, from);
  const { sql, maxText } = dialect(db);
  const rows = await db.$queryRawUnsafe<
    { productKey: string; title: string; units: number | bigint; cents: number | bigint }[]
  >(
    sql(`SELECT "productKey", ${maxText('"title"')} AS title, SUM("units") AS units, SUM("cents") AS cents FROM (
       SELECT "productKey", "title", "units", "cents" FROM "LostSaleProductWeek" WHERE "shop" = ? AND "week" >= ?
       UNION ALL
       SELECT "productKey", "title", "units", "cents" FROM "LostSaleProductDay"
       WHERE "shop" = ? AND "day" >= ? AND "day" < ?
       UNION ALL
       SELECT COALESCE("productId", "title"), "title", "quantity", CAST("quantity" AS BIGINT) * "unitPriceCents"
       FROM "LostSale" WHERE "shop" = ? AND "at" >= ? AND "at" < ?
     ) AS parts GROUP BY "productKey"`),
    shop,
    firstRollupWeek,
    shop,
    firstRollupDay,
    firstRollupWeek,
    shop,
    headFrom,
    headTo,
  );
  return rows
    .map((row) => ({ key: row.productKey, title: row.title, units: num(row.units), cents: num(row.cents) }))
    .sort(byCentsThenTitle);
}

/** The shop's currency as its lost sales record it (Shopify orders carry the shop's currency). */
export async function shopCurrency(db: Db, shop: string): Promise<string> {
  const row = await db.lostSale.findFirst({ where: { shop }, select: { currency: true } });
  return row?.currency ?? "USD";
}

/** In pages by id, so 100k rows never sit in memory at once. */
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

export async function backlogHistory(db: Db, shop: string, from: Date) {
  const open = OPEN_STATUSES.map((status) => `'${status}'`).join(", ");
  const { sql, at } = dialect(db);
  const [lines, events] = await Promise.all([
    db.backorderLine.findMany({
      // Lines closed inside the window (a deadline, a cancellation) count too, though ordered before it: the
      // replay must see the losses Analytics reports for the same days.
      where: {
        shop,
        OR: [
          { status: { in: [...OPEN_STATUSES] } },
          { orderedAt: { gte: from } },
          { events: { some: { shop, at: { gte: from } } } },
        ],
      },
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
    // A join rather than Prisma's relation filter, which SQLite runs as a subquery per event.
    db.$queryRawUnsafe<
      // ISO text on SQLite, a Date on PostgreSQL.
      { backorderLineId: string; kind: string; quantity: number | null; detail: string; at: string | Date }[]
    >(
      sql(`SELECT e."backorderLineId", e."kind", e."quantity", e."detail", e."at"
       FROM "TimelineEvent" e JOIN "BackorderLine" l ON l."id" = e."backorderLineId"
       WHERE e."shop" = ? AND e."kind" IN ('held', 'allocated', 'cancelled', 'consent') AND l."shop" = ?
         AND (l."status" IN (${open}) OR l."orderedAt" >= ?
              OR EXISTS (SELECT 1 FROM "TimelineEvent" w WHERE w."backorderLineId" = l."id" AND w."at" >= ?))`),
      shop,
      shop,
      at(from),
      at(from),
    ),
  ]);
  return { lines, events: events.map((event) => ({ ...event, at: new Date(event.at) })) };
}
