import { beforeEach, describe, expect, it } from "vitest";

import db from "~/db.server";
import { action, loader } from "~/routes/app._index";
import { loader as detailLoader } from "~/routes/app.backorders.$orderId";

import { product, seedStory, SHOE } from "../fixtures/seed/seed";
import { adminRequest, call, installShop } from "./support";

const SHOP = "north-star.myshopify.com";
const OTHER = "other-shop.myshopify.com";
const DAY = 86_400_000;
const now = new Date();

const MUG = product(7, "Enamel mug", 1_800);

/** A waiting line of the mug, promised `promisedInDays` from now. */
async function mugLine(shop: string, n: number, promisedInDays: number, status = "waiting") {
  return db.backorderLine.create({
    data: {
      shop,
      orderId: `gid://shopify/Order/${2000 + n}`,
      orderName: `#${2000 + n}`,
      orderedAt: new Date(now.getTime() - (10 - n) * DAY),
      lineItemId: `gid://shopify/LineItem/${shop.length}${2000 + n}`,
      variantId: MUG.variantId,
      productId: MUG.productId,
      inventoryItemId: MUG.inventoryItemId,
      title: MUG.title,
      quantity: 2,
      reservedQty: status === "partially_allocated" ? 1 : 0,
      backorderedQty: status === "partially_allocated" ? 1 : 2,
      status,
      promisedAt: new Date(now.getTime() + promisedInDays * DAY),
      deadlineAt: new Date(now.getTime() + 20 * DAY),
    },
  });
}

beforeEach(async () => {
  for (const table of ["Session", "BackorderLine", "TimelineEvent", "Job"])
    await db.$executeRawUnsafe(`DELETE FROM "${table}"`);
  await installShop(SHOP);
  await installShop(OTHER);
  await seedStory(db, SHOP, now);
  await seedStory(db, OTHER, now);
});

const page = async (query = "", shop = SHOP) => call(loader, await adminRequest(`/app?${query}`, { shop }));
const orderNames = (body: { rows: { orderName: string }[] }) => body.rows.map((row) => row.orderName);

describe("backorder queue loader", () => {
  it("GIVEN the seed story THEN the four waiting lines, oldest first, with their age and nothing of another shop", async () => {
    const { status, body } = await page();

    expect(status).toBe(200);
    expect(body.total).toBe(4);
    expect(
      body.rows.map((row: Record<string, unknown>) => [
        row.orderName,
        row.customerName,
        row.backorderedQty,
        row.status,
        row.ageDays,
      ]),
    ).toEqual([
      ["#1004", "Edsger Dijkstra", 3, "waiting", 4],
      ["#1005", "Barbara Liskov", 3, "waiting", 4],
      ["#1006", "Donald Knuth", 3, "waiting", 4],
      ["#1007", "Frances Allen", 3, "waiting", 4],
    ]);
    expect(body.groups).toEqual([
      { productId: SHOE.productId, title: SHOE.title, lines: 4, units: 12, oldestOrderedAt: expect.any(Date) },
    ]);
  });

  it("filters by product, status and due date, and sorts", async () => {
    await mugLine(SHOP, 1, -2); // overdue
    await mugLine(SHOP, 2, 2, "partially_allocated"); // due soon
    await mugLine(SHOP, 3, 10);
    await mugLine(OTHER, 4, -5);

    expect(orderNames((await page(`product=${encodeURIComponent(MUG.productId)}`)).body)).toEqual([
      "#2001",
      "#2002",
      "#2003",
    ]);
    expect(orderNames((await page("status=partially_allocated")).body)).toEqual(["#2002"]);
    expect(orderNames((await page("due=overdue")).body)).toEqual(["#2001"]);
    expect(orderNames((await page("due=soon")).body)).toEqual(["#2002"]);
    expect(
      orderNames((await page(`product=${encodeURIComponent(MUG.productId)}&sort=promisedAt&direction=desc`)).body),
    ).toEqual(["#2003", "#2002", "#2001"]);
    const groups = (await page()).body.groups.map((group: { title: string; units: number }) => [
      group.title,
      group.units,
    ]);
    expect(groups).toEqual([
      [SHOE.title, 12],
      [MUG.title, 5],
    ]);
  });

  it("pages through 50 lines at a time", async () => {
    for (let n = 0; n < 60; n++) await mugLine(SHOP, 100 + n, 10);
    const second = (await page("page=2")).body;
    expect([second.total, second.pageCount, second.rows.length, second.query.page]).toEqual([64, 2, 14, 2]);
  });
});

describe("order detail", () => {
  it("answers 404 for an order of another shop", async () => {
    await mugLine(OTHER, 9, 3);
    const response = await call(detailLoader, await adminRequest("/app/backorders/2009", { shop: SHOP }), {
      orderId: "2009",
    });
    expect(response.status).toBe(404);
  });
});

