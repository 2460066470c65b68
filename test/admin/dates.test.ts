import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import db from "~/db.server";
import { env } from "~/env.server";
import { action, loader } from "~/routes/app.dates";

import { startPipeline, type Pipeline } from "../pipeline/harness";
import { adminGraphql } from "../shopify-local/testing";
import { adminRequest, call } from "./support";

let run = 0;
let SHOP = "";
let TOKEN = "";
let LOCATION = "";
let pipeline: Pipeline;

beforeAll(async () => {
  pipeline = await startPipeline();
  env.SHOPIFY_ADMIN_API_ORIGIN = pipeline.shopify.origin;
});

afterAll(async () => {
  await pipeline.stop();
});

beforeEach(async () => {
  SHOP = `dates-${++run}.myshopify.com`;
  const installed = await pipeline.install(SHOP);
  TOKEN = installed.token;
  LOCATION = String(installed.locationId);
});

const post = async (form: Record<string, string>) =>
  call(action, await adminRequest("/app/dates", { shop: SHOP, form }));
const page = async (query = "") => (await call(loader, await adminRequest(`/app/dates${query}`, { shop: SHOP }))).body;

async function product(title: string, variants: [sku: string, policy: "CONTINUE" | "DENY", tracked?: boolean][]) {
  return pipeline.shopify.control.createProduct(SHOP, {
    title,
    variants: variants.map(([sku, inventoryPolicy, tracked = true], i) => ({
      title: variants.length === 1 ? undefined : `Size ${i + 1}`,
      sku,
      price: "10.00",
      inventoryPolicy,
      tracked,
      available: { [LOCATION]: 2 },
    })),
  });
}

/** The variant sync as the schedule runs it (the first tick after install), through the job runner. */
async function syncList() {
  await pipeline.enqueue(SHOP, "variant_sync");
  await pipeline.drain();
}

