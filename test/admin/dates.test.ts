import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import db from "~/db.server";
import { env } from "~/env.server";
import { action, loader } from "~/routes/app.dates";

import { startLocalShopify, type LocalShopify } from "../shopify-local/server";
import { adminRequest, call, installShop } from "./support";

let run = 0;
let SHOP = "";
let shopify: LocalShopify;

beforeAll(async () => {
  shopify = await startLocalShopify({ apiSecret: "test-api-secret", apiKey: "test-api-key" });
  env.SHOPIFY_ADMIN_API_ORIGIN = shopify.origin;
});

afterAll(async () => {
  await shopify.stop();
});

beforeEach(async () => {
  for (const table of ["Session", "RestockDate", "Job"]) await db.$executeRawUnsafe(`DELETE FROM "${table}"`);
  SHOP = `dates-${++run}.myshopify.com`;
  const shop = await shopify.control.createShop({ domain: SHOP });
  await installShop(SHOP, shop.accessToken);
  const location = String(shop.locations[0]!.id);
  for (const [title, sku, policy] of [
    ["Oak chair", "CHAIR", "CONTINUE"],
    ["Oak table", "TABLE", "CONTINUE"],
    ["Gift card", "GIFT", "DENY"],
  ] as const) {
    await shopify.control.createProduct(SHOP, {
      title,
      variants: [{ sku, price: "10.00", inventoryPolicy: policy, tracked: true, available: { [location]: 2 } }],
    });
  }
});

const post = async (form: Record<string, string>) =>
  call(action, await adminRequest("/app/dates", { shop: SHOP, form }));

describe("restock dates page", () => {
  it("lists the continue-selling variants only, searchable by product or SKU", async () => {
    const all = await call(loader, await adminRequest("/app/dates", { shop: SHOP }));
    expect(all.body.rows.map((r: { sku: string; stock: number }) => [r.sku, r.stock])).toEqual([
      ["CHAIR", 2],
      ["TABLE", 2],
    ]);
    const found = await call(loader, await adminRequest("/app/dates?q=table", { shop: SHOP }));
    expect(found.body.rows.map((r: { sku: string }) => r.sku)).toEqual(["TABLE"]);
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
    expect(await db.restockDate.count()).toBe(0);
    expect(await db.job.count({ where: { type: "redate" } })).toBe(0);
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

    const page = await call(loader, await adminRequest("/app/dates", { shop: SHOP }));
    const chair = page.body.rows[0];
    const set = await post({
      intent: "set",
      on: "product",
      leadDays: "7",
      targets: JSON.stringify([
        {
          variantId: chair.variantId,
          productId: chair.productId,
          inventoryItemId: chair.inventoryItemId,
          sku: "CHAIR",
        },
      ]),
    });
    expect(set.body).toMatchObject({ ok: true });
    const after = await call(loader, await adminRequest("/app/dates", { shop: SHOP }));
    // The variant's own date still wins over the product's new lead time.
    expect(after.body.rows[0]).toMatchObject({ sku: "CHAIR", expectedAt: "2099-01-15", setOn: "variant" });
    expect(await db.restockDate.count({ where: { shop: SHOP, ownerId: chair.productId, leadDays: 7 } })).toBe(1);
    const refused = await post({ intent: "set", on: "variant", date: "2001-01-01", targets: "[]" });
    expect(refused.status).toBe(422);
  });
});