describe("bulk actions", () => {
  const waitingIds = async (shop: string) =>
    (
      await db.backorderLine.findMany({
        where: { shop, status: "waiting" },
        orderBy: { orderName: "asc" },
        select: { id: true },
      })
    ).map((line) => line.id);
  const bulk = async (form: Record<string, string | string[]>, shop = SHOP) => {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(form)) for (const v of [value].flat()) body.append(key, v);
    const request = await adminRequest("/app", { shop, method: "POST" });
    return call(action, new Request(request, { body }));
  };
  const jobs = async () =>
    (await db.job.findMany({ orderBy: { createdAt: "asc" } })).map((job) => ({
      shop: job.shop,
      type: job.type,
      payload: JSON.parse(job.payload),
      lockKey: job.lockKey,
    }));

  it("allocate now enqueues one allocate job per inventory item of the shop's selected lines, under the shop's lock", async () => {
    const mine = await waitingIds(SHOP);
    const mug = await mugLine(SHOP, 1, 5);
    const theirs = await waitingIds(OTHER);

    const response = await bulk({ intent: "allocate", lineIds: [...mine, mug.id, ...theirs] });

    expect(response).toMatchObject({
      status: 200,
      body: { ok: true, message: "Allocation started for 2 product variants" },
    });
    expect(await jobs()).toEqual([
      {
        shop: SHOP,
        type: "allocate",
        payload: { inventoryItemId: SHOE.inventoryItemId },
        lockKey: `stock:${SHOP}`,
      },
      {
        shop: SHOP,
        type: "allocate",
        payload: { inventoryItemId: MUG.inventoryItemId },
        lockKey: `stock:${SHOP}`,
      },
    ]);
  });

  it("cancel remainder enqueues one cancel_remainder job with the shop's open lines only, under the shop's lock", async () => {
    const mine = await waitingIds(SHOP);
    const theirs = await waitingIds(OTHER);

    const response = await bulk({ intent: "cancel_remainder", lineIds: [mine[0]!, mine[1]!, theirs[0]!] });

    expect(response.status).toBe(200);
    expect(await jobs()).toEqual([
      {
        shop: SHOP,
        type: "cancel_remainder",
        payload: { backorderLineIds: [mine[0], mine[1]], reason: "merchant_cancelled" },
        // It restocks units: never at once with an allocation of the shop's stock.
        lockKey: `stock:${SHOP}`,
      },
    ]);
  });

  it("customer cancelled enqueues the same removal, recorded as the customer's", async () => {
    const mine = await waitingIds(SHOP);
    const response = await bulk({ intent: "cancel_remainder_customer", lineIds: [mine[0]!] });

    expect(response.status).toBe(200);
    expect((await jobs()).map((job) => job.payload)).toEqual([
      { backorderLineIds: [mine[0]], reason: "customer_cancelled" },
    ]);
  });

  it("run the cut-off now enqueues the shop's cut-off: one allocate job for every item, under the shop's lock", async () => {
    const response = await bulk({ intent: "cutoff" });

    expect(response).toMatchObject({ status: 200, body: { ok: true } });
    expect(await jobs()).toEqual([{ shop: SHOP, type: "allocate", payload: {}, lockKey: `stock:${SHOP}` }]);
  });

  it("only another shop's lines: refused, nothing enqueued", async () => {
    const response = await bulk({ intent: "allocate", lineIds: await waitingIds(OTHER) });
    expect(response).toMatchObject({
      status: 422,
      body: { ok: false, fieldErrors: { lineIds: "None of the selected lines is still waiting" } },
    });
    expect(await db.job.count()).toBe(0);
  });

  it("extend deadline without consent is refused with its message and changes nothing", async () => {
    const [first] = await waitingIds(SHOP);
    const until = new Date(now.getTime() + 45 * DAY).toISOString().slice(0, 10);

    const response = await bulk({ intent: "extend_deadline", lineIds: [first!], until });

    expect(response).toMatchObject({
      status: 422,
      body: { ok: false, fieldErrors: { consent: "Confirm that these customers agreed to wait until the new date" } },
    });
    expect(await db.timelineEvent.count({ where: { kind: "consent" } })).toBe(0);
  });

  it.each([
    ["not a date", "31/12/2026", "Choose a date such as 2026-12-31"],
    ["in the past", "2020-01-01", "Choose a date after today"],
  ])("extend deadline to a date %s is refused", async (_name, until, message) => {
    const response = await bulk({ intent: "extend_deadline", lineIds: await waitingIds(SHOP), until, consent: "on" });
    expect(response).toMatchObject({ status: 422, body: { ok: false, fieldErrors: { until: message } } });
  });

  it("extend deadline with consent moves the deadline and records consent on the timeline, for this shop only", async () => {
    const mine = await waitingIds(SHOP);
    const theirs = await waitingIds(OTHER);
    const until = new Date(now.getTime() + 45 * DAY).toISOString().slice(0, 10);

    const response = await bulk({ intent: "extend_deadline", lineIds: [mine[0]!, theirs[0]!], until, consent: "on" });

    expect(response).toMatchObject({
      status: 200,
      body: { ok: true, message: `Deadline moved to ${until} for 1 line` },
    });
    const changed = await db.backorderLine.findMany({
      where: { consentUntil: { not: null } },
      select: { id: true, deadlineAt: true, consentUntil: true },
    });
    const expected = new Date(`${until}T23:59:59.000Z`);
    expect(changed).toEqual([{ id: mine[0], deadlineAt: expected, consentUntil: expected }]);
    const consent = await db.timelineEvent.findMany({ where: { kind: "consent" } });
    expect(consent.map((event) => [event.shop, event.backorderLineId, JSON.parse(event.detail).until])).toEqual([
      [SHOP, mine[0], expected.toISOString()],
    ]);
  });
});
