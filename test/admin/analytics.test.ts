import { beforeEach, describe, expect, it } from "vitest";

import db from "~/db.server";
import { loader } from "~/routes/app.analytics";
import { loader as exportLoader } from "~/routes/app.export.$kind";

import { product, seedStory, SHOE } from "../fixtures/seed/seed";
import { adminRequest, call, installShop } from "./support";

const SHOP = "north-star.myshopify.com";
const OTHER = "other-shop.myshopify.com";
const DAY = 86_400_000;
const HOUR = 3_600_000;
const now = new Date();
const MUG = product(7, '=HYPERLINK("http://evil")', 1_800);

async function lostSale(shop: string, p: typeof SHOE, quantity: number, reason: string, daysAgo: number, n: number) {
  await db.lostSale.create({
    data: {
      shop,
      orderId: `gid://shopify/Order/${3000 + n}`,
      orderName: `#${3000 + n}`,
      productId: p.productId,
      variantId: p.variantId,
      sku: p.sku,
      title: p.title,
      quantity,
      unitPriceCents: p.priceCents,
      reason,
      at: new Date(now.getTime() - daysAgo * DAY),
    },
  });
}

beforeEach(async () => {
  for (const table of ["Session", "BackorderLine", "TimelineEvent", "LostSale"])
    await db.$executeRawUnsafe(`DELETE FROM "${table}"`);
  await installShop(SHOP);
  await installShop(OTHER);
  await seedStory(db, SHOP, now);
  await seedStory(db, OTHER, now);
  await lostSale(SHOP, SHOE, 2, "deadline", 1, 1);
  await lostSale(SHOP, SHOE, 2, "deadline", 2, 2);
  await lostSale(SHOP, MUG, 1, "customer_cancelled", 3, 3);
  await lostSale(SHOP, SHOE, 5, "cap_reached", 40, 4); // outside the 30-day window
  await lostSale(OTHER, SHOE, 9, "merchant_cancelled", 1, 5);
});

const day = (at: number) => new Date(at).toISOString().slice(0, 10);

describe("analytics loader", () => {
  it("GIVEN the seed story and lost sales THEN the whole summary for the last 30 days, this shop only", async () => {
    const { status, body } = await call(loader, await adminRequest("/app/analytics", { shop: SHOP }));

    // The story's trend: 21 units ordered 5 days ago (an hour apart, so maybe over two UTC days) and the lost sales.
    const trend = new Map<string, { day: string; backordered: number; lost: number }>();
    const add = (at: number, key: "backordered" | "lost", units: number) => {
      const entry = trend.get(day(at)) ?? { day: day(at), backordered: 0, lost: 0 };
      entry[key] += units;
      trend.set(day(at), entry);
    };
    for (let i = 0; i < 7; i++) add(now.getTime() - 5 * DAY + i * HOUR, "backordered", 3);
    add(now.getTime() - 1 * DAY, "lost", 2);
    add(now.getTime() - 2 * DAY, "lost", 2);
    add(now.getTime() - 3 * DAY, "lost", 1);
    // Every UTC day of the window is on the trend, days with nothing as zeros, so the axis skips none.
    for (let at = now.getTime() - 30 * DAY; day(at) <= day(now.getTime()); at += DAY) add(at, "lost", 0);

    expect(status).toBe(200);
    expect(body).toEqual({
      days: 30,
      currency: "USD",
      fillRate: 9 / 21,
      unitsOrdered: 21,
      unitsShipped: 9,
      openLines: 4,
      openUnits: 12,
      // Customers 1–3 ordered at 0, 1 and 2 hours and were served 3 days after the first order.
      meanWaitDays: expect.closeTo((72 + 71 + 70) / 3 / 24, 9),
      p95WaitDays: expect.closeTo(3, 9),
      shippedLines: 3,
      lostUnits: 5,
      lostCents: 4 * 12_000 + 1_800,
      byReason: [
        { key: "deadline", title: "Deadline passed", units: 4, cents: 48_000 },
        { key: "customer_cancelled", title: "Customer cancelled", units: 1, cents: 1_800 },
      ],
      byProduct: [
        { key: SHOE.productId, title: SHOE.title, units: 4, cents: 48_000 },
        { key: MUG.productId, title: MUG.title, units: 1, cents: 1_800 },
      ],
      trend: [...trend.values()].sort((a, b) => a.day.localeCompare(b.day)),
    });
  });

  it("GIVEN ?days=90 THEN older lost sales count too", async () => {
    const { body } = await call(loader, await adminRequest("/app/analytics?days=90", { shop: SHOP }));
    expect([body.days, body.lostUnits, body.byReason.map((row: { key: string }) => row.key)]).toEqual([
      90,
      10,
      ["cap_reached", "deadline", "customer_cancelled"],
    ]);
  });

  it("GIVEN a shop with nothing THEN empty figures, not errors", async () => {
    const EMPTY = "empty-shop.myshopify.com";
    await installShop(EMPTY);
    const { body } = await call(loader, await adminRequest("/app/analytics", { shop: EMPTY }));
    expect(body).toMatchObject({
      fillRate: null,
      meanWaitDays: null,
      p95WaitDays: null,
      openLines: 0,
      lostUnits: 0,
      byReason: [],
      trend: [],
    });
  });
});

describe("CSV export", () => {
  const download = async (kind: string, shop = SHOP) =>
    call(exportLoader, await adminRequest(`/app/export/${kind}`, { shop }), { kind });

  it("lost sales of the window as CSV, spreadsheet formulas neutralised, this shop only", async () => {
    const { status, body, headers } = await download("lost-sales");

    expect(status).toBe(200);
    expect(headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(headers.get("Content-Disposition")).toBe(
      `attachment; filename="lost-sales-${now.toISOString().slice(0, 10)}.csv"`,
    );
    const lines = (body as string).trimEnd().split("\r\n");
    expect(lines[0]).toBe("lost_at,order,product,sku,quantity,unit_price,currency,reason");
    expect(lines.slice(1).sort()).toEqual(
      [
        `${new Date(now.getTime() - 1 * DAY).toISOString()},#3001,Trail shoe — 42,SHOE-42,2,120.00,USD,deadline`,
        `${new Date(now.getTime() - 2 * DAY).toISOString()},#3002,Trail shoe — 42,SHOE-42,2,120.00,USD,deadline`,
        `${new Date(now.getTime() - 3 * DAY).toISOString()},#3003,"'=HYPERLINK(""http://evil"")",SKU-7,1,18.00,USD,customer_cancelled`,
      ].sort(),
    );
  });

  it("backorders: every line of the shop, read page by page", async () => {
    const { body } = await download("backorders");
    const lines = (body as string).trimEnd().split("\r\n");
    expect(lines).toHaveLength(1 + 7);
    expect(lines[0]).toBe(
      "order,ordered_at,product,sku,customer,quantity,shipped,allocated,waiting,lost,lost_reason,status,promised_at,deadline_at",
    );
    const statuses = lines.slice(1).map((line) => line.split(",")[11]);
    expect(statuses.sort()).toEqual([
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "waiting",
      "waiting",
      "waiting",
      "waiting",
    ]);
  });

  it("an unknown export answers 404 with a message", async () => {
    const response = await download("customers");
    expect(response).toMatchObject({ status: 404, body: 'Unknown export "customers": use backorders or lost-sales' });
  });
});
