import { readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

import { createClient } from "@libsql/client";
import { beforeEach, describe, expect, it } from "vitest";

import { connectDatabase, type Db } from "~/db.server";
import type { DatabaseProvider } from "~/db.url";
import { loadAnalytics } from "~/services/admin/analytics-page.server";

import { testDatabases } from "../../test/support/postgres";

import {
  backorderedByDay,
  byCentsThenTitle,
  lostByDayAndReason,
  lostByProduct,
  openBackorders,
  waitDays,
} from "./analytics.server";
import {
  applyLineChanges,
  recordDetectedOrder,
  type BackorderLineRow,
  type NewLostSale,
  type NewTimelineEvent,
} from "./backorders.server";
import { deleteShopData, redactCustomer } from "./privacy.server";
import { extendDeadlines, OPEN_STATUSES } from "./backorder-queue.server";

/**
 * The Analytics rollups (LostSaleDay, LostSaleProductDay, LostSaleProductWeek, BackorderDay, OpenBackorders,
 * AnalyticsLine) are kept by triggers: SQLite's, and PL/pgSQL on PostgreSQL (docs/decisions/0021-postgresql.md).
 * On both providers, every figure read from them is compared with the same figure recomputed in plain
 * TypeScript from the raw rows, after the app's own writes in several shops, after raw SQL changes the app never
 * makes, after customers/redact and shop/redact; on SQLite also after the migration's backfill.
 */

const databases = await testDatabases();

const SHOPS = ["alpha.myshopify.com", "beta.myshopify.com", "gamma.myshopify.com"];
const DAY = 86_400_000;
const HOUR = 3_600_000;
// Mid-morning UTC, so windows start inside a day and the head of the window is read from raw rows.
const NOW = new Date("2026-11-26T10:17:23.456Z");
const REASONS = ["deadline", "customer_cancelled", "merchant_cancelled", "cap_reached"] as const;

/** A small seedable generator: each test's sequence of writes is the same on every run. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  return { next, int, pick };
}
type Random = ReturnType<typeof random>;

// Products share ids across shops on purpose: one shop's figures must never take another's rows.
const PRODUCTS = [
  { productId: "gid://shopify/Product/1", titles: ["Trail shoe — 42", "Trail shoe (2027) — 42"], priceCents: 12_000 },
  { productId: "gid://shopify/Product/2", titles: ["Wool throw"], priceCents: 9_000 },
  { productId: "gid://shopify/Product/3", titles: ["Mug"], priceCents: 1_800 },
  { productId: null, titles: ["Gift wrapping", "Engraving"], priceCents: 500 },
];

let orderNo = 0;

/** A new order of 1–3 lines, through recordDetectedOrder, as the pipeline records one. */
async function placeOrder(target: Db, shop: string, r: Random) {
  orderNo++;
  const orderId = `gid://shopify/Order/${orderNo}`;
  // Times over the last 100 days, some on the very stroke of midnight (a day's first instant).
  const orderedAt = new Date(
    r.next() < 0.1
      ? Math.floor((NOW.getTime() - r.int(0, 100) * DAY) / DAY) * DAY
      : NOW.getTime() - r.int(0, 100 * 24 * 60) * 60_000,
  );
  const lines = Array.from({ length: r.int(1, 3) }, (_, i) => {
    const product = r.pick(PRODUCTS);
    const quantity = r.int(1, 5);
    return {
      orderId,
      orderName: `#${orderNo}`,
      orderedAt,
      orderUpdatedAt: null,
      lineItemId: `gid://shopify/LineItem/${orderNo}${i}`,
      variantId: product.productId && `${product.productId}1`,
      productId: product.productId,
      inventoryItemId: null,
      sku: null,
      title: r.pick(product.titles),
      customerId: `gid://shopify/Customer/${r.int(1, 4)}`,
      customerName: "Ada Lovelace",
      tags: [],
      unitPriceCents: product.priceCents,
      currency: "USD",
      quantity,
      shippedQty: 0,
      reservedQty: 0,
      backorderedQty: quantity,
      lostQty: 0,
      lostReason: null,
      status: "waiting" as const,
      fulfillmentOrderId: null,
      holdId: null,
      holdHandle: null,
      promisedAt: null,
      deadlineAt: new Date(orderedAt.getTime() + 30 * DAY),
    };
  });
  const events: NewTimelineEvent[] = lines.map((line) => ({
    orderId,
    backorderLineId: line.lineItemId,
    kind: "held",
    quantity: line.quantity,
    at: orderedAt,
  }));
  // Now and then the variant's cap was reached: a lost sale written with the order.
  const capped: NewLostSale[] = r.next() < 0.3 ? [lostSaleOf(lines[0]!, r.int(1, 3), "cap_reached", orderedAt)] : [];
  await recordDetectedOrder(target, shop, lines, events, capped);
}

function lostSaleOf(
  line: Pick<
    BackorderLineRow,
    "orderId" | "orderName" | "lineItemId" | "variantId" | "productId" | "title" | "unitPriceCents"
  >,
  quantity: number,
  reason: NewLostSale["reason"],
  at: Date,
): NewLostSale {
  return {
    orderId: line.orderId,
    orderName: line.orderName,
    lineItemId: line.lineItemId,
    variantId: line.variantId,
    productId: line.productId,
    sku: null,
    title: line.title,
    quantity,
    unitPriceCents: line.unitPriceCents,
    currency: "USD",
    reason,
    at,
  };
}

/** Some units of an open line ship (a `released` event) or are lost (a lost sale), through applyLineChanges. */
async function changeLine(target: Db, shop: string, r: Random) {
  const open = await target.backorderLine.findMany({
    where: { shop, backorderedQty: { gt: 0 } },
    orderBy: { id: "asc" },
  });
  if (open.length === 0) return;
  const line = r.pick(open);
  const units = r.int(1, line.backorderedQty);
  // From an hour before the order (a clock a little behind Shopify's) to now.
  const at = new Date(r.int(line.orderedAt.getTime() - HOUR, NOW.getTime()));
  const status = (left: number, lost: number) =>
    left > 0 ? ("partially_allocated" as const) : lost > 0 ? ("cancelled" as const) : ("fulfilled" as const);
  if (r.next() < 0.6) {
    await applyLineChanges(
      target,
      shop,
      [
        {
          id: line.id,
          change: {
            shippedQty: line.shippedQty + units,
            backorderedQty: line.backorderedQty - units,
            status: status(line.backorderedQty - units, line.lostQty),
          },
        },
      ],
      [{ orderId: line.orderId, backorderLineId: line.id, kind: "released", quantity: units, at }],
    );
  } else {
    const reason = r.pick(REASONS.slice(0, 3));
    await applyLineChanges(
      target,
      shop,
      [
        {
          id: line.id,
          change: {
            lostQty: line.lostQty + units,
            backorderedQty: line.backorderedQty - units,
            lostReason: line.lostReason ?? reason,
            status: status(line.backorderedQty - units, line.lostQty + units),
          },
        },
      ],
      [{ orderId: line.orderId, backorderLineId: line.id, kind: "cancelled", quantity: units, at }],
      [lostSaleOf(line, units, reason, at)],
    );
  }
}

/** A mixed sequence of the app's writes over the shops: orders, releases, losses, consents. */
async function writeHistory(target: Db, shops: readonly string[], seed: number, steps: number) {
  const r = random(seed);
  for (let step = 0; step < steps; step++) {
    const shop = r.pick(shops);
    const dice = r.next();
    if (dice < 0.35) await placeOrder(target, shop, r);
    else if (dice < 0.95) await changeLine(target, shop, r);
    else {
      const open = await target.backorderLine.findMany({ where: { shop, status: { in: [...OPEN_STATUSES] } } });
      await extendDeadlines(
        target,
        shop,
        open.slice(0, 2).map((line) => line.id),
        new Date(NOW.getTime() + 40 * DAY),
        NOW,
      );
    }
  }
}

// --- The figures, recomputed from the raw rows in TypeScript ----------------------------------------------

const dayOf = (date: Date) => date.toISOString().slice(0, 10);
const maxTitle = (a: string, b: string) => (b > a ? b : a);

async function expected(target: Db, shop: string, from: Date) {
  const [lines, released, sales] = await Promise.all([
    target.backorderLine.findMany({ where: { shop } }),
    target.timelineEvent.findMany({ where: { shop, kind: "released" } }),
    target.lostSale.findMany({ where: { shop } }),
  ]);
  const inWindow = lines.filter((line) => line.orderedAt >= from);

  const ordered = new Map<string, { day: string; units: number; shipped: number }>();
  for (const line of inWindow) {
    const day = ordered.get(dayOf(line.orderedAt)) ?? { day: dayOf(line.orderedAt), units: 0, shipped: 0 };
    day.units += line.quantity;
    day.shipped += line.shippedQty;
    ordered.set(day.day, day);
  }

  const open = lines.filter((line) => (OPEN_STATUSES as readonly string[]).includes(line.status));

  // The wait of a line ordered in the window: its last release in the window minus its order time.
  const lastRelease = new Map<string, number>();
  for (const event of released) {
    if (event.at < from || !event.backorderLineId) continue;
    lastRelease.set(
      event.backorderLineId,
      Math.max(lastRelease.get(event.backorderLineId) ?? -Infinity, event.at.getTime()),
    );
  }
  const waits = inWindow
    .filter((line) => lastRelease.has(line.id))
    .map((line) => lastRelease.get(line.id)! - line.orderedAt.getTime())
    .sort((a, b) => a - b);

  const lost = sales.filter((sale) => sale.at >= from);
  const byDayAndReason = new Map<string, { day: string; reason: string; units: number; cents: number }>();
  const byProduct = new Map<string, { key: string; title: string; units: number; cents: number }>();
  for (const sale of lost) {
    const group = `${dayOf(sale.at)}|${sale.reason}`;
    const row = byDayAndReason.get(group) ?? { day: dayOf(sale.at), reason: sale.reason, units: 0, cents: 0 };
    row.units += sale.quantity;
    row.cents += sale.quantity * sale.unitPriceCents;
    byDayAndReason.set(group, row);
    const key = sale.productId ?? sale.title;
    const product = byProduct.get(key) ?? { key, title: sale.title, units: 0, cents: 0 };
    product.title = maxTitle(product.title, sale.title);
    product.units += sale.quantity;
    product.cents += sale.quantity * sale.unitPriceCents;
    byProduct.set(key, product);
  }

  return {
    backorderedByDay: [...ordered.values()].sort((a, b) => (a.day < b.day ? -1 : 1)),
    open: { lines: open.length, units: open.reduce((sum, line) => sum + line.backorderedQty, 0) },
    waits: {
      lines: waits.length,
      mean: waits.length === 0 ? null : waits.reduce((sum, wait) => sum + wait, 0) / waits.length / DAY,
      p95: waits.length === 0 ? null : waits[Math.ceil(0.95 * waits.length) - 1]! / DAY,
    },
    lostByDayAndReason: [...byDayAndReason.values()].sort((a, b) =>
      a.day === b.day ? (a.reason < b.reason ? -1 : 1) : a.day < b.day ? -1 : 1,
    ),
    lostByProduct: [...byProduct.values()].sort(byCentsThenTitle),
  };
}

async function actual(target: Db, shop: string, from: Date) {
  return {
    backorderedByDay: await backorderedByDay(target, shop, from),
    open: await openBackorders(target, shop),
    waits: await waitDays(target, shop, from),
    lostByDayAndReason: await lostByDayAndReason(target, shop, from),
    lostByProduct: await lostByProduct(target, shop, from),
  };
}

/** Window starts worth trying: the page's three, midnights, a Monday, and the exact instants rows carry. */
async function windowStarts(target: Db, shop: string): Promise<Date[]> {
  const sale = await target.lostSale.findFirst({ where: { shop }, orderBy: { id: "asc" } });
  const line = await target.backorderLine.findFirst({ where: { shop }, orderBy: { id: "desc" } });
  return [
    ...[7, 30, 90].map((days) => new Date(NOW.getTime() - days * DAY)),
    new Date(Math.floor(NOW.getTime() / DAY) * DAY - 20 * DAY), // a midnight
    new Date("2026-11-09T00:00:00.000Z"), // a Monday's midnight
    new Date("2026-11-15T23:59:59.999Z"), // a Sunday's last millisecond
    new Date(0),
    ...(sale ? [sale.at, new Date(sale.at.getTime() + 1)] : []),
    ...(line ? [line.orderedAt] : []),
  ];
}

async function expectFiguresFromRawRows(target: Db, shops: readonly string[]) {
  for (const shop of shops) {
    for (const from of await windowStarts(target, shop)) {
      expect({ shop, from, ...(await actual(target, shop, from)) }).toEqual({
        shop,
        from,
        ...(await expected(target, shop, from)),
      });
    }
  }
}

/** The SQL of each provider for the raw rows' groups: a UTC day, its week's Monday, a timestamp as text, a wait. */
const GROUPING: Record<
  DatabaseProvider,
  { day: string; week: string; text: (column: string) => string; wait: string }
> = {
  sqlite: {
    day: `substr("at", 1, 10)`,
    week: `date(substr("at", 1, 10), '-6 days', 'weekday 1')`,
    text: (column) => `${column} || ''`,
    wait: `CAST(round((julianday(MAX(e."at")) - julianday(l."orderedAt")) * 86400000) AS INTEGER)`,
  },
  postgresql: {
    day: `to_char("at", 'YYYY-MM-DD')`,
    week: `to_char(date_trunc('week', "at"), 'YYYY-MM-DD')`,
    text: (column) => `CAST(${column} AS TEXT)`,
    wait: `CAST(round(extract(epoch FROM (MAX(e."at") - l."orderedAt")) * 1000) AS BIGINT)`,
  },
};

/** Every rollup row equals the group the raw rows make (the same SQL the SQLite migration's backfill runs). */
async function expectRollupTablesFromRawRows(target: Db, provider: DatabaseProvider) {
  const { day, week, text, wait } = GROUPING[provider];
  const pairs: [string, string][] = [
    [
      `SELECT "shop", "day", "reason", "sales", "units", "cents" FROM "LostSaleDay"`,
      `SELECT "shop", ${day} AS "day", "reason", COUNT(*) AS "sales", SUM("quantity") AS "units",
              SUM("quantity" * "unitPriceCents") AS "cents" FROM "LostSale" GROUP BY 1, 2, 3`,
    ],
    [
      `SELECT "shop", "day", "productKey", "title", "sales", "units", "cents" FROM "LostSaleProductDay"`,
      `SELECT "shop", ${day} AS "day", COALESCE("productId", "title") AS "productKey", "title",
              COUNT(*) AS "sales", SUM("quantity") AS "units", SUM("quantity" * "unitPriceCents") AS "cents"
       FROM "LostSale" GROUP BY 1, 2, 3, 4`,
    ],
    [
      `SELECT "shop", "week", "productKey", "title", "sales", "units", "cents" FROM "LostSaleProductWeek"`,
      `SELECT "shop", ${week} AS "week",
              COALESCE("productId", "title") AS "productKey", "title", COUNT(*) AS "sales", SUM("quantity") AS "units",
              SUM("quantity" * "unitPriceCents") AS "cents"
       FROM "LostSale" GROUP BY 1, 2, 3, 4`,
    ],
    [
      `SELECT "shop", "day", "lines", "units", "shipped" FROM "BackorderDay"`,
      `SELECT "shop", ${day.replace('"at"', '"orderedAt"')} AS "day", COUNT(*) AS "lines", SUM("quantity") AS "units",
              SUM("shippedQty") AS "shipped" FROM "BackorderLine" GROUP BY 1, 2`,
    ],
    [
      `SELECT "shop", "lines", "units" FROM "OpenBackorders"`,
      `SELECT "shop", COUNT(*) AS "lines", SUM("backorderedQty") AS "units" FROM "BackorderLine"
       WHERE "status" IN ('waiting', 'partially_allocated') GROUP BY 1`,
    ],
    [
      `SELECT "lineId", "shop", ${text('"orderedAt"')} AS "orderedAt", "quantity", "shippedQty",
              ${text('"lastReleasedAt"')} AS "lastReleasedAt", "waitMs"
       FROM "AnalyticsLine"`,
      `SELECT l."id" AS "lineId", l."shop", ${text('l."orderedAt"')} AS "orderedAt", l."quantity", l."shippedQty",
              ${text('MAX(e."at")')} AS "lastReleasedAt", ${wait} AS "waitMs"
       FROM "BackorderLine" l
       LEFT JOIN "TimelineEvent" e ON e."backorderLineId" = l."id" AND e."kind" = 'released' AND e."shop" = l."shop"
       GROUP BY l."id"`,
    ],
  ];
  for (const [rollup, raw] of pairs) {
    const sorted = async (sql: string) =>
      (await target.$queryRawUnsafe<Record<string, unknown>[]>(sql))
        .map((row) => JSON.stringify(row, (_, value) => (typeof value === "bigint" ? Number(value) : value)))
        .sort();
    const rows = await sorted(rollup);
    expect(rows).toEqual(await sorted(raw));
  }
}

async function rollupRows(target: Db, shop: string) {
  return Promise.all([
    target.lostSaleDay.count({ where: { shop } }),
    target.lostSaleProductDay.count({ where: { shop } }),
    target.lostSaleProductWeek.count({ where: { shop } }),
    target.backorderDay.count({ where: { shop } }),
    target.openBackorders.count({ where: { shop } }),
    target.analyticsLine.count({ where: { shop } }),
  ]);
}

describe.each(databases)("Analytics rollups on $provider", ({ provider, db }) => {
  beforeEach(async () => {
    for (const table of ["TimelineEvent", "BackorderLine", "LostSale"])
      await db.$executeRawUnsafe(`DELETE FROM "${table}"`);
  });
  // A timestamp literal: ISO text is what SQLite stores; PostgreSQL takes a typed literal.
  const ts = (iso: string) => (provider === "postgresql" ? `TIMESTAMP '${iso}'` : `'${iso}'`);

  it(
    "after the app's writes in three shops, every rollup row and every figure equals the raw rows' own",
    { timeout: 60_000 },
    async () => {
      for (let round = 0; round < 4; round++) {
        await writeHistory(db, SHOPS, 1000 + round, 120);
        await expectRollupTablesFromRawRows(db, provider);
        await expectFiguresFromRawRows(db, SHOPS);
      }
      // The sequence did reach every case: releases, lost sales of every reason, waits, open lines, both titles.
      const shop = SHOPS[0]!;
      const figures = await actual(db, shop, new Date(0));
      expect(figures.waits.lines).toBeGreaterThan(10);
      expect(new Set(figures.lostByDayAndReason.map((row) => row.reason))).toEqual(new Set(REASONS));
      expect(figures.lostByProduct.map((row) => row.key).sort()).toEqual(
        [
          "Engraving",
          "Gift wrapping",
          "gid://shopify/Product/1",
          "gid://shopify/Product/2",
          "gid://shopify/Product/3",
        ].sort(),
      );
      expect(figures.open.lines).toBeGreaterThan(0);
    },
  );

  it("the Analytics page shows exactly those figures, for each window", { timeout: 60_000 }, async () => {
    await writeHistory(db, SHOPS, 7, 300);
    for (const shop of SHOPS) {
      for (const days of [7, 30, 90]) {
        const page = await loadAnalytics(db, shop, new URL(`https://app.test/app/analytics?days=${days}`), NOW);
        const raw = await expected(db, shop, new Date(NOW.getTime() - days * DAY));
        const lostUnits = raw.lostByDayAndReason.reduce((sum, row) => sum + row.units, 0);
        const unitsOrdered = raw.backorderedByDay.reduce((sum, row) => sum + row.units, 0);
        const unitsShipped = raw.backorderedByDay.reduce((sum, row) => sum + row.shipped, 0);
        expect(page).toMatchObject({
          unitsOrdered,
          unitsShipped,
          fillRate: unitsOrdered === 0 ? null : unitsShipped / unitsOrdered,
          openLines: raw.open.lines,
          openUnits: raw.open.units,
          shippedLines: raw.waits.lines,
          meanWaitDays: raw.waits.mean,
          p95WaitDays: raw.waits.p95,
          lostUnits,
          lostCents: raw.lostByDayAndReason.reduce((sum, row) => sum + row.cents, 0),
          byProduct: raw.lostByProduct.slice(0, 10),
        });
        const trendDays = new Set([
          ...raw.backorderedByDay.map((row) => row.day),
          ...raw.lostByDayAndReason.map((row) => row.day),
        ]);
        // Every day of the window is on the trend, the days without a figure as zeros.
        const since = new Date(NOW.getTime() - days * DAY).toISOString().slice(0, 10);
        const allDays = Array.from({ length: days + 1 }, (_, i) =>
          new Date(Date.parse(since) + i * DAY).toISOString().slice(0, 10),
        ).filter((day) => day <= NOW.toISOString().slice(0, 10));
        expect(page.trend.map((row) => row.day)).toEqual(trendDays.size === 0 ? [] : allDays);
        expect(page.trend.filter((row) => !trendDays.has(row.day))).toEqual(
          page.trend.filter((row) => !trendDays.has(row.day)).map(({ day }) => ({ day, backordered: 0, lost: 0 })),
        );
        expect(page.trend.reduce((sum, row) => sum + row.lost, 0)).toBe(lostUnits);
      }
    }
  });

  it(
    "changes the app never makes (raw updates and deletes of every kind of row) keep them equal too",
    { timeout: 60_000 },
    async () => {
      await writeHistory(db, SHOPS, 42, 200);
      const [a, b] = SHOPS as [string, string];
      const changes = [
        // Lost sales: moved to another day, reason, product, title, price and shop; one deleted.
        `UPDATE "LostSale" SET "at" = ${ts("2026-10-01T23:59:59.999+00:00")} WHERE "id" IN (SELECT "id" FROM "LostSale" WHERE "shop" = '${a}' ORDER BY "id" LIMIT 3)`,
        `UPDATE "LostSale" SET "reason" = 'deadline', "quantity" = "quantity" + 1 WHERE "id" IN (SELECT "id" FROM "LostSale" WHERE "shop" = '${a}' ORDER BY "id" DESC LIMIT 3)`,
        `UPDATE "LostSale" SET "productId" = NULL, "title" = 'Custom item', "unitPriceCents" = 77 WHERE "id" IN (SELECT "id" FROM "LostSale" WHERE "shop" = '${b}' ORDER BY "id" LIMIT 2)`,
        `UPDATE "LostSale" SET "shop" = '${b}' WHERE "id" IN (SELECT "id" FROM "LostSale" WHERE "shop" = '${a}' ORDER BY "at" LIMIT 2)`,
        `DELETE FROM "LostSale" WHERE "id" IN (SELECT "id" FROM "LostSale" WHERE "shop" = '${b}' ORDER BY "at" DESC LIMIT 4)`,
        // Lines: order time, quantities and status changed, one moved to another shop, one deleted (its events go
        // with it).
        `UPDATE "BackorderLine" SET "orderedAt" = ${ts("2026-11-20T00:00:00.000+00:00")} WHERE "id" IN (SELECT "line" FROM (SELECT "backorderLineId" AS "line" FROM "TimelineEvent" WHERE "shop" = '${a}' AND "kind" = 'released' ORDER BY "id" LIMIT 2) AS "released")`,
        `UPDATE "BackorderLine" SET "quantity" = "quantity" + 2, "backorderedQty" = "backorderedQty" + 2 WHERE "id" IN (SELECT "id" FROM "BackorderLine" WHERE "shop" = '${b}' ORDER BY "id" LIMIT 3)`,
        `UPDATE "BackorderLine" SET "status" = 'waiting' WHERE "id" IN (SELECT "id" FROM "BackorderLine" WHERE "shop" = '${a}' AND "status" NOT IN ('waiting', 'partially_allocated') ORDER BY "id" LIMIT 2)`,
        `UPDATE "BackorderLine" SET "status" = 'cancelled' WHERE "id" IN (SELECT "id" FROM "BackorderLine" WHERE "shop" = '${b}' AND "status" = 'partially_allocated' ORDER BY "id" LIMIT 2)`,
        `UPDATE "BackorderLine" SET "shop" = '${b}' WHERE "id" = (SELECT "backorderLineId" FROM "TimelineEvent" WHERE "shop" = '${a}' AND "kind" = 'released' ORDER BY "id" DESC LIMIT 1)`,
        // The moved line's releases still name the first shop, so they no longer count: also when one changes or goes.
        `UPDATE "TimelineEvent" SET "at" = ${ts("2026-11-24T08:00:00.000+00:00")} WHERE "kind" = 'released' AND "backorderLineId" IN (SELECT "id" FROM "BackorderLine" WHERE "shop" = '${b}' AND "id" IN (SELECT "backorderLineId" FROM "TimelineEvent" WHERE "shop" = '${a}'))`,
        `INSERT INTO "TimelineEvent" ("id", "shop", "orderId", "backorderLineId", "kind", "at") SELECT 'moved-release', '${a}', "orderId", "id", 'released', ${ts("2026-11-24T09:00:00.000+00:00")} FROM "BackorderLine" WHERE "shop" = '${b}' AND "id" IN (SELECT "backorderLineId" FROM "TimelineEvent" WHERE "shop" = '${a}')`,
        `DELETE FROM "TimelineEvent" WHERE "id" = 'moved-release'`,
        `DELETE FROM "BackorderLine" WHERE "id" = (SELECT "backorderLineId" FROM "TimelineEvent" WHERE "shop" = '${b}' AND "kind" = 'released' ORDER BY "at" DESC LIMIT 1)`,
        // Events: a release moved in time, one turned into another kind, one turned into a release, some deleted.
        `UPDATE "TimelineEvent" SET "at" = ${ts("2026-11-25T12:00:00.000+00:00")} WHERE "id" = (SELECT "id" FROM "TimelineEvent" WHERE "shop" = '${a}' AND "kind" = 'released' ORDER BY "at" LIMIT 1)`,
        `UPDATE "TimelineEvent" SET "kind" = 'allocated' WHERE "id" = (SELECT "id" FROM "TimelineEvent" WHERE "shop" = '${a}' AND "kind" = 'released' ORDER BY "at" DESC LIMIT 1)`,
        `UPDATE "TimelineEvent" SET "kind" = 'released' WHERE "id" = (SELECT "id" FROM "TimelineEvent" WHERE "shop" = '${b}' AND "kind" = 'held' ORDER BY "id" LIMIT 1)`,
        `DELETE FROM "TimelineEvent" WHERE "id" IN (SELECT "id" FROM "TimelineEvent" WHERE "kind" = 'released' ORDER BY "at" LIMIT 5)`,
      ];
      for (const sql of changes) {
        const changed = await db.$executeRawUnsafe(sql);
        expect({ sql, changed: changed > 0 }).toEqual({ sql, changed: true });
        await expectRollupTablesFromRawRows(db, provider);
      }
      await expectFiguresFromRawRows(db, SHOPS);
    },
  );

  it(
    "customers/redact changes no figure; shop/redact removes the shop's rollups and no other shop's",
    { timeout: 60_000 },
    async () => {
      await writeHistory(db, SHOPS, 99, 250);
      const [gone, kept, other] = SHOPS as [string, string, string];
      const before = await Promise.all(SHOPS.map(async (shop) => actual(db, shop, new Date(NOW.getTime() - 90 * DAY))));

      for (const shop of SHOPS) {
        const redacted = await redactCustomer(db, shop, {
          customerId: "gid://shopify/Customer/2",
          email: null,
          orderIds: ["gid://shopify/Order/3"],
        });
        expect(redacted).toBeGreaterThan(0);
      }
      const afterRedact = await Promise.all(
        SHOPS.map(async (shop) => actual(db, shop, new Date(NOW.getTime() - 90 * DAY))),
      );
      expect(afterRedact).toEqual(before);
      await expectRollupTablesFromRawRows(db, provider);

      expect((await rollupRows(db, gone)).every((count) => count > 0)).toBe(true);
      const keptRows = await rollupRows(db, kept);
      await deleteShopData(db, gone);

      expect(await rollupRows(db, gone)).toEqual([0, 0, 0, 0, 0, 0]);
      expect(await rollupRows(db, kept)).toEqual(keptRows);
      expect(await actual(db, kept, new Date(NOW.getTime() - 90 * DAY))).toEqual(before[1]);
      expect(await actual(db, other, new Date(NOW.getTime() - 90 * DAY))).toEqual(before[2]);
      expect(await actual(db, gone, new Date(NOW.getTime() - 90 * DAY))).toEqual({
        backorderedByDay: [],
        open: { lines: 0, units: 0 },
        waits: { lines: 0, mean: null, p95: null },
        lostByDayAndReason: [],
        lostByProduct: [],
      });
      await expectRollupTablesFromRawRows(db, provider);
      await expectFiguresFromRawRows(db, SHOPS);
    },
  );
});

describe("the rollups' SQLite migration", () => {
  it(
    "backfills them from the rows written before it, and its triggers keep them from then on",
    { timeout: 60_000 },
    async () => {
      const migrations = path.resolve("prisma/migrations");
      const names = readdirSync(migrations)
        .filter((name) => /^\d+_/.test(name))
        .sort();
      const at = names.indexOf("20261128090000_analytics_rollups");
      expect(at).toBeGreaterThan(0);
      const sql = (name: string) => readFileSync(path.join(migrations, name, "migration.sql"), "utf8");

      const file = path.resolve(".tmp", `backfill-${process.pid}-${Date.now()}.sqlite`);
      const url = `file:${file}`;
      const raw = createClient({ url });
      const app = connectDatabase(url);
      try {
        // Every other migration first: the rows are written by today's client, whose columns later ones add.
        for (const name of names.filter((_, i) => i !== at)) await raw.executeMultiple(sql(name));
        await writeHistory(app, SHOPS, 2024, 300);

        await raw.executeMultiple(sql(names[at]!));
        await expectRollupTablesFromRawRows(app, "sqlite");
        expect((await rollupRows(app, SHOPS[0]!)).every((count) => count > 0)).toBe(true);
        await expectFiguresFromRawRows(app, SHOPS);

        await writeHistory(app, SHOPS, 2025, 100);
        await expectRollupTablesFromRawRows(app, "sqlite");
        await expectFiguresFromRawRows(app, SHOPS);
      } finally {
        await app.$disconnect();
        raw.close();
        for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
      }
    },
  );
});
