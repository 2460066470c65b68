import type { Browser, Page, Request } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import db from "~/db.server";

import { seedStory } from "../fixtures/seed/seed";
import { installThroughApp, waitForApp } from "../shopify-local/install";
import { startLocalShopify, type LocalShopify } from "../shopify-local/server";
import { adminHost, mintSessionToken } from "../shopify-local/session-token";
import { buildApp, freePort, launchChromium, startApp, type RunningApp } from "./support";

/**
 * Local Shopify's admin frame in a plain browser, with nothing routed in: App Bridge comes from Local Shopify's
 * stand-in because the app's Admin origin is Local Shopify, and the frame hands it fresh session tokens.
 */
const SHOP = "frame-shop.myshopify.com";
const API_KEY = "local-api-key";
const API_SECRET = "local-secret";
const BROWSER_USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";
const CDN_APP_BRIDGE = "https://cdn.shopify.com/shopifycloud/app-bridge.js";

let shopify: LocalShopify;
let app: RunningApp;
let browser: Browser;
let page: Page;
const cdnRequests: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  await buildApp();
  // Local Shopify must know the app's URL (for the frame) and the app Local Shopify's: the port comes first.
  const port = await freePort();
  shopify = await startLocalShopify({ apiSecret: API_SECRET, apiKey: API_KEY, appUrl: `http://127.0.0.1:${port}` });
  app = await startApp(
    { SHOPIFY_API_KEY: API_KEY, SHOPIFY_API_SECRET: API_SECRET, SHOPIFY_ADMIN_API_ORIGIN: shopify.origin },
    port,
  );
  await shopify.control.createShop({ domain: SHOP });
  await waitForApp(app.origin, 30_000);
  await installThroughApp({ appUrl: app.origin, apiKey: API_KEY, apiSecret: API_SECRET, shop: SHOP });
  await seedStory(db, SHOP, new Date());
  page = await browser.newPage({ viewport: { width: 1280, height: 900 }, userAgent: BROWSER_USER_AGENT });
  page.on("pageerror", (error) => pageErrors.push(error.message));
  // Offline, the CDN answers nothing: record what asked for it, answer as an unreachable host would.
  await page.route("https://cdn.shopify.com/**", (route) => {
    cdnRequests.push(route.request().url());
    return route.abort("internetdisconnected");
  });
}, 240_000);

afterEach(() => {
  expect(pageErrors.splice(0)).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await shopify?.stop();
});

const appFrame = () => page.frameLocator("iframe[name=app-iframe]");
const heading = (name: string) => appFrame().getByRole("heading", { name, exact: true, level: 1 });
const sidebar = () => page.getByRole("navigation", { name: "Backorder Keeper" });