describe("restock dates page over the whole catalogue", () => {
  it("pages 50 at a time over every continue-selling variant (260 over two Shopify pages of 250), counts and searches them", async () => {
    // 130 products of 2 continue-selling variants, and beside them variants the page must leave out.
    for (let i = 0; i < 130; i++) {
      const n = String(i).padStart(3, "0");
      await product(`Chair ${n}`, [
        [`CH-${n}-A`, "CONTINUE"],
        [`CH-${n}-B`, "CONTINUE"],
      ]);
    }
    await product("Gift card", [["GIFT", "DENY"]]);
    await product("Sticker", [["STICKER", "CONTINUE", false]]);
    expect((await page()).total).toBe(0); // nothing read from Shopify yet
    await syncList();
    const variantReads = pipeline.calls.filter((c) => c.shop === SHOP && c.operation === "BackorderDateVariants");
    expect(variantReads.map((c) => c.status)).toEqual([200, 200]); // 263 variants: two pages of 250

    const seen: string[] = [];
    for (let n = 1; n <= 6; n++) {
      const body = await page(n === 1 ? "" : `?page=${n}`);
      expect([body.page, body.total, body.rows.length]).toEqual([n, 260, n === 6 ? 10 : 50]);
      seen.push(...body.rows.map((r: { sku: string }) => r.sku));
    }
    const expected = Array.from({ length: 130 }, (_, i) => String(i).padStart(3, "0")).flatMap((n) => [
      `CH-${n}-A`,
      `CH-${n}-B`,
    ]);
    expect(seen).toEqual(expected);
    expect((await page("?page=7")).rows).toEqual([]);

    const first = (await page()).rows[0];
    expect(first).toMatchObject({ title: "Chair 000 — Size 1", sku: "CH-000-A", stock: 2, waitingUnits: 0 });
    // Search runs over the whole list (product title, variant title, SKU), paged and counted the same way.
    const found = await page("?q=chair%2012");
    expect([found.total, found.rows.map((r: { sku: string }) => r.sku)]).toEqual([20, expected.slice(240)]);
    expect((await page("?q=ch-077-b")).rows.map((r: { sku: string }) => r.sku)).toEqual(["CH-077-B"]);
    expect((await page("?q=gift")).total).toBe(0);
  }, 60_000);

  it("a bulk edit of 'all' the search's variants reaches the ones on other pages; ticked ids are checked against the list", async () => {
    for (let i = 0; i < 60; i++) await product(`Lamp ${String(i).padStart(2, "0")}`, [[`LAMP-${i}`, "CONTINUE"]]);
    await product("Desk", [["DESK", "CONTINUE"]]);
    await syncList();
    expect((await page("?q=lamp")).total).toBe(60);

    const all = await post({ intent: "set", all: "true", q: "lamp", on: "variant", leadDays: "12" });
    expect(all.body).toMatchObject({ ok: true, message: "Lead time saved for 60 variant(s)" });
    expect(await db.restockDate.count({ where: { shop: SHOP, leadDays: 12 } })).toBe(60);
    expect(await db.job.count({ where: { shop: SHOP, type: "redate", status: "queued" } })).toBe(60);
    expect((await page("?q=lamp&page=2")).rows.map((r: { leadDays: number }) => r.leadDays)).toEqual(
      Array(10).fill(12),
    );
    expect((await page("?q=desk")).rows[0]).toMatchObject({ leadDays: null, setOn: null });

    const desk = (await page("?q=desk")).rows[0];
    const picked = await post({
      intent: "set",
      on: "product",
      date: "2099-03-01",
      variantIds: JSON.stringify([desk.variantId]),
    });
    expect(picked.body).toMatchObject({ ok: true, message: "Restock date saved for 1 variant(s)" });
    expect((await page("?q=desk")).rows[0]).toMatchObject({ expectedAt: "2099-03-01", setOn: "product" });

    // An id that is not one of the shop's continue-selling variants (another shop's, or forged) changes nothing.
    const forged = await post({
      intent: "set",
      on: "variant",
      date: "2099-03-01",
      variantIds: JSON.stringify([desk.variantId, "gid://shopify/ProductVariant/999999999"]),
    });
    expect([forged.status, forged.body.fieldErrors]).toEqual([
      422,
      { targets: "Some selected variants are no longer continue-selling: reload the page" },
    ]);
    const none = await post({ intent: "set", on: "variant", date: "2099-03-01", variantIds: "[]" });
    expect([none.status, none.body.fieldErrors]).toEqual([422, { targets: "Select at least one variant" }]);
  }, 60_000);

  it("follows the catalogue: a variant switched to DENY leaves with products/update, or at once if that webhook is late; a new one with the next sync", async () => {
    const desk = await product("Desk", [
      ["DESK-S", "CONTINUE"],
      ["DESK-M", "CONTINUE"],
      ["DESK-L", "CONTINUE"],
    ]);
    await syncList();
    expect((await page()).rows.map((r: { sku: string }) => r.sku)).toEqual(["DESK-S", "DESK-M", "DESK-L"]);
    const deny = async (index: number) => {
      const answer = await adminGraphql(
        pipeline.shopify.origin,
        TOKEN,
        `mutation($p: ID!, $v: [ProductVariantsBulkInput!]!) { productVariantsBulkUpdate(productId: $p, variants: $v) { userErrors { field message code } } }`,
        { p: desk.gid, v: [{ id: desk.variants[index]!.gid, inventoryPolicy: "DENY" }] },
      );
      expect(answer.json.data.productVariantsBulkUpdate.userErrors).toEqual([]);
    };
    const listed = async () =>
      (await db.sellingVariant.findMany({ where: { shop: SHOP }, select: { sku: true } })).map((r) => r.sku).sort();

    await deny(1); // products/update → the product's variants are read again, before anyone opens the page
    await pipeline.drain();
    expect(await listed()).toEqual(["DESK-L", "DESK-S"]);

    pipeline.setIntake(false); // the webhook has not arrived: the page's live read of its rows drops the variant
    await deny(2);
    const body = await page();
    expect([body.total, body.rows.map((r: { sku: string }) => r.sku)]).toEqual([1, ["DESK-S"]]);
    expect(await listed()).toEqual(["DESK-S"]);
    pipeline.setIntake(true);

    await product("Shelf", [["SHELF", "CONTINUE"]]);
    await syncList();
    expect((await page()).rows.map((r: { sku: string }) => r.sku)).toEqual(["DESK-S", "SHELF"]);
    expect((await page()).syncedAt).toEqual(expect.any(String));
    const refresh = await post({ intent: "refresh" });
    expect(refresh.body).toMatchObject({ ok: true, intent: "refresh" });
    expect(await db.job.count({ where: { shop: SHOP, type: "variant_sync", status: "queued" } })).toBe(1);
  }, 60_000);
});

