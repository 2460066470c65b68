import { afterAll, beforeAll, describe, expect, it } from "vitest";

import db from "~/db.server";

import { MINIMAL_BODIES, signedWebhookRequest } from "../support/webhooks";
import { installThroughApp, waitForApp } from "../shopify-local/install";
import { startLocalShopify, type LocalShopify } from "../shopify-local/server";
import { buildApp, startApp, type RunningApp } from "./support";

const SHOP = "demo-shop.myshopify.com";
const API_KEY = "local-api-key";
const API_SECRET = "local-secret";

let shopify: LocalShopify;
let app: RunningApp;

beforeAll(async () => {
  await buildApp();
  shopify = await startLocalShopify({ apiSecret: API_SECRET, apiKey: API_KEY });
  app = await startApp({
    SHOPIFY_API_KEY: API_KEY,
    SHOPIFY_API_SECRET: API_SECRET,
    SHOPIFY_ADMIN_API_ORIGIN: shopify.origin,
  });
}, 240_000);

afterAll(async () => {
  await app?.stop();
  await shopify?.stop();
});

describe("npm run shopify:local's install through the built app's real auth path", () => {
  it("GIVEN a shop with no session WHEN /app is loaded as Shopify admin frames it THEN token exchange stores its offline token", async () => {
    const { accessToken } = await shopify.control.createShop({ domain: SHOP });
    expect(await db.session.findUnique({ where: { id: `offline_${SHOP}` } })).toBeNull();

    await waitForApp(app.origin, 30_000);
    await installThroughApp({ appUrl: app.origin, apiKey: API_KEY, apiSecret: API_SECRET, shop: SHOP });

    const session = await db.session.findUnique({ where: { id: `offline_${SHOP}` } });
    expect(session).toMatchObject({ shop: SHOP, isOnline: false, accessToken });
  }, 60_000);

  it("GIVEN the app runs with another API secret WHEN installing THEN the error says what the app answered and why", async () => {
    await shopify.control.createShop({ domain: "other.myshopify.com" });
    const failure = await installThroughApp({
      appUrl: app.origin,
      apiKey: API_KEY,
      apiSecret: "not-the-apps-secret",
      shop: "other.myshopify.com",
    }).then(
      () => "installed",
      (error: Error) => error.message,
    );
    expect(failure).toMatch(/^installing on other\.myshopify\.com: GET http:\/\/127\.0\.0\.1:\d+\/app answered \d{3}/);
    expect(failure).toContain("SHOPIFY_API_KEY=local-api-key");
    expect(await db.session.findUnique({ where: { id: "offline_other.myshopify.com" } })).toBeNull();
  }, 60_000);

  it("GIVEN Local Shopify's admin frame THEN its iframe URL carries a session token the built app accepts", async () => {
    // A second Local Shopify that knows the app's URL (the first had to start before the app); same secret and shop.
    const framing = await startLocalShopify({ apiSecret: API_SECRET, apiKey: API_KEY, appUrl: app.origin });
    try {
      await framing.control.createShop({ domain: SHOP });
      const frame = await fetch(`${framing.origin}/admin/${SHOP}/apps/backorder-keeper/settings`);
      expect(frame.status).toBe(200);
      const src = /<iframe[^>]* src="([^"]+)"/.exec(await frame.text())?.[1]?.replace(/&amp;/g, "&");
      expect(src).toMatch(
        new RegExp(`^${app.origin}/app/settings\\?embedded=1&shop=demo-shop\\.myshopify\\.com&host=[^&]+&id_token=`),
      );
      const page = await fetch(src!, { headers: { "User-Agent": "curl/8.5.0" } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("Backorder Keeper");

      const unknown = await fetch(`${framing.origin}/admin/nope.myshopify.com/apps/backorder-keeper`);
      expect([unknown.status, await unknown.text()]).toEqual([
        404,
        expect.stringContaining("No shop nope.myshopify.com"),
      ]);
    } finally {
      await framing.stop();
    }
  }, 60_000);

  it("GIVEN curl without a session token THEN the built app answers a non-empty explanation", async () => {
    const response = await fetch(`${app.origin}/app`, { headers: { "User-Agent": "curl/8.5.0" } });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain(`${shopify.origin}/admin/{shop}/apps/backorder-keeper`);
  });
});

/** The built app is already running here: its webhook door is checked over HTTP as Shopify reaches it. */
describe("the built app's webhook door (docs/decisions/0012-strict-intake.md)", () => {
  async function deliver(route: string, topic: string, raw: string, shop = SHOP) {
    const request = signedWebhookRequest({
      path: `/webhooks/${route}`,
      topic,
      shop,
      raw,
      secret: API_SECRET,
      origin: app.origin,
    });
    const response = await fetch(request);
    return { status: response.status, body: await response.text() };
  }
  const order = JSON.stringify(MINIMAL_BODIES["orders/create"]);

  it("GIVEN a signed orders/create sent to shop/redact and app/uninstalled THEN 400 with the reason, and nothing erased", async () => {
    await waitForApp(app.origin, 30_000);
    const sessions = await db.session.count();

    expect(await deliver("shop/redact", "orders/create", order)).toEqual({
      status: 400,
      body: "X-Shopify-Topic orders/create does not belong on the shop/redact route",
    });
    expect(await deliver("app/uninstalled", "orders/create", order)).toMatchObject({ status: 400 });
    expect(await db.session.count()).toBe(sessions);
  });

  it("GIVEN a body that is not JSON or a shop that is no shop THEN 400; a good delivery is recorded", async () => {
    const before = await db.webhookDelivery.count();

    expect(await deliver("orders/create", "orders/create", "<order/>")).toEqual({
      status: 400,
      body: "orders/create body is not JSON",
    });
    expect((await deliver("orders/create", "orders/create", order, "evil.example.com")).status).toBe(400);
    expect(await db.webhookDelivery.count()).toBe(before);

    expect((await deliver("orders/create", "orders/create", order)).status).toBe(200);
    expect(await db.webhookDelivery.count()).toBe(before + 1);
  });
});
