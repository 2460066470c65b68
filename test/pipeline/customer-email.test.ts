import type { ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import db from "~/db.server";
import { env } from "~/env.server";
import { queueCustomerMessages } from "~/models/customer-messages.server";
import { saveShopSmtp } from "~/services/admin/mail-settings.server";
import { formatDay, type Locale } from "~/services/customer-page/locales";

import { startSmtp, type TestSmtp } from "../support/smtp";
import { TEST_SECRET } from "../support/webhooks";
import { startPipeline, type Pipeline } from "./harness";

// The customer's e-mails end to end: Local Shopify's checkout and stock, the app's jobs, and a real SMTP server
// in this process that takes what the app sends over the wire. The link in a message is followed through
// Local Shopify's storefront, whose app proxy signs the request as Shopify does.
const SHOP = "emails.myshopify.com";
const SHOP_NAME = "emails";
const DAY = 86_400_000;
let pipeline: Pipeline;
let smtp: TestSmtp;
let stoolVariant: number;
let locationId: number;
let token: string;

const messagesOf = (orderId: string) =>
  db.customerMessage.findMany({ where: { shop: SHOP, orderId }, orderBy: { createdAt: "asc" } });

async function order(
  email: string,
  quantity: number,
  extra: { locale?: string; marketingState?: "UNSUBSCRIBED"; variantId?: number } = {},
) {
  const placed = await pipeline.shopify.control.placeOrder(SHOP, {
    customer: { email, firstName: "Pat", ...(extra.marketingState ? { marketingState: extra.marketingState } : {}) },
    lines: [{ variantId: extra.variantId ?? stoolVariant, quantity }],
    ...(extra.locale ? { locale: extra.locale } : {}),
  });
  await pipeline.drain();
  return placed;
}

/** The signed link in a message's text, as the customer's browser reaches it through the storefront. */
function linkIn(mail: ParsedMail): string {
  const url = /https:\/\/emails\.myshopify\.com(\/apps\/backorders\/orders\/\d+\?link=[\w.-]+)/.exec(mail.text ?? "");
  if (!url) throw new Error(`no customer link in:\n${mail.text}`);
  return `${pipeline.shopify.origin}/storefront/${SHOP}${url[1]}`;
}

beforeAll(async () => {
  smtp = await startSmtp();
  pipeline = await startPipeline();
  env.SHOPIFY_ADMIN_API_ORIGIN = pipeline.shopify.origin;
  ({ locationId, token } = await pipeline.install(SHOP, { emailEnabled: true, partialShipment: "ship_available" }));
  const saved = await saveShopSmtp({ db, secret: TEST_SECRET }, SHOP, {
    host: "127.0.0.1",
    port: smtp.port,
    secure: false,
    username: smtp.user,
    password: smtp.password,
    fromAddress: "Emails shop <orders@emails.example>",
  });
  expect(saved).toEqual({ ok: true });
  const product = await pipeline.shopify.control.createProduct(SHOP, {
    title: "Oak stool",
    variants: [
      { sku: "STOOL", price: "80.00", inventoryPolicy: "CONTINUE", tracked: true, available: { [locationId]: 0 } },
    ],
  });
  stoolVariant = product.variants[0]!.id;
});

afterAll(async () => {
  await pipeline.stop();
  await smtp.stop();
});

// What each locale's confirmation must say, written out here rather than read from the app's tables.
const CONFIRMATION: Record<Locale, { subject: (order: string) => string; date: string; button: string }> = {
  en: {
    subject: (o) => `${SHOP_NAME}: items of your order ${o} are on backorder`,
    date: "We expect to ship them by",
    button: "See your order",
  },
  de: {
    subject: (o) => `${SHOP_NAME}: Artikel Ihrer Bestellung ${o} werden nachgeliefert`,
    date: "Wir rechnen mit dem Versand bis zum",
    button: "Bestellung ansehen",
  },
  es: {
    subject: (o) => `${SHOP_NAME}: artículos de tu pedido ${o} están pendientes de stock`,
    date: "Esperamos enviarlos antes del",
    button: "Ver tu pedido",
  },
  fr: {
    subject: (o) => `${SHOP_NAME} : des articles de votre commande ${o} sont en réapprovisionnement`,
    date: "Nous prévoyons de les expédier d’ici le",
    button: "Voir votre commande",
  },
};

describe("the backorder confirmation", () => {
  it.each([
    ["en", "en"],
    ["de", "de-DE"],
    ["es", "es-MX"],
    ["fr", "fr-CA"],
  ] as const)(
    "reaches the customer in the checkout's language (%s), with the shop's name and a link that opens the order",
    async (locale, customerLocale) => {
      const email = `pat-${locale}@example.com`;
      const placed = await order(email, 2, { locale: customerLocale });
      const [mail, ...more] = smtp.to(email);
      expect(more).toEqual([]);
      const expected = CONFIRMATION[locale];
      expect(mail!.subject).toBe(expected.subject(placed.name));
      expect(mail!.from?.text).toBe('"Emails shop" <orders@emails.example>');
      expect(mail!.headers.get("content-language")).toBe(locale);
      const [line] = await db.backorderLine.findMany({ where: { shop: SHOP, orderId: placed.gid } });
      const promised = formatDay(locale, line!.promisedAt!);
      expect(mail!.text).toContain(`${expected.date} ${promised}`);
      expect(mail!.text).toContain("2 × Oak stool");
      expect(mail!.html).toContain(`<html lang="${locale}">`);
      expect(mail!.html).toContain(expected.button);
      expect(mail!.html).toContain("2 × Oak stool");

      const page = await fetch(linkIn(mail!), { redirect: "manual" });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain(placed.name);
      expect(html).toContain("Oak stool");
      const [row] = await messagesOf(placed.gid);
      expect(row).toMatchObject({ kind: "confirmation", status: "sent", attempts: 1, recipient: email, locale });
    },
  );

  it("goes to a customer who unsubscribed from marketing: it is about their order", async () => {
    const placed = await order("no-news@example.com", 1, { marketingState: "UNSUBSCRIBED" });
    const answer = await fetch(`${pipeline.shopify.origin}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
      body: JSON.stringify({
        query: `{ order(id: "${placed.gid}") { customer { defaultEmailAddress { marketingState } } } }`,
      }),
    });
    const read = (await answer.json()) as {
      data: { order: { customer: { defaultEmailAddress: { marketingState: string } } } };
    };
    expect(read.data.order.customer.defaultEmailAddress.marketingState).toBe("UNSUBSCRIBED");
    expect(smtp.to("no-news@example.com").map((mail) => mail.subject)).toEqual([CONFIRMATION.en.subject(placed.name)]);
  });
});

describe("once each, retried when SMTP fails", () => {
  it("a job run again, a message queued again, a crash before the send was recorded: each sends nothing twice", async () => {
    const placed = await order("once@example.com", 1);
    const [row] = await messagesOf(placed.gid);
    expect(row!.status).toBe("sent");
    // The job runs again (a lease that ran out, a retry after a later step failed).
    await db.job.updateMany({
      where: { shop: SHOP, dedupeKey: `customer_message:${row!.key}` },
      data: { status: "queued" },
    });
    // And the decision is recorded again (a retried detection).
    await queueCustomerMessages(db, SHOP, [{ key: row!.key, orderId: placed.gid, kind: "confirmation", facts: {} }]);
    await pipeline.drain();
    expect(smtp.to("once@example.com")).toHaveLength(1);
    expect(await messagesOf(placed.gid)).toMatchObject([{ status: "sent", attempts: 1 }]);
  });

  it("a temporary SMTP failure is retried with backoff until the server takes the message", async () => {
    smtp.failNext(2);
    const placed = await order("busy@example.com", 1);
    expect(smtp.to("busy@example.com")).toHaveLength(1);
    const [row] = await messagesOf(placed.gid);
    expect(row).toMatchObject({ status: "sent", attempts: 3 });
    const job = await db.job.findFirst({ where: { shop: SHOP, dedupeKey: `customer_message:${row!.key}` } });
    expect(job).toMatchObject({ status: "succeeded", attempts: 3 });
  });

  it("a send cut short after the server had it goes again with the same Message-ID", async () => {
    const placed = await order("cut@example.com", 1);
    const [row] = await messagesOf(placed.gid);
    // As a process that died after the server's 250 and before it recorded `sent` leaves the row.
    await db.customerMessage.update({ where: { id: row!.id }, data: { status: "sending" } });
    await db.job.updateMany({
      where: { shop: SHOP, dedupeKey: `customer_message:${row!.key}` },
      data: { status: "queued" },
    });
    await pipeline.drain();
    const mails = smtp.to("cut@example.com");
    expect(mails).toHaveLength(2);
    expect(mails[1]!.messageId).toBe(mails[0]!.messageId);
  });
});

describe("the rest of the story", () => {
  it("part shipped with the rest by its date, the delay notice with the choice, then cancelled and refunded", async () => {
    const email = "story@example.com";
    // A product of its own: the stool's earlier orders would take the restocked unit first.
    const shelf = await pipeline.shopify.control.createProduct(SHOP, {
      title: "Oak shelf",
      variants: [
        { sku: "SHELF", price: "80.00", inventoryPolicy: "CONTINUE", tracked: true, available: { [locationId]: 0 } },
      ],
    });
    const placed = await order(email, 3, { variantId: shelf.variants[0]!.id });
    await pipeline.shopify.control.adjustInventory(SHOP, {
      inventoryItemId: shelf.variants[0]!.inventoryItemId,
      locationId,
      delta: 1,
    });
    await pipeline.drain();
    const [, shipped] = smtp.to(email);
    expect(shipped!.subject).toBe(`${SHOP_NAME}: part of your order ${placed.name} has shipped`);
    expect(shipped!.text).toContain("- 2 × Oak shelf");
    const [line] = await db.backorderLine.findMany({ where: { shop: SHOP, orderId: placed.gid } });
    expect(shipped!.text).toContain(`We expect to ship them by ${formatDay("en", line!.promisedAt!)}.`);

    // The promised date passes without stock: the sweep's delay notice.
    await pipeline.shopify.control.advanceClock(line!.promisedAt!.getTime() - pipeline.now().getTime() + DAY);
    await pipeline.enqueue(SHOP, "deadline_sweep");
    await pipeline.drain();
    const delay = smtp.to(email)[2]!;
    expect(delay.subject).toBe(`${SHOP_NAME}: your order ${placed.name} is delayed`);
    expect(delay.text).toContain(`will not ship by ${formatDay("en", line!.promisedAt!)} as we said`);
    expect(delay.text).toContain("cancel them for a prompt refund");
    const [noticed] = await db.backorderLine.findMany({ where: { shop: SHOP, orderId: placed.gid } });
    expect(delay.text).toContain(
      `If we do not hear from you, we take it that you agree to wait until ${formatDay("en", noticed!.promisedAt!)}.`,
    );
    expect(delay.text).toContain(
      linkIn(delay).replace(`${pipeline.shopify.origin}/storefront/${SHOP}`, `https://${SHOP}`),
    );

    // The deadline passes: the units still waiting are cancelled and refunded.
    await pipeline.shopify.control.advanceClock(noticed!.deadlineAt!.getTime() - pipeline.now().getTime() + DAY);
    await pipeline.enqueue(SHOP, "deadline_sweep");
    await pipeline.drain();
    const cancelled = smtp.to(email)[3]!;
    expect(cancelled.subject).toBe(`${SHOP_NAME}: items of your order ${placed.name} were cancelled and refunded`);
    expect(cancelled.text).toContain("- 2 × Oak shelf");
    expect(cancelled.text).toContain("They did not arrive in stock in time.");
    expect(cancelled.text).toContain("We refunded $160.00.");
    expect(smtp.to(email)).toHaveLength(4);
    expect((await messagesOf(placed.gid)).map((m) => [m.kind, m.status])).toEqual([
      ["confirmation", "sent"],
      ["part_shipped", "sent"],
      ["delay_notice", "sent"],
      ["cancelled", "sent"],
    ]);
  });

  it("a shop that chose Flow only sends no e-mail", async () => {
    await db.shopSettings.update({ where: { shop: SHOP }, data: { emailEnabled: false } });
    await order("flow-only@example.com", 1);
    expect(smtp.to("flow-only@example.com")).toEqual([]);
    await db.shopSettings.update({ where: { shop: SHOP }, data: { emailEnabled: true } });
  });

  it("what cannot be sent is recorded as skipped with the reason: no address the app may read, no SMTP server", async () => {
    await pipeline.shopify.control.setProtectedCustomerData(SHOP, 1);
    const hidden = await order("hidden@example.com", 1);
    await pipeline.shopify.control.setProtectedCustomerData(SHOP, 2);
    const saved = await db.mailSettings.findUniqueOrThrow({ where: { shop: SHOP } });
    await db.mailSettings.delete({ where: { shop: SHOP } });
    const nowhere = await order("nowhere@example.com", 1);
    await db.mailSettings.create({ data: saved });
    expect(smtp.to("hidden@example.com")).toEqual([]);
    expect(smtp.to("nowhere@example.com")).toEqual([]);
    expect((await messagesOf(hidden.gid)).map((m) => [m.status, m.error, m.recipient])).toEqual([
      ["skipped", "the order has no e-mail address (or the app may not read it)", null],
    ]);
    expect((await messagesOf(nowhere.gid)).map((m) => [m.status, m.error])).toEqual([
      ["skipped", "no SMTP server: set one in Settings or SMTP_URL"],
    ]);
  });
});
