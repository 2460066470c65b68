import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import db from "~/db.server";
import { env } from "~/env.server";
import { DEFAULT_SETTINGS, getSettings } from "~/models/settings.server";
import { action } from "~/routes/app.settings";
import { action as whatIfAction } from "~/routes/app.what-if";

import { startLocalShopify, type LocalShopify } from "../shopify-local/server";
import { adminGraphql } from "../shopify-local/testing";
import { adminRequest, call, installShop } from "./support";

// Local Shopify keeps its shops for the whole file: each test installs two new ones.
let run = 0;
let SHOP = "";
let OTHER = "";
let shopify: LocalShopify;
const tokens: Record<string, string> = {};

const STOREFRONT_METAFIELDS = `query {
  currentAppInstallation { metafields(first: 10, namespace: "backorder") { nodes { key type value } } }
}`;

async function storefrontMetafields(shop: string) {
  const answer = await adminGraphql(shopify.origin, tokens[shop]!, STOREFRONT_METAFIELDS);
  return answer.json.data.currentAppInstallation.metafields.nodes;
}

beforeAll(async () => {
  shopify = await startLocalShopify({ apiSecret: "test-api-secret", apiKey: "test-api-key" });
  // The gateway reads the Admin API's origin from the validated env, as it would from SHOPIFY_ADMIN_API_ORIGIN.
  env.SHOPIFY_ADMIN_API_ORIGIN = shopify.origin;
});

afterAll(async () => {
  await shopify.stop();
});

beforeEach(async () => {
  await db.$executeRawUnsafe('DELETE FROM "Session"');
  await db.$executeRawUnsafe('DELETE FROM "ShopSettings"');
  run++;
  SHOP = `north-star-${run}.myshopify.com`;
  OTHER = `other-shop-${run}.myshopify.com`;
  for (const shop of [SHOP, OTHER]) {
    tokens[shop] = (await shopify.control.createShop({ domain: shop })).accessToken;
    await installShop(shop, tokens[shop]);
  }
});

describe("saving valid settings", () => {
  it("GIVEN valid settings WHEN saved THEN they are stored and the storefront metafields are written on the app installation", async () => {
    const settings = {
      ...DEFAULT_SETTINGS,
      allocationPolicy: "priority" as const,
      priorityTags: ["VIP", "wholesale"],
      leadDays: 45,
      deadlineDays: 60,
      consentRecorded: true,
      badgeEnabled: true,
      badgeShowDate: false,
      variantCaps: { "gid://shopify/ProductVariant/11": 5 },
    };

    const response = await call(action, await adminRequest("/app/settings", { shop: SHOP, json: settings }));

    expect(response).toMatchObject({ status: 200, body: { ok: true, settings } });
    expect(await getSettings(db, SHOP)).toEqual(settings);
    expect(await storefrontMetafields(SHOP)).toEqual([
      { key: "badge_enabled", type: "boolean", value: "true" },
      { key: "show_date", type: "boolean", value: "false" },
    ]);
    expect(await storefrontMetafields(OTHER)).toEqual([]);
    expect(await getSettings(db, OTHER)).toEqual(DEFAULT_SETTINGS);
  });

  it("GIVEN invalid settings THEN Shopify is not written either", async () => {
    await call(
      action,
      await adminRequest("/app/settings", { shop: SHOP, json: { ...DEFAULT_SETTINGS, leadDays: 45 } }),
    );
    expect(await storefrontMetafields(SHOP)).toEqual([]);
  });

  it("GIVEN a badge text THEN badge_text is written; cleared THEN it is deleted and the badge turned off is kept", async () => {
    await call(
      action,
      await adminRequest("/app/settings", { shop: SHOP, json: { ...DEFAULT_SETTINGS, badgeText: "Made to order" } }),
    );
    expect(await storefrontMetafields(SHOP)).toEqual([
      { key: "badge_enabled", type: "boolean", value: "true" },
      { key: "show_date", type: "boolean", value: "true" },
      { key: "badge_text", type: "single_line_text_field", value: "Made to order" },
    ]);

    await call(
      action,
      await adminRequest("/app/settings", { shop: SHOP, json: { ...DEFAULT_SETTINGS, badgeEnabled: false } }),
    );
    expect(await storefrontMetafields(SHOP)).toEqual([
      { key: "badge_enabled", type: "boolean", value: "false" },
      { key: "show_date", type: "boolean", value: "true" },
    ]);
  });
});

describe("settings without holes", () => {
  const CASES: [name: string, input: object, fieldErrors: Record<string, string>][] = [
    [
      "unknown keys",
      { ...DEFAULT_SETTINGS, allocationPolcy: "fifo", extra: 1 },
      { form: "Unknown settings: allocationPolcy, extra" },
    ],
    [
      "a backorder cap of 10^12",
      { ...DEFAULT_SETTINGS, backorderCap: 1e12 },
      { backorderCap: "At most 1000000 units" },
    ],
    [
      "a variant cap of 10^9",
      { ...DEFAULT_SETTINGS, variantCaps: { "gid://shopify/ProductVariant/1": 1e9 } },
      { "variantCaps.gid://shopify/ProductVariant/1": "At most 1000000 units" },
    ],
    [
      "a reminder 20 days before a promised date 5 days out",
      { ...DEFAULT_SETTINGS, leadDays: 5, reminderDays: 20 },
      { reminderDays: "The reminder must come before the promised date: fewer than 5 days" },
    ],
  ];

  it.each(CASES)(
    "GIVEN %s THEN 422 naming them, and nothing is saved or written to Shopify",
    async (_, input, fieldErrors) => {
      const response = await call(action, await adminRequest("/app/settings", { shop: SHOP, json: input }));

      expect(response).toMatchObject({ status: 422, body: { ok: false, fieldErrors } });
      expect(await db.shopSettings.count({ where: { shop: SHOP } })).toBe(0);
      expect(await storefrontMetafields(SHOP)).toEqual([]);
    },
  );
});

describe("use this policy (what-if)", () => {
  it("GIVEN saved settings WHEN another policy is applied THEN only the policy changes, through the same save", async () => {
    const before = { ...DEFAULT_SETTINGS, leadDays: 10, badgeShowDate: false };
    await call(action, await adminRequest("/app/settings", { shop: SHOP, json: before }));

    const response = await call(
      whatIfAction,
      await adminRequest("/app/what-if", { shop: SHOP, form: { policy: "fair_share" } }),
    );

    expect(response).toMatchObject({ status: 200, body: { ok: true } });
    expect(await getSettings(db, SHOP)).toEqual({ ...before, allocationPolicy: "fair_share" });
    expect(await getSettings(db, OTHER)).toEqual(DEFAULT_SETTINGS);
  });
});
