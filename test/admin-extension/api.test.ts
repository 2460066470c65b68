import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import db from "~/db.server";
import { env } from "~/env.server";
import { action, loader } from "~/routes/api.restock-dates";

import { describe as describeVariant, readAnswer } from "../../extensions/restock-date-block/src/restock-date";
import { adminRequest, APP_URL, call } from "../admin/support";
import { startPipeline, type Pipeline } from "../pipeline/harness";
import { shopState } from "../pipeline/story";

// The app's side of the restock date block (app/routes/api.restock-dates.tsx) over real requests, against Local
// Shopify and real SQLite. What only Shopify admin can show (the block rendered, its fetch) is in README.
const EXTENSION_ORIGIN = "https://extensions.shopifycdn.com";
let run = 0;
let SHOP = "";
let pipeline: Pipeline;
let desk: Awaited<ReturnType<Pipeline["shopify"]["control"]["createProduct"]>>;
let other: Awaited<ReturnType<Pipeline["shopify"]["control"]["createProduct"]>>;

beforeAll(async () => {
  pipeline = await startPipeline();
  env.SHOPIFY_ADMIN_API_ORIGIN = pipeline.shopify.origin;
});
afterAll(async () => {
  await pipeline.stop();
});

beforeEach(async () => {
  SHOP = `block-${++run}.myshopify.com`;
  const { locationId } = await pipeline.install(SHOP);
  const at = { [String(locationId)]: 0 };
  desk = await pipeline.shopify.control.createProduct(SHOP, {
    title: "Desk",
    variants: [
      { title: "Small", sku: "DESK-S", price: "90.00", inventoryPolicy: "CONTINUE", tracked: true, available: at },
      { title: "Large", sku: "DESK-L", price: "120.00", inventoryPolicy: "CONTINUE", tracked: true, available: at },
      { title: "Floor model", sku: "DESK-F", price: "60.00", inventoryPolicy: "DENY", tracked: true, available: at },
    ],
  });
  other = await pipeline.shopify.control.createProduct(SHOP, {
    title: "Lamp",
    variants: [{ sku: "LAMP", price: "20.00", inventoryPolicy: "CONTINUE", tracked: true, available: at }],
  });
});

const get = async (productId: string) =>
  call(loader, await adminRequest(`/api/restock-dates?productId=${encodeURIComponent(productId)}`, { shop: SHOP }));
const post = async (json: unknown) => call(action, await adminRequest("/api/restock-dates", { shop: SHOP, json }));

