import { afterAll, beforeAll, describe, expect, it } from "vitest";

import db from "~/db.server";
import { env } from "~/env.server";
import { loader as orderLoader } from "~/routes/app.backorders.$orderId";
import { action, loader } from "~/routes/app.settings";
import { openPassword } from "~/services/messages/smtp.server";

import { startLocalShopify, type LocalShopify } from "../shopify-local/server";
import { adminRequest, call, installShop } from "./support";

// The Settings page's e-mail server through its real route, and the order page's list of e-mails.
const SHOP = "mail-settings.myshopify.com";
let shopify: LocalShopify;

const smtp = {
  host: "smtp.example.com",
  port: "465",
  secure: true,
  username: "mailer",
  password: "correct horse",
  fromAddress: "Shop <orders@example.com>",
};
const post = async (json: unknown) => call(action, await adminRequest("/app/settings", { shop: SHOP, json }));
const page = async () => (await call(loader, await adminRequest("/app/settings", { shop: SHOP }))).body;

beforeAll(async () => {
  shopify = await startLocalShopify({ apiSecret: "test-api-secret", apiKey: "test-api-key" });
  env.SHOPIFY_ADMIN_API_ORIGIN = shopify.origin;
  const shop = await shopify.control.createShop({ domain: SHOP });
  await installShop(SHOP, shop.accessToken);
}, 60_000);

afterAll(async () => {
  await shopify?.stop();
});

describe("the shop's e-mail server", () => {
  it("GIVEN none is set THEN the page says mail has nowhere to go (no SMTP_URL in this environment)", async () => {
    expect((await page()).mail).toEqual({ smtp: null, route: "none" });
  });

  it("GIVEN a bad form THEN each field says why and nothing is saved", async () => {
    const refused = await post({
      intent: "smtp_save",
      smtp: { ...smtp, host: "smtp example", port: "70000", fromAddress: "orders" },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.fieldErrors).toEqual({
      "smtp.host": "A host name such as smtp.example.com",
      "smtp.port": "At most 65535",
      "smtp.fromAddress": "An e-mail address, or Name <address>",
    });
    expect(await db.mailSettings.count({ where: { shop: SHOP } })).toBe(0);
  });

  it("GIVEN a server saved THEN the password is sealed, never shown, and kept when the form leaves it empty", async () => {
    expect((await post({ intent: "smtp_save", smtp })).body).toEqual({ ok: true });
    const shown = await page();
    expect(shown.mail).toEqual({
      smtp: {
        host: "smtp.example.com",
        port: 465,
        secure: true,
        username: "mailer",
        hasPassword: true,
        fromAddress: "Shop <orders@example.com>",
      },
      route: "shop",
    });
    expect(JSON.stringify(shown)).not.toContain("correct horse");
    const row = await db.mailSettings.findUniqueOrThrow({ where: { shop: SHOP } });
    expect(row.passwordSealed).not.toContain("correct horse");
    expect(openPassword(env.SHOPIFY_API_SECRET, row.passwordSealed!)).toBe("correct horse");

    expect(
      (await post({ intent: "smtp_save", smtp: { ...smtp, port: "587", secure: false, password: "" } })).body,
    ).toEqual({ ok: true });
    const kept = await db.mailSettings.findUniqueOrThrow({ where: { shop: SHOP } });
    expect([kept.port, kept.secure, openPassword(env.SHOPIFY_API_SECRET, kept.passwordSealed!)]).toEqual([
      587,
      false,
      "correct horse",
    ]);
  });

  it("GIVEN the server removed THEN its row and sealed password are gone", async () => {
    expect((await post({ intent: "smtp_remove" })).body).toEqual({ ok: true });
    expect(await db.mailSettings.count({ where: { shop: SHOP } })).toBe(0);
    expect((await page()).mail.route).toBe("none");
  });
});

describe("the order page's e-mails", () => {
  it("lists each message with its kind, time and status, and why one was not sent", async () => {
    const orderId = "gid://shopify/Order/9001";
    await db.backorderLine.create({
      data: {
        shop: SHOP,
        orderId,
        orderName: "#9001",
        orderedAt: new Date(),
        lineItemId: "gid://shopify/LineItem/1",
        title: "Stool",
        quantity: 1,
        backorderedQty: 1,
        status: "backordered",
        unitPriceCents: 100,
      },
    });
    const at = new Date("2026-12-04T10:30:00Z");
    await db.customerMessage.createMany({
      data: [
        {
          shop: SHOP,
          key: "confirmation:9001",
          orderId,
          kind: "confirmation",
          facts: "{}",
          status: "sent",
          attempts: 2,
          locale: "fr",
          createdAt: at,
          sentAt: at,
        },
        {
          shop: SHOP,
          key: "delay_notice:9001",
          orderId,
          kind: "delay_notice",
          facts: "{}",
          status: "skipped",
          attempts: 1,
          error: "the order has no e-mail address (or the app may not read it)",
          createdAt: new Date(at.getTime() + 1000),
        },
        // Another shop's message about an order with the same id is not this shop's.
        {
          shop: "other.myshopify.com",
          key: "confirmation:9001",
          orderId,
          kind: "confirmation",
          facts: "{}",
          status: "sent",
        },
      ],
    });
    const { body } = await call(orderLoader, await adminRequest("/app/backorders/9001", { shop: SHOP }), {
      orderId: "9001",
    });
    expect(body.messages).toEqual([
      { kind: "Backorder confirmation", status: "sent", at: at.toISOString(), attempts: 2, locale: "fr", note: null },
      {
        kind: "Delay notice",
        status: "skipped",
        at: new Date(at.getTime() + 1000).toISOString(),
        attempts: 1,
        locale: null,
        note: "the order has no e-mail address (or the app may not read it)",
      },
    ]);
  });
});
