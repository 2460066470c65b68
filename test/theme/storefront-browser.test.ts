import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { app, badgeBlock, cartItem, embedBlock, product, variant } from "./fixtures";
import { createStorefront, EXTENSION_DIR } from "./storefront";

/**
 * Pages built from the rendered blocks, with just enough theme behaviour around them (a variant
 * form, swatches that only touch the URL, product cards, a cart form), served from 127.0.0.1
 * and driven in Debian's Chromium.
 */
const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = path.resolve("test/artifacts");
const NOW = new Date("2026-11-26T12:00:00Z");

const dated = variant({ id: 11, title: "Small", quantity: 0, expectedDate: "2026-12-15" });
const inStock = variant({ id: 13, title: "Large", quantity: 4 });
const undated = variant({ id: 12, title: "Medium", quantity: -3, message: "Restock from our Lyon workshop" });

function layout(title: string, body: string): string {
  // Shopify injects a block's "stylesheet" in the head and its "javascript" deferred.
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/assets/backorder-badge.css">
<script src="/assets/backorder-badge.js" defer></script>
<style>body{font:16px/1.5 sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}ul{list-style:none;padding:0;display:grid;grid-template-columns:1fr 1fr;gap:1rem}li{border:1px solid #ccc;padding:2rem 1rem 1rem}</style>
</head><body>${body}</body></html>`;
}

async function productPage(): Promise<string> {
  const liquid = createStorefront({ locale: "en", now: NOW });
  const block = await liquid.renderFile(path.join(EXTENSION_DIR, "blocks/backorder-badge"), {
    product: product("trail-jacket", [dated, inStock, undated], dated),
    app: app(),
    block: badgeBlock(),
  });
  return layout(
    "Trail jacket",
    `<section class="shopify-section">
  <h1>Trail jacket</h1>
  <form action="/cart/add" method="post">
    <label for="variant-select">Size</label>
    <select name="id" id="variant-select">
      <option value="11" selected>Small</option><option value="13">Large</option><option value="12">Medium</option>
    </select>
    <button type="submit">Add to cart</button>
  </form>
  <form action="/cart/add" method="post" class="quick-add">
    <label for="other-select">Matching gloves</label>
    <select name="id" id="other-select"><option value="98" selected>S</option><option value="99">M</option></select>
  </form>
  <div class="swatches"><button type="button" data-swatch="12">Medium</button><button type="button" data-swatch="13">Large</button></div>
  <div class="shopify-block shopify-app-block">${block}</div>
  <p id="below">A light shell for wet mountain days.</p>
</section>
<script>
  // Theme behaviour: swatches set the form's value silently and only rewrite the URL.
  document.querySelectorAll('[data-swatch]').forEach((button) => button.addEventListener('click', () => {
    document.getElementById('variant-select').value = button.dataset.swatch;
    history.replaceState(null, '', '?variant=' + button.dataset.swatch);
  }));
</script>`,
  );
}

async function collectionPage(): Promise<string> {
  const liquid = createStorefront({ locale: "en", now: NOW });
  const embed = await liquid.renderFile(path.join(EXTENSION_DIR, "blocks/backorder-embed"), {
    request: { page_type: "collection" },
    collection: {
      products: [product("boots", [undated]), product("trail-jacket", [dated, inStock]), product("écharpe", [undated])],
    },
    app: app(),
    block: embedBlock(),
  });
  return layout(
    "All",
    `<ul id="grid">
  <li class="grid__item" id="card-boots"><a href="/products/boots">Boots</a><p>€120</p></li>
  <li class="grid__item" id="card-jacket"><a href="/products/trail-jacket?variant=13">Trail jacket</a><p>€180</p></li>
  <li class="grid__item" id="card-scarf"><a href="/products/%C3%A9charpe">Écharpe</a><p>€40</p></li>
</ul>${embed}`,
  );
}

async function cartPage(): Promise<string> {
  const liquid = createStorefront({ locale: "en", now: NOW });
  const partly = variant({ id: 41, title: "Small", quantity: 1, expectedDate: "2026-12-15" });
  const embed = await liquid.renderFile(path.join(EXTENSION_DIR, "blocks/backorder-embed"), {
    request: { page_type: "cart" },
    cart: {
      items: [
        cartItem(partly, 3),
        cartItem(variant({ id: 412, title: "Gloves", quantity: 9 }), 1),
        cartItem(inStock, 1),
        cartItem(variant({ id: 77, title: "One size", quantity: 0 }), 1, "Wool hat - One size"),
      ],
    },
    app: app(),
    block: embedBlock(),
  });
  return layout(
    "Cart",
    `<form action="/cart" method="post"><table>
  <tr id="line-41"><td><a href="/products/trail-jacket?variant=41">Trail jacket — Small</a></td><td>3</td></tr>
  <tr id="line-412"><td><a href="/products/gloves?variant=412">Gloves</a></td><td>1</td></tr>
  <tr id="line-13"><td><a href="/products/trail-jacket?variant=13">Trail jacket — Large</a></td><td>1</td></tr>
  <tr id="line-77"><td><a href="/products/wool-hat">Wool hat</a></td><td>1</td></tr>
</table><button>Check out</button></form>${embed}`,
  );
}

let server: Server | undefined;
let browser: Browser | undefined;
let origin: string;

const MISSING_CHROMIUM = `Chromium is missing at ${CHROMIUM}: install it with "apt-get install -y chromium" to run the browser tests`;

beforeAll(async () => {
  // Without Chromium every test below fails with MISSING_CHROMIUM (a failure, never a skip).
  if (!existsSync(CHROMIUM)) return;
  const pages: Record<string, string> = {
    "/products/trail-jacket": await productPage(),
    "/collections/all": await collectionPage(),
    "/cart": await cartPage(),
  };
  const assets: Record<string, string> = { ".js": "text/javascript", ".css": "text/css" };
  const http = createServer((request, response) => {
    const { pathname } = new URL(request.url ?? "/", "http://127.0.0.1");
    const page = pages[pathname];
    const asset = /^\/assets\/(backorder-badge\.(?:js|css))$/.exec(pathname)?.[1];
    if (page) {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page);
    } else if (asset) {
      const body = readFileSync(path.join(EXTENSION_DIR, "assets", asset));
      response.writeHead(200, { "content-type": assets[path.extname(asset)] ?? "text/plain" }).end(body);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  server = http;
  origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  const http = server;
  if (http) await new Promise((resolve) => http.close(resolve));
});

/** Opens a page that records every layout shift from the start, user input or not. */
async function open(pathname: string, width = 800): Promise<Page> {
  if (!browser) throw new Error(MISSING_CHROMIUM);
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  await page.addInitScript(() => {
    const w = window as unknown as { shifts: number[] };
    w.shifts = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.shifts.push((entry as unknown as { value: number }).value);
    }).observe({ type: "layout-shift", buffered: true });
  });
  await page.goto(`${origin}${pathname}`);
  await page.waitForLoadState("load");
  return page;
}

const shifts = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<number[]>((resolve) =>
        requestAnimationFrame(() => resolve((window as unknown as { shifts: number[] }).shifts)),
      ),
  );

const liveText = (page: Page, expected: string) =>
  page.waitForFunction((text) => document.querySelector("[data-bk-live]")?.textContent === text, expected, {
    timeout: 5_000,
  });

describe("product page badge in Chromium", () => {
  // At 360 px the badge wraps: the reserved box must still hold the tallest variant's badge.
  it.each([800, 360])(
    "follows the variant form and the ?variant= URL, announces through aria-live, shifts nothing at %i px",
    async (width) => {
      const page = await open("/products/trail-jacket", width);
      const requestsAfterLoad: string[] = [];
      page.on("request", (request) => requestsAfterLoad.push(request.url()));
      try {
        const status = page.getByRole("status");
        expect(await status.getAttribute("aria-live")).toBe("polite");
        expect(await status.textContent()).toBe("Backordered — ships by December 15, 2026");
        // Tag the live region: it must be the same node after every change, or nothing is announced.
        await page.evaluate(() => ((document.querySelector("[data-bk-live]") as HTMLElement).dataset.tagged = "yes"));
        const below = async () => (await page.locator("#below").boundingBox())?.y;
        const startY = await below();

        // The form: a change event on the variant select.
        await page.selectOption("#variant-select", "13");
        await liveText(page, "");
        expect(await below()).toBe(startY);

        await page.selectOption("#variant-select", "12");
        await liveText(page, "Backordered — ships when back in stock" + "Restock from our Lyon workshop");
        expect(await below()).toBe(startY);

        // Another product's form on the same page leaves the badge alone.
        await page.selectOption("#other-select", "99");
        await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 50)));
        expect(await status.textContent()).toBe(
          "Backordered — ships when back in stock" + "Restock from our Lyon workshop",
        );

        // The URL: a swatch that rewrites ?variant= without any form event.
        await page.click('[data-swatch="13"]');
        await liveText(page, "");
        await page.evaluate(() => history.replaceState(null, "", "?variant=11"));
        await liveText(page, "Backordered — ships by December 15, 2026");
        expect(await below()).toBe(startY);

        expect(await page.locator("[data-bk-live]").getAttribute("data-tagged")).toBe("yes");
        expect(await status.textContent()).toBe("Backordered — ships by December 15, 2026");

        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: path.join(ARTIFACTS, `product-badge-${width}.png`) });

        const measured = await shifts(page);
        console.info(
          `layout shifts on the product page at ${width} px: ${measured.length} (total ${measured.reduce((a, b) => a + b, 0)})`,
        );
        expect(measured).toEqual([]);
        // Everything came with the page: switching variants made no request.
        expect(requestsAfterLoad).toEqual([]);
      } finally {
        await page.close();
      }
    },
    30_000,
  );
});

describe("app embed in Chromium", () => {
  it("labels only the cards of products that ship later, without shifting the grid", async () => {
    const page = await open("/collections/all");
    try {
      expect(await page.locator("#card-boots .bk-card-mark").textContent()).toBe("Ships later");
      expect(await page.locator("#card-scarf .bk-card-mark").textContent()).toBe("Ships later");
      expect(await page.locator("#card-jacket .bk-card-mark").count()).toBe(0);
      expect(await shifts(page)).toEqual([]);
    } finally {
      await page.close();
    }
  }, 30_000);

  it("puts the disclosure right after the backordered cart line's link, or titled at the top of the cart", async () => {
    const page = await open("/cart");
    try {
      expect(await page.locator("#line-41 a + .bk-cart-note").textContent()).toBe(
        "2 of 3 ship later — expected by December 15, 2026",
      );
      // The hat's link carries no ?variant=, so its note goes, titled, to the top of the cart.
      expect(await page.locator("form > .bk-cart-note:first-child").textContent()).toBe(
        "Wool hat - One size: 1 of 1 ships later — ships when back in stock",
      );
      expect(await page.locator(".bk-cart-note").count()).toBe(2);
      // The note under the link leaves the line's quantity level with the product's name, as without a note.
      const tops = await page.evaluate(() => {
        const top = (node: Node) => {
          const range = document.createRange();
          range.selectNodeContents(node);
          return range.getBoundingClientRect().top;
        };
        return ["#line-41", "#line-412"].map((row) => [
          top(document.querySelector(`${row} a`)!),
          top(document.querySelector(`${row} td:nth-child(2)`)!),
        ]);
      });
      for (const [name, quantity] of tops) expect(Math.abs(name! - quantity!)).toBeLessThan(1);
    } finally {
      await page.close();
    }
  }, 30_000);
});
