import path from "node:path";

import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import db from "~/db.server";
import { env } from "~/env.server";
import { issueCustomerLink } from "~/services/customer-page/links.server";

import { startPipeline, type Pipeline } from "../pipeline/harness";
import { TEST_SECRET } from "../support/webhooks";
import { ARTIFACTS, launchChromium, seriousViolations } from "./support";

// The customer's page in Debian's Chromium with JavaScript off: opened from a signed link on Local Shopify's
// storefront (its app proxy signs the requests and renders the app's Liquid in the theme), its forms posted as a
// browser posts them, every page checked with axe-core.
const SHOP = "customer-browser.myshopify.com";
let pipeline: Pipeline;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** A page with JavaScript, where axe-core runs on the very markup the page without JavaScript shows. */
let checker: Page;
let order: { id: number; gid: string; name: string };
let link = "";

beforeAll(async () => {
  pipeline = await startPipeline();
  env.SHOPIFY_ADMIN_API_ORIGIN = pipeline.shopify.origin;
  const { locationId } = await pipeline.install(SHOP);
  const product = await pipeline.shopify.control.createProduct(SHOP, {
    title: "Walnut shelf",
    variants: [
      { sku: "SHELF", price: "120.00", inventoryPolicy: "CONTINUE", tracked: true, available: { [locationId]: 0 } },
    ],
  });
  order = await pipeline.shopify.control.placeOrder(SHOP, {
    customer: { email: "dana@example.com" },
    lines: [{ variantId: product.variants[0]!.id, quantity: 2 }],
  });
  await pipeline.drain();
  link = (await issueCustomerLink(db, TEST_SECRET, SHOP, order.gid, new Date(Date.now() + 30 * 86_400_000))).path;
  browser = await launchChromium();
  context = await browser.newContext({ javaScriptEnabled: false });
  page = await context.newPage();
  checker = await browser.newPage();
}, 60_000);

async function axe() {
  const html = (await page.content()).replace("<head>", `<head><base href="${page.url()}">`);
  await checker.setContent(html, { waitUntil: "load" });
  return seriousViolations(checker);
}

afterAll(async () => {
  await browser?.close();
  await pipeline.stop();
});

const open = async (pathname: string) => {
  const response = await page.goto(`${pipeline.shopify.origin}/storefront/${SHOP}${pathname}`);
  return response?.status();
};

describe("the customer's page in Chromium, without JavaScript", () => {
  it("shows the order's lines from the link, axe clean, in English and in German", async () => {
    expect(await open(link)).toBe(200);
    expect(await page.locator("h1").last().textContent()).toBe(`Order ${order.name}`);
    expect(await page.getByRole("rowheader", { name: "Walnut shelf" }).count()).toBe(1);
    expect(await axe()).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, "customer-page.png"), fullPage: true });
    expect(await open(`/de${link}`)).toBe(200);
    expect(await page.locator("h1").last().textContent()).toBe(`Bestellung ${order.name}`);
    expect(await axe()).toEqual([]);
  });

  it("Wait posts the form and the page says what was recorded", async () => {
    await open(link);
    await page.getByRole("button", { name: /I will wait until/ }).click();
    await page.waitForLoadState();
    expect(await page.getByRole("status").textContent()).toContain("we recorded that you will wait until");
    expect(await axe()).toEqual([]);
    const consent = await db.timelineEvent.findMany({ where: { shop: SHOP, kind: "consent" } });
    expect(consent.map((event) => JSON.parse(event.detail).source)).toEqual(["customer"]);
  });

  it("Cancel shows the refund, then cancels and refunds once", async () => {
    await open(link);
    await page.getByRole("link", { name: "Review the cancellation" }).click();
    await page.waitForLoadState();
    expect(await page.getByText("You will be refunded $240.00, shipping included.").count()).toBe(1);
    expect(await axe()).toEqual([]);
    await page.getByRole("button", { name: "Cancel and refund" }).click();
    await page.waitForLoadState();
    expect(await page.getByRole("status").textContent()).toContain("Your cancellation is on its way");
    await pipeline.drain();
    const refunds = pipeline.calls.filter((call) => call.shop === SHOP && call.operation === "BackorderRefund");
    expect(refunds).toHaveLength(1);
    await open(link);
    expect(await page.getByRole("status").textContent()).toContain("cancelled at your request and refunded");
    expect(await page.getByRole("link", { name: "Review the cancellation" }).count()).toBe(0);
    expect(await axe()).toEqual([]);
  });
});