describe("restock dates CSV", () => {
  beforeEach(async () => {
    for (const [title, sku, policy] of [
      ["Oak chair", "CHAIR", "CONTINUE"],
      ["Oak table", "TABLE", "CONTINUE"],
      ["Gift card", "GIFT", "DENY"],
    ] as const) {
      await product(title, [[sku, policy]]);
    }
    await syncList();
  });

  it("a CSV with bad rows writes nothing and names every bad row", async () => {
    const csv = [
      "sku,date,lead_days",
      "CHAIR,2026-13-01,",
      "TABLE,,400",
      "NOPE,2099-01-01,",
      "GIFT,2099-01-01,",
      "TABLE,2099-01-01,",
      ",2099-01-01,",
      "BENCH,2099-01-01,5",
    ].join("\n");
    const preview = await post({ intent: "preview", csv });
    expect(preview.body.preview.rows.map((r: { line: number; error: string }) => [r.line, r.error])).toEqual([
      [2, '"2026-13-01" is not a date like 2026-12-31'],
      [3, 'lead days "400" must be a whole number from 0 to 365'],
      [4, "no variant has SKU NOPE"],
      [5, "GIFT does not keep selling when out of stock"],
      [6, "SKU TABLE appears more than once"],
      [7, "the SKU is empty"],
      [8, "give a date or lead days, not both"],
    ]);
    const imported = await post({ intent: "import", csv });
    expect(imported.status).toBe(422);
    expect(imported.body.fieldErrors.csv).toBe("7 of 7 rows need fixing: nothing was imported");
    expect(await db.restockDate.count({ where: { shop: SHOP } })).toBe(0);
    expect(await db.job.count({ where: { shop: SHOP, type: "redate" } })).toBe(0);
  });

  it("a good CSV saves every row and re-dates each item; a bulk edit sets a product's lead time", async () => {
    const imported = await post({ intent: "import", csv: 'SKU,Date,Lead days\nCHAIR,2099-01-15,\n"TABLE",,21\n' });
    expect(imported.body).toMatchObject({ ok: true, message: "Imported 2 restock dates" });
    const saved = await db.restockDate.findMany({ where: { shop: SHOP }, orderBy: { sku: "asc" } });
    expect(saved.map((r) => [r.sku, r.expectedAt?.toISOString() ?? null, r.leadDays])).toEqual([
      ["CHAIR", "2099-01-15T00:00:00.000Z", null],
      ["TABLE", null, 21],
    ]);
    expect(await db.job.count({ where: { shop: SHOP, type: "redate" } })).toBe(2);

    const chair = (await page()).rows[0];
    const set = await post({
      intent: "set",
      on: "product",
      leadDays: "7",
      variantIds: JSON.stringify([chair.variantId]),
    });
    expect(set.body).toMatchObject({ ok: true });
    // The variant's own date still wins over the product's new lead time.
    expect((await page()).rows[0]).toMatchObject({ sku: "CHAIR", expectedAt: "2099-01-15", setOn: "variant" });
    expect(await db.restockDate.count({ where: { shop: SHOP, ownerId: chair.productId, leadDays: 7 } })).toBe(1);
    const refused = await post({
      intent: "set",
      on: "variant",
      date: "2001-01-01",
      variantIds: JSON.stringify([chair.variantId]),
    });
    expect([refused.status, refused.body.fieldErrors]).toEqual([422, { date: "2001-01-01 is in the past" }]);
  });
});
