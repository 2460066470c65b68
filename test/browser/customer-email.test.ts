import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { syncClock } from "~/clock.server";
import db from "~/db.server";
import { env } from "~/env.server";
import { saveShopSmtp } from "~/services/admin/mail-settings.server";
import { formatDay } from "~/services/customer-page/locales";

import { startPipeline, type Pipeline } from "../pipeline/harness";
import { orderOnShopify, shopState } from "../pipeline/story";
import { startSmtp, type TestSmtp } from "../support/smtp";
import { TEST_SECRET } from "../support/webhooks";
import { launchChromium, seriousViolations } from "./support";

// From the customer's inbox to their choice: the confirmation a real SMTP server received, its HTML checked with
// axe-core, its button followed in Chromium without JavaScript through Local Shopify's storefront, and Wait chosen;
// then, weeks later on Local Shopify's clock (which the app's follows), the renewed notice's link and Cancel.
const SHOP = "email-browser.myshopify.com";
const DAY = 86_400_000;
let pipeline: Pipeline;
let smtp: TestSmtp;
let browser: Browser;
let page: Page;
let order: { id: number; gid: string; name: string };

beforeAll(async () => {
  smtp = await startSmtp();
  pipeline = await startPipeline();
  env.SHOPIFY_ADMIN_API_ORIGIN = pipeline.shopify.origin;
  env.LOCAL_CLOCK_URL = `${pipeline.shopify.origin}/_local/clock`;
  // The notices fall due on calendar days (two days before the end of the promised day): order at 18:00 UTC so
  // that the half-day offsets of the sweeps below land on the days they name, whatever time the tests run.
  await pipeline.advanceToHour(18);
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
  env.LOCAL_CLOCK_URL = undefined;
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

describe("a later slip, answered with Cancel from the renewed notice's link", () => {
  let orderedAt = 0;
  let lineItemGid = "";
  let replyBy = new Date(0);
  const dayOf = (days: number) => new Date(orderedAt + days * DAY);
  const viaStorefront = (href: string) =>
    href.replace(`https://${SHOP}`, `${pipeline.shopify.origin}/storefront/${SHOP}`);

  async function sweepAt(days: number) {
    await pipeline.shopify.control.advanceClock(Math.max(0, dayOf(days).getTime() - pipeline.now().getTime()));
    await syncClock();
    await pipeline.enqueue(SHOP, "deadline_sweep", {});
    await pipeline.drain();
  }

  async function linkIn(html: string) {
    const reader = await browser.newPage();
    await reader.setContent(html, { waitUntil: "load" });
    const href = await reader.getByRole("link", { name: "Bestellung ansehen" }).getAttribute("href");
    await reader.close();
    return href!;
  }

  async function onShopify() {
    const log = await pipeline.shopify.control.adminLog({ shop: SHOP });
    const calls = (field: string) => log.filter((e) => e.status === 200 && Object.values(e.fields).includes(field));
    const state = (await shopState(pipeline, SHOP)) as {
      orders: { id: number; lineItems: { quantity: number; currentQuantity: number }[] }[];
      refunds: { orderId: number }[];
      transactions: { orderId: number; kind: string; amountCents: number }[];
    };
    return {
      // The app's order edit is the refund's CANCEL restock (decision 0013): no orderEdit* session of its own.
      orderEdits: calls("orderEditCommit").length,
      removals: calls("refundCreate").map(
        (e) => (e.variables as { input: { refundLineItems: unknown[] } }).input.refundLineItems,
      ),
      fulfillment: await orderOnShopify(pipeline, SHOP, order),
      lines: state.orders
        .find((o) => o.id === order.id)!
        .lineItems.map(({ quantity, currentQuantity }) => ({ quantity, currentQuantity })),
      refunds: state.refunds.filter((r) => r.orderId === order.id).length,
      refunded: state.transactions
        .filter((t) => t.orderId === order.id && t.kind === "REFUND")
        .map((t) => t.amountCents),
    };
  }

  it("two days before the promised date the delay notice says silence counts; two days before that date, the renewed notice needs a yes", async () => {
    const line = await db.backorderLine.findFirstOrThrow({ where: { shop: SHOP } });
    orderedAt = line.orderedAt.getTime();
    lineItemGid = line.lineItemId;
    await sweepAt(12.5);
    const first = smtp.to("erin@example.com")[1]!;
    expect(first.subject).toContain("verzögert sich");
    expect(first.text).toContain("Wenn wir nichts von Ihnen hören, gehen wir davon aus");
    await sweepAt(26.5);
    const mails = smtp.to("erin@example.com");
    expect(mails).toHaveLength(3);
    expect(mails[2]!.subject).toContain("verzögert sich erneut, bitte antworten Sie");
    const notices = await db.delayNotice.findMany({ where: { shop: SHOP }, orderBy: { sentAt: "asc" } });
    expect(notices.map((n) => [n.kind, n.silenceIsConsent, n.replyBy !== null])).toEqual([
      ["first", true, false],
      ["renewed", false, true],
    ]);
    // Sent after the date already agreed was two days off, so the customer still gets two days to answer.
    const [firstNotice, renewed] = notices;
    expect(renewed!.fromAt).toEqual(firstNotice!.revisedAt);
    expect(renewed!.replyBy!.getTime()).toBe(renewed!.sentAt.getTime() + 2 * DAY);
    replyBy = renewed!.replyBy!;
    expect(mails[2]!.text).toContain(`Ohne Ihre Antwort bis zum ${formatDay("de", replyBy)}`);
  });

  it("the renewed notice's link shows the reply-by date; Cancel reviews the refund, then edits and refunds once, and a replay changes nothing", async () => {
    const href = await linkIn(String(smtp.to("erin@example.com")[2]!.html));
    expect(await page.goto(viaStorefront(href)).then((r) => r?.status())).toBe(200);
    expect(await page.getByText(`Please tell us by ${formatDay("en", replyBy)} whether you can wait`).count()).toBe(1);

    await page.getByRole("link", { name: "Review the cancellation" }).click();
    await page.waitForLoadState();
    expect(await page.getByText("You will be refunded $240.00, shipping included.").count()).toBe(1);
    const form = /<form method="post" action="([^"]*\/cancel[^"]*)">(.*?)<\/form>/s.exec(await page.content())!;
    const fields = Object.fromEntries(
      [...form[2]!.matchAll(/name="(\w+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]),
    );
    expect(Object.keys(fields)).toContain("token");
    expect(await onShopify()).toMatchObject({ removals: [], refunds: 0, lines: [{ quantity: 2, currentQuantity: 2 }] });

    await page.getByRole("button", { name: "Cancel and refund" }).click();
    await page.waitForLoadState();
    expect(await page.getByRole("status").textContent()).toContain("Your cancellation is on its way");
    await pipeline.drain();
    const after = await onShopify();
    expect(after).toEqual({
      orderEdits: 0,
      removals: [[{ lineItemId: lineItemGid, quantity: 2, restockType: "CANCEL" }]],
      fulfillment: { name: order.name, released: 0, held: 0, holds: 0 },
      lines: [{ quantity: 2, currentQuantity: 0 }],
      refunds: 1,
      refunded: [24000],
    });

    const replay = await fetch(new URL(form[1]!.replace(/&amp;/g, "&"), pipeline.shopify.origin), {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
    expect(replay.status).toBe(403);
    expect(await replay.text()).toContain("This form can no longer be used");
    await sweepAt(31);
    expect(await onShopify()).toEqual(after);
    const lost = await db.lostSale.findMany({ where: { shop: SHOP } });
    expect(lost.map((sale) => [sale.quantity, sale.reason])).toEqual([[2, "customer_cancelled"]]);
    expect(smtp.to("erin@example.com").at(-1)!.subject).toContain("storniert und erstattet");
  });
});
