/**
 * `npm run screenshots`: runs the demo's story, then takes each admin page in Local Shopify's admin frame (queue,
 * an order, settings, analytics, what-if) and the storefront badge and cart in headless Chromium, into
 * docs/screenshots/*.png for the README. Nothing is routed in: the pages load what the demo serves.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";

import type { FrameLocator, Page } from "playwright-core";

import { launchChromium } from "../browser/chromium";
import { ROOT, type LiveStack } from "../live/stack";
import { ensureBuild } from "./build";
import { DEMO_SHOP, PRODUCT, runDemo, type DemoUrls } from "./demo";
import type { StateShop } from "./timeline";

const OUT = path.join(ROOT, "docs/screenshots");
// Shopify's library answers a "HeadlessChrome" user agent as a bot: present a browser's.
const USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";

const log = (line: string) => process.stderr.write(`${line}\n`);

async function adminPage(page: Page, url: string, heading: string): Promise<FrameLocator> {
  await page.goto(url, { waitUntil: "networkidle" });
  const frame = page.frameLocator("iframe[name=app-iframe]");
  await frame.getByRole("heading", { name: heading, exact: true, level: 1 }).waitFor();
  // Charts and fonts settle after the heading.
  await page.waitForLoadState("networkidle");
  return frame;
}

async function shoot(page: Page, name: string): Promise<void> {
  const file = path.join(OUT, `${name}.png`);
  await page.screenshot({ path: file });
  log(`  ${path.relative(ROOT, file)}`);
}

/** The order whose story has the most steps: held, partly allocated, released, then cancelled at its deadline. */
async function orderToShow(stack: LiveStack): Promise<{ id: number; name: string }> {
  const state = await stack.shopify.control.state();
  const shop = state.shops.find((s) => s.domain === DEMO_SHOP) as unknown as StateShop;
  const order = shop.orders.find((o) => o.name === "#1006") ?? shop.orders[0]!;
  return { id: order.id, name: order.name };
}

async function takeAll(stack: LiveStack, urls: DemoUrls): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, userAgent: USER_AGENT });
    // Offline, the CDN (the app's Inter stylesheet) answers nothing: fail fast, as an unreachable host does.
    await page.route("https://cdn.shopify.com/**", (route) => route.abort("internetdisconnected"));
    log("Screenshots:");
    await adminPage(page, urls.admin, "Backorders");
    await shoot(page, "admin-queue");
    const order = await orderToShow(stack);
    await adminPage(page, `${urls.admin}/backorders/${order.id}`, `Order ${order.name}`);
    await shoot(page, "admin-order");
    await adminPage(page, `${urls.admin}/settings`, "Settings");
    await shoot(page, "admin-settings");
    await adminPage(page, `${urls.admin}/analytics?days=90`, "Analytics");
    await shoot(page, "admin-analytics");
    await adminPage(page, `${urls.admin}/what-if`, "Policy what-if");
    await shoot(page, "admin-what-if");

    await page.setViewportSize({ width: 1100, height: 700 });
    await page.goto(urls.storefront, { waitUntil: "networkidle" });
    await page.locator("[data-bk-live] .bk-badge__pill").waitFor();
    await shoot(page, "storefront-badge");
    const variant = await page.locator("form [name=id]").first().inputValue();
    await page.goto(`${urls.storefront.replace(`/products/${PRODUCT.handle}`, "")}/cart/${variant}:3`);
    await page.locator(".bk-cart-note").first().waitFor();
    await shoot(page, "storefront-cart");
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  ensureBuild(log);
  await runDemo({ write: log, whileServing: takeAll });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(
      `npm run screenshots failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exit(1);
  },
);
