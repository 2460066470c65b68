import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import db from "~/db.server";
import { env } from "~/env.server";
import { saveShopSmtp } from "~/services/admin/mail-settings.server";

import { startPipeline, type Pipeline } from "../pipeline/harness";
import { startSmtp, type TestSmtp } from "../support/smtp";
import { TEST_SECRET } from "../support/webhooks";
import { launchChromium, seriousViolations } from "./support";

// From the customer's inbox to their choice: the confirmation a real SMTP server received, its HTML checked with
// axe-core, its button followed in Chromium without JavaScript through Local Shopify's storefront, and Wait chosen.
const SHOP = "email-browser.myshopify.com";
let pipeline: Pipeline;
let smtp: TestSmtp;
let browser: Browser;
let page: Page;
let order: { id: number; gid: string; name: string };

beforeAll(async () => {
  smtp = await startSmtp();
  pipeline = await startPipeline();
  env.SHOPIFY_ADMIN_API_ORIGIN = pipeline.shopify.origin;
  const { locationId } = await pipeline.install(SHOP, { emailEnabled: true });
  const mail = { host: "127.0.0.1", port: smtp.port, secure: false, username: smtp.user, password: smtp.password };
  await saveShopSmtp({ db, secret: TEST_SECRET }, SHOP, { ...mail, fromAddress: "shop@example.com" });
  const product = await pipeline.shopify.control.createProduct(SHOP, {
    title: "Walnut shelf",
    variants: [
      { sku: "SHELF", price: "120.00", inventoryPolicy: "CONTINUE", tracked: true, available: { [locationId]: 0 } },
    ],
  });
  order = await pipeline.shopify.control.placeOrder(SHOP, {
    customer: { email: "erin@example.com" },
    lines: [{ variantId: product.variants[0]!.id, quantity: 2 }],
    locale: "de-DE",
  });
  await pipeline.drain();
  browser = await launchChromium();
  page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await pipeline.stop();
  await smtp.stop();
});

describe("the confirmation e-mail in Chromium", () => {
  it("its HTML is axe clean, and its button opens the order's page, where Wait is recorded as the customer's", async () => {
    const [mail] = smtp.to("erin@example.com");
    const checker = await browser.newPage();
    await checker.setContent(String(mail!.html), { waitUntil: "load" });
    expect(await seriousViolations(checker)).toEqual([]);
    const href = await checker.getByRole("link", { name: "Bestellung ansehen" }).getAttribute("href");
    expect(href).toMatch(
      new RegExp(`^https://${SHOP.replace(/\./g, "\\.")}/apps/backorders/orders/${order.id}\\?link=`),
    );

    const response = await page.goto(href!.replace(`https://${SHOP}`, `${pipeline.shopify.origin}/storefront/${SHOP}`));
    expect(response?.status()).toBe(200);
    expect(await page.getByRole("rowheader", { name: "Walnut shelf" }).count()).toBe(1);
    await page.getByRole("button", { name: /I will wait until/ }).click();
    await page.waitForLoadState();
    expect(await page.getByRole("status").textContent()).toContain("we recorded that you will wait until");
    const consent = await db.timelineEvent.findMany({ where: { shop: SHOP, kind: "consent" } });
    expect(consent.map((event) => JSON.parse(event.detail).source)).toEqual(["customer"]);
  });
});
