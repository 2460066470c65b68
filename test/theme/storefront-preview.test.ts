import path from "node:path";

import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import db from "~/db.server";
import { DEFAULT_SETTINGS } from "~/models/settings.server";
import { saveShopSettings } from "~/services/settings.server";
import { createAdminGateway } from "~/shopify/gateway.server";

import { ARTIFACTS, launchChromium } from "../browser/support";
import { startPipeline, type Pipeline } from "../pipeline/harness";

/**
 * Local Shopify's storefront preview in Chromium: the app's real pipeline writes the variants' expected dates
 * and its settings page's service the shop's badge settings, into Local Shopify; the preview renders the theme
 * app extension's Liquid from that state. Expected texts are built from Local Shopify's metafields.
 */
const SHOP = "preview-shop.myshopify.com";

let pipeline: Pipeline;
let browser: Browser;
let page: Page;
let token: string;
let base: string;
const ids: Record<"size42" | "size43" | "mug" | "bottle", number> = { size42: 0, size43: 0, mug: 0, bottle: 0 };

async function saveBadge(badgeEnabled: boolean) {
  const admin = createAdminGateway({ shop: SHOP, accessToken: token, origin: pipeline.shopify.origin });
  const saved = await saveShopSettings({ db, admin }, SHOP, { ...DEFAULT_SETTINGS, badgeEnabled });
  expect(saved.ok).toBe(true);
}

/** The variant's `$app.expected_date` in Local Shopify, as the extension's `date` format writes it in English. */
async function shipsBy(variantId: number): Promise<string> {
  const state = await pipeline.shopify.control.state();
  const shop = state.shops.find((s) => s.domain === SHOP) as { metafields: Record<string, string>[] };
  const field = shop.metafields.find(
    (m) => m.ownerId === `gid://shopify/ProductVariant/${variantId}` && m.key === "expected_date",
  );
  if (!field) throw new Error(`variant ${variantId} has no expected_date in Local Shopify`);
  const date = new Date(`${field.value}T00:00:00Z`);
  return date.toLocaleDateString("en-US", { timeZone: "UTC", month: "long", day: "2-digit", year: "numeric" });
}

beforeAll(async () => {
  browser = await launchChromium();
  pipeline = await startPipeline();
  const installed = await pipeline.install(SHOP);
  token = installed.token;
  const stock = (units: number) => ({ [String(installed.locationId)]: units });
  const { control } = pipeline.shopify;
  const runner = await control.createProduct(SHOP, {
    title: "Trail runner",
    variants: [
      { title: "42", sku: "RUN-42", price: "120.00", inventoryPolicy: "CONTINUE", available: stock(2) },
      { title: "43", sku: "RUN-43", price: "120.00", inventoryPolicy: "CONTINUE", available: stock(10) },
    ],
  });
  const mug = await control.createProduct(SHOP, {
    title: "Camp mug",
    variants: [{ sku: "MUG", price: "18.00", inventoryPolicy: "CONTINUE", available: stock(0) }],
  });
  const bottle = await control.createProduct(SHOP, {
    title: "Water bottle",
    variants: [{ sku: "BOTTLE", price: "25.00", inventoryPolicy: "DENY", available: stock(5) }],
  });
  ids.size42 = runner.variants[0]!.id;
  ids.size43 = runner.variants[1]!.id;
  ids.mug = mug.variants[0]!.id;
  ids.bottle = bottle.variants[0]!.id;
  await saveBadge(true);
  // Customers buy what is not in stock: the pipeline holds it and writes the variants' expected dates.
  await control.placeOrder(SHOP, {
    customer: { email: "a@example.com" },
    lines: [{ variantId: ids.size42, quantity: 3 }],
  });
  await control.placeOrder(SHOP, {
    customer: { email: "b@example.com" },
    lines: [{ variantId: ids.mug, quantity: 1 }],
  });
  await pipeline.drain();
  base = `${pipeline.shopify.origin}/storefront/${SHOP}`;
  page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await pipeline?.stop();
});

const liveBadge = () => page.locator("[data-bk-live]");
const screenshot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

describe("the storefront preview renders the extension from Local Shopify's state", () => {
  it("GIVEN a backordered variant THEN its product page shows the badge with the app's date; one in stock shows none", async () => {
    await page.goto(`${base}/products/trail-runner?variant=${ids.size42}`);
    expect(await liveBadge().innerText()).toBe(`Backordered — ships by ${await shipsBy(ids.size42)}`);
    await screenshot("storefront-preview-product");
    await page.getByLabel("Variant").selectOption(String(ids.size43));
    await expect.poll(() => liveBadge().innerText()).toBe("");
    expect(new URL(page.url()).searchParams.get("variant")).toBe(String(ids.size43));
  });

  it("GIVEN the collection THEN only the product with no variant shipping now is labelled", async () => {
    await page.goto(`${base}/collections/all`);
    const card = (name: string) => page.locator("li", { has: page.getByRole("link", { name, exact: true }) });
    await expect.poll(() => card("Camp mug").locator(".bk-card-mark").innerText()).toBe("Ships later");
    expect(await card("Trail runner").locator(".bk-card-mark").count()).toBe(0);
    expect(await card("Water bottle").locator(".bk-card-mark").count()).toBe(0);
    await screenshot("storefront-preview-collection");
  });

  it("GIVEN a cart filled through the product form THEN the backordered line carries the disclosure", async () => {
    await page.goto(`${base}/products/trail-runner?variant=${ids.size42}`);
    await page.getByLabel("Quantity").fill("2");
    await page.getByRole("button", { name: "Add to cart" }).click();
    await page.goto(`${base}/products/trail-runner?variant=${ids.size43}`);
    await page.getByRole("button", { name: "Add to cart" }).click();
    await page.waitForURL(`${base}/cart`);
    const note = (name: string) =>
      page.locator("tr", { has: page.getByRole("link", { name }) }).locator(".bk-cart-note");
    expect(await note("Trail runner - 42").innerText()).toBe(
      `2 of 2 ship later — expected by ${await shipsBy(ids.size42)}`,
    );
    expect(await note("Trail runner - 43").count()).toBe(0);
    await screenshot("storefront-preview-cart");

    // The same cart by permalink, with the mug: one line each, each note from its own variant's date.
    await page.goto(`${base}/cart/${ids.mug}:1,${ids.bottle}:2`);
    expect(await note("Camp mug").innerText()).toBe(`1 of 1 ships later — expected by ${await shipsBy(ids.mug)}`);
    expect(await note("Water bottle").count()).toBe(0);
  });

  it("GIVEN the merchant turns the badge off in the app THEN the storefront shows nothing", async () => {
    await saveBadge(false);
    await page.goto(`${base}/products/trail-runner?variant=${ids.size42}`);
    expect(await page.locator("[data-bk-badge]").count()).toBe(0);
    await page.goto(`${base}/cart/${ids.size42}:2`);
    expect(await page.locator(".bk-cart-note").count()).toBe(0);
    await saveBadge(true);
  });

  it("GIVEN an unknown shop, product or variant THEN 404", async () => {
    const statuses = await Promise.all(
      [
        `${pipeline.shopify.origin}/storefront/nope.myshopify.com/collections/all`,
        `${base}/products/nope`,
        `${base}/cart/999999:1`,
      ].map(async (url) => (await fetch(url)).status),
    );
    expect(statuses).toEqual([404, 404, 404]);
  });
});