describe("the restock date block's endpoint", () => {
  it("refuses a request without the ID token, or with a forged one, and answers nothing of the shop", async () => {
    const bare = await call(loader, new Request(`${APP_URL}/api/restock-dates?productId=${desk.gid}`));
    // Shopify's library sends a request with no token and no shop to the login page.
    expect([bare.status, bare.headers.get("Location")]).toEqual([302, "/auth/login"]);
    expect(JSON.stringify(bare.body)).not.toContain("DESK");
    const forged = await call(
      loader,
      await adminRequest(`/api/restock-dates?productId=${desk.gid}`, { shop: SHOP, secret: "forged" }),
    );
    expect(forged.status).toBe(401);
    const forgedPost = await call(
      action,
      await adminRequest("/api/restock-dates", { shop: SHOP, secret: "forged", json: { productId: desk.gid } }),
    );
    expect(forgedPost.status).toBe(401);
    expect(await db.restockDate.count({ where: { shop: SHOP } })).toBe(0);
  });

  it("answers the preflight from the extension's origin, and every answer carries CORS headers", async () => {
    const preflight = await call(
      action,
      new Request(`${APP_URL}/api/restock-dates`, {
        method: "OPTIONS",
        headers: {
          Origin: EXTENSION_ORIGIN,
          "Access-Control-Request-Method": "POST",
          "Access-Control-Request-Headers": "authorization,content-type",
        },
      }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(preflight.headers.get("Access-Control-Allow-Headers")?.toLowerCase()).toContain("authorization");
    const fromBlock = await adminRequest(`/api/restock-dates?productId=${desk.gid}`, { shop: SHOP });
    fromBlock.headers.set("Origin", EXTENSION_ORIGIN);
    const answer = await call(loader, fromBlock);
    expect([answer.status, answer.headers.get("Access-Control-Allow-Origin")]).toEqual([200, "*"]);
  });

  it("reads the product's continue-selling variants with the shop default, then writes a variant's date and the product's lead days", async () => {
    const before = await get(desk.gid);
    expect(before.body).toEqual({
      dates: {
        productId: desk.gid,
        expectedAt: null,
        leadDays: null,
        shopLeadDays: 14,
        variants: [
          {
            variantId: desk.variants[0]!.gid,
            title: "Small",
            sku: "DESK-S",
            expectedAt: null,
            leadDays: null,
            waitingUnits: 0,
            promisedAt: null,
          },
          {
            variantId: desk.variants[1]!.gid,
            title: "Large",
            sku: "DESK-L",
            expectedAt: null,
            leadDays: null,
            waitingUnits: 0,
            promisedAt: null,
          },
        ],
      },
    });

    const large = desk.variants[1]!.gid;
    const saved = await post({ productId: desk.gid, variantId: large, date: "2099-02-14", leadDays: null });
    expect(saved.status).toBe(200);
    const product = await post({ productId: desk.gid, variantId: null, date: null, leadDays: 10 });
    expect(product.status).toBe(200);
    // The block reads the answer with its own code: the two sides agree on the contract.
    const answer = readAnswer(product.status, product.body);
    if (!answer.ok) throw new Error(JSON.stringify(answer.errors));
    expect(answer.value.variants.map((v) => `${v.title}: ${describeVariant(answer.value, v)}`)).toEqual([
      "Small: 10 days lead time (product)",
      "Large: back 2099-02-14",
    ]);
    expect(
      (await db.restockDate.findMany({ where: { shop: SHOP }, orderBy: { ownerId: "asc" } })).map((r) => [
        r.ownerId,
        r.expectedAt?.toISOString().slice(0, 10) ?? null,
        r.leadDays,
      ]),
    ).toEqual(
      [
        [desk.gid, null, 10],
        [large, "2099-02-14", null],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );

    // The redate jobs it queued give the storefront the date before anyone has ordered (the badge's source).
    await pipeline.drain();
    const metafields = (await shopState(pipeline, SHOP)).metafields as {
      ownerId: string;
      key: string;
      value: string;
    }[];
    const storefront = new Map(metafields.filter((m) => m.key === "expected_date").map((m) => [m.ownerId, m.value]));
    expect(storefront.get(large)).toBe("2099-02-14");
    // Small has the product's 10 days: today (Local Shopify's clock) + 10.
    const tenDays = new Date(pipeline.now().getTime() + 10 * 86_400_000).toISOString().slice(0, 10);
    expect(storefront.get(desk.variants[0]!.gid)).toBe(tenDays);

    const cleared = await post({ productId: desk.gid, variantId: large, date: null, leadDays: null });
    expect(cleared.body.dates.variants[1]).toMatchObject({ expectedAt: null, leadDays: null });
  });

  it("names what is wrong and writes nothing: bad ids, a past date, lead days out of range, a variant it cannot date", async () => {
    const floor = desk.variants[2]!.gid;
    const lamp = other.variants[0]!.gid;
    const cases: [unknown, Record<string, string>][] = [
      [
        { productId: "42", variantId: null, date: "2099-01-01", leadDays: null },
        { productId: "productId must be a Product GID" },
      ],
      [
        { productId: desk.gid, variantId: "x", date: "2099-01-01", leadDays: null },
        { variantId: "variantId must be a ProductVariant GID" },
      ],
      [
        { productId: desk.gid, variantId: null, date: "2001-01-01", leadDays: null },
        { date: "2001-01-01 is in the past" },
      ],
      [
        { productId: desk.gid, variantId: null, date: "2099-02-30", leadDays: null },
        { date: '"2099-02-30" is not a date like 2026-12-31' },
      ],
      [
        { productId: desk.gid, variantId: null, date: null, leadDays: 400 },
        { leadDays: 'lead days "400" must be a whole number from 0 to 365' },
      ],
      [
        { productId: desk.gid, variantId: null, date: "2099-01-01", leadDays: 3 },
        { date: "give a date or lead days, not both" },
      ],
      [
        { productId: desk.gid, variantId: floor, date: "2099-01-01", leadDays: null },
        { variantId: "this variant is not one of the product's continue-selling variants" },
      ],
      [
        { productId: desk.gid, variantId: lamp, date: "2099-01-01", leadDays: null },
        { variantId: "this variant is not one of the product's continue-selling variants" },
      ],
      [
        { productId: "gid://shopify/Product/999999999", variantId: null, date: "2099-01-01", leadDays: null },
        { productId: "no product gid://shopify/Product/999999999" },
      ],
      [null, { body: "Invalid input: expected object, received null" }],
    ];
    for (const [json, errors] of cases) {
      const answer = await post(json);
      expect([answer.status, answer.body]).toEqual([422, { errors }]);
    }
    expect((await get("nope")).body).toEqual({ errors: { productId: "productId must be a Product GID" } });
    expect(await db.restockDate.count({ where: { shop: SHOP } })).toBe(0);
    expect(await db.job.count({ where: { shop: SHOP, type: "redate" } })).toBe(0);
  });
});