describe("Local Shopify's admin frame, clicked through in Chromium", () => {
  it("GIVEN the frame THEN the app loads the local App Bridge and its menu is the frame's sidebar", async () => {
    await page.goto(`${shopify.origin}/admin/${SHOP}/apps/backorder-keeper`);
    await heading("Backorders").waitFor();
    await expect
      .poll(() => sidebar().getByRole("link").allInnerTexts())
      .toEqual(["Backorders", "Restock dates", "Analytics", "Policy what-if", "Settings"]);
    expect(await sidebar().locator("[aria-current=page]").innerText()).toBe("Backorders");
    const bridge = await appFrame().locator("script[data-api-key]").getAttribute("src");
    expect(bridge).toBe(`${shopify.origin}/_local/app-bridge.js`);
    expect(cdnRequests.filter((url) => url.startsWith(CDN_APP_BRIDGE))).toEqual([]);
  });

  it("GIVEN a sidebar click THEN the app navigates with a fresh session token from the frame, and the address follows", async () => {
    const iframeSrc = new URL((await page.locator("iframe[name=app-iframe]").getAttribute("src"))!);
    const dataRequests: Request[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname === "/app/analytics.data") dataRequests.push(request);
    });

    await sidebar().getByRole("link", { name: "Analytics" }).click();
    await heading("Analytics").waitFor();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/admin/${SHOP}/apps/backorder-keeper/analytics`);
    expect(await sidebar().locator("[aria-current=page]").innerText()).toBe("Analytics");

    const request = dataRequests[0]!;
    expect((await request.response())?.status()).toBe(200);
    const token = /^Bearer (.+)$/.exec((await request.allHeaders()).authorization ?? "")?.[1];
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    // Not the token the iframe was opened with: the frame minted another when the app asked for one.
    expect(token).not.toBe(iframeSrc.searchParams.get("id_token"));

    await sidebar().getByRole("link", { name: "Policy what-if" }).click();
    await heading("Policy what-if").waitFor();
    await sidebar().getByRole("link", { name: "Settings" }).click();
    await heading("Settings").waitFor();
    await sidebar().getByRole("link", { name: "Backorders" }).click();
    await heading("Backorders").waitFor();
    expect(new URL(page.url()).pathname).toBe(`/admin/${SHOP}/apps/backorder-keeper`);
  });

  it("GIVEN a frame URL with the app's own query THEN the app gets it and the address keeps it", async () => {
    await page.goto(`${shopify.origin}/admin/${SHOP}/apps/backorder-keeper/analytics?days=90`);
    await heading("Analytics").waitFor();
    const src = new URL((await page.locator("iframe[name=app-iframe]").getAttribute("src"))!);
    expect([src.pathname, src.searchParams.get("days")]).toEqual(["/app/analytics", "90"]);
    await expect.poll(() => new URL(page.url()).search).toBe("?days=90");
    expect(await sidebar().locator("[aria-current=page]").innerText()).toBe("Analytics");
  });

  it("GIVEN the app's page loaded without a session token THEN the bounce page gets one from the frame", async () => {
    const frame = page.frame({ name: "app-iframe" })!;
    const bare = new URL("/app/settings", app.origin);
    for (const [key, value] of Object.entries({ embedded: "1", shop: SHOP, host: adminHost(SHOP) })) {
      bare.searchParams.set(key, value);
    }
    await frame.goto(bare.toString());
    await heading("Settings").waitFor();
    const landed = new URL(frame.url());
    expect(landed.pathname).toBe("/app/settings");
    expect(landed.searchParams.get("id_token")).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(cdnRequests.filter((url) => url.startsWith(CDN_APP_BRIDGE))).toEqual([]);
  });
});

describe("the same build against Shopify", () => {
  it("GIVEN no Admin origin THEN pages load App Bridge from Shopify's CDN and only Shopify admin may frame them", async () => {
    const production = await startApp({ SHOPIFY_API_KEY: API_KEY, SHOPIFY_API_SECRET: API_SECRET });
    try {
      // The shop's offline session from the install above is in the database, so no call leaves the machine.
      const url = new URL("/app", production.origin);
      const token = mintSessionToken({ apiKey: API_KEY, apiSecret: API_SECRET, shop: SHOP });
      for (const [key, value] of Object.entries({
        embedded: "1",
        shop: SHOP,
        host: adminHost(SHOP),
        id_token: token,
      })) {
        url.searchParams.set(key, value);
      }
      const response = await fetch(url, { headers: { "User-Agent": BROWSER_USER_AGENT } });
      const html = await response.text();
      expect(response.status).toBe(200);
      expect(html).toContain(`src="${CDN_APP_BRIDGE}"`);
      expect(html).not.toContain("/_local/");
      expect(response.headers.get("Content-Security-Policy")).toBe(
        `frame-ancestors https://${SHOP} https://admin.shopify.com https://*.spin.dev https://admin.myshopify.io https://admin.shop.dev;`,
      );
      const bounce = await fetch(`${production.origin}/auth/session-token?shop=${SHOP}`, {
        headers: { "User-Agent": BROWSER_USER_AGENT },
      });
      expect(await bounce.text()).toContain(`src="${CDN_APP_BRIDGE}"`);
    } finally {
      await production.stop();
    }
  }, 60_000);
});
