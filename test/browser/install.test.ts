import { afterAll, beforeAll, describe, expect, it } from "vitest";

import db from "~/db.server";

import { installThroughApp, waitForApp } from "../shopify-local/install";
import { startLocalShopify, type LocalShopify } from "../shopify-local/server";
import { buildApp, startApp, type RunningApp } from "./support";

const SHOP = "demo-shop.myshopify.com";
const API_KEY = "local-api-key";
const API_SECRET = "local-secret";

let shopify: LocalShopify;
let app: RunningApp;

beforeAll(async () => {
  buildApp();
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
