import path from "node:path";

import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import db from "~/db.server";
import { getSettings } from "~/models/settings.server";
import { policyExamples } from "~/services/admin/policy-examples";

import { installShop } from "../admin/support";
import { product, seedStory } from "../fixtures/seed/seed";
import { startLocalShopify, type LocalShopify } from "../shopify-local/server";
import {
  ARTIFACTS,
  buildApp,
  launchChromium,
  openAdmin,
  seriousViolations,
  standInShopifyCdn,
  startApp,
  type RunningApp,
} from "./support";

const SHOP = "north-star.myshopify.com";
const BROWSER_USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";
const DAY = 86_400_000;
const MUG = product(7, "Enamel mug", 1_800);

let shopify: LocalShopify;
let app: RunningApp;
let browser: Browser;
let page: Page;

async function seedMugs(now: Date) {
  for (let n = 1; n <= 3; n++) {
    await db.backorderLine.create({
      data: {
        shop: SHOP,
        orderId: `gid://shopify/Order/${2000 + n}`,
        orderName: `#${2000 + n}`,
        orderedAt: new Date(now.getTime() - (10 - n) * DAY),
        lineItemId: `gid://shopify/LineItem/${2000 + n}`,
        variantId: MUG.variantId,
        productId: MUG.productId,
        inventoryItemId: MUG.inventoryItemId,
        title: MUG.title,
        customerName: `Mug customer ${n}`,
        quantity: 2,
        backorderedQty: 2,
        unitPriceCents: MUG.priceCents,
        // The running app's sweep sends the Mail Order Rule's delay notice 2 days before a promise, re-dating it.
        promisedAt: new Date(now.getTime() + [-2, 2.5, 5][n - 1]! * DAY),
        deadlineAt: new Date(now.getTime() + 20 * DAY),
      },
    });
  }
  await db.lostSale.create({
    data: {
      shop: SHOP,
      orderId: "gid://shopify/Order/3001",
      title: MUG.title,
      productId: MUG.productId,
      quantity: 2,
      unitPriceCents: 1_800,
      reason: "deadline",
      at: new Date(now.getTime() - DAY),
    },
  });
}

beforeAll(async () => {
  browser = await launchChromium();
  await buildApp();
  shopify = await startLocalShopify({ apiSecret: "test-api-secret", apiKey: "test-api-key", host: "127.0.0.1" });
  const { accessToken } = await shopify.control.createShop({ domain: SHOP });
  await installShop(SHOP, accessToken);
  const now = new Date();
  await seedStory(db, SHOP, now);
  await seedMugs(now);
  app = await startApp({ SHOPIFY_ADMIN_API_ORIGIN: shopify.origin });
  // Shopify's library answers bots 410 Gone, and "HeadlessChrome" is a bot's user agent: present a browser's.
  page = await browser.newPage({ viewport: { width: 1280, height: 900 }, userAgent: BROWSER_USER_AGENT });
  await standInShopifyCdn(page);
  page.on("pageerror", (error) => pageErrors.push(error.message));
}, 240_000);

// An uncaught error in the page (a failed hydration, a crash in a component) fails the test that caused it.
const pageErrors: string[] = [];
afterEach(() => {
  expect(pageErrors.splice(0)).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await shopify?.stop();
});

const screenshot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

describe("settings in the browser", () => {
  it("change the policy, see the inline error for lead days 45 without consent, save, reload and see the saved values", async () => {
    await openAdmin(page, app.origin, "/app/settings", SHOP);
    // Each policy's example row is the engine's (policyExamples), and no two policies show the same row.
    const exampleRows = await page.getByText(/^Example, 9 units for 7 customers/).allInnerTexts();
    expect(exampleRows).toEqual(
      policyExamples(await getSettings(db, SHOP)).map((example) => expect.stringContaining(example.shares.join(" · "))),
    );
    expect(new Set(exampleRows).size).toBe(6);
    // Polaris draws its own radios and checkboxes over visually hidden inputs: click the label, as a person does.
    await page.getByText("Fair share", { exact: true }).click();
    await page.getByLabel("Lead time").fill("45");
    await page.getByRole("button", { name: "Save", exact: true }).click();

    const leadError = page
      .locator("#leadDaysError, [id$='Error']")
      .filter({ hasText: "Past 30 days needs your customers' recorded consent" });
    await expect.poll(() => leadError.count()).toBeGreaterThan(0);
    await expect.poll(async () => (await getSettings(db, SHOP)).allocationPolicy).toBe("fifo");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot("settings-error");

    await page.getByLabel("Final deadline").fill("60");
    await page.getByText("My customers consent to waiting longer than 30 days", { exact: true }).click();
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.locator(".app-bridge-toast", { hasText: "Settings saved" }).waitFor();

    await page.reload({ waitUntil: "networkidle" });
    expect(await page.getByLabel("Fair share").isChecked()).toBe(true);
    expect(await page.getByLabel("Lead time").inputValue()).toBe("45");
    expect(await page.getByLabel("Final deadline").inputValue()).toBe("60");
    expect(await page.getByLabel("My customers consent to waiting longer than 30 days").isChecked()).toBe(true);
    expect(await getSettings(db, SHOP)).toMatchObject({
      allocationPolicy: "fair_share",
      leadDays: 45,
      deadlineDays: 60,
      consentRecorded: true,
    });
    await screenshot("settings");
  }, 60_000);

  it("saves the shop's e-mail server; its password is never shown again", async () => {
    await openAdmin(page, app.origin, "/app/settings", SHOP);
    expect(await page.getByText("No SMTP server is set").count()).toBe(1);
    await page.getByLabel("SMTP host", { exact: true }).fill("smtp.example.com");
    await page.getByLabel("Port", { exact: true }).fill("465");
    await page.getByLabel("Username", { exact: true }).fill("mailer");
    await page.getByLabel("Password", { exact: true }).fill("correct horse");
    await page.getByLabel("From", { exact: true }).fill("Shop <orders@example.com>");
    await page.getByRole("button", { name: "Save e-mail server" }).click();
    await expect.poll(() => db.mailSettings.count({ where: { shop: SHOP } })).toBe(1);

    await page.reload({ waitUntil: "networkidle" });
    expect(await page.getByLabel("SMTP host", { exact: true }).inputValue()).toBe("smtp.example.com");
    expect(await page.getByLabel("Password", { exact: true }).inputValue()).toBe("");
    expect(await page.getByText("A password is saved. Leave empty to keep it.").count()).toBe(1);
    expect(await page.getByText("Customer e-mails go out through your SMTP server below.").count()).toBe(1);
    expect(await page.content()).not.toContain("correct horse");
    expect(await seriousViolations(page)).toEqual([]);
  }, 60_000);
});

describe("backorders in the browser", () => {
  const orderCells = () => page.locator("table tbody tr td:nth-child(2)").allInnerTexts();

  it("lists the waiting lines and filters them by product and due date", async () => {
    await openAdmin(page, app.origin, "/app", SHOP);
    expect(await orderCells()).toEqual(["#2001", "#2002", "#2003", "#1004", "#1005", "#1006", "#1007"]);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot("backorders");

    await page.getByRole("button", { name: "Product" }).click();
    await page.locator(".Polaris-Popover__Pane").getByText(MUG.title, { exact: true }).click();
    await page.waitForURL(/product=/);
    await expect.poll(orderCells).toEqual(["#2001", "#2002", "#2003"]);

    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: "Due" }).click();
    // "Due soon" rather than "overdue": the running app's sweep gives a line promised within 2 days a new date.
    await page.locator(".Polaris-Popover__Pane").getByText("Due within 3 days", { exact: true }).click();
    await expect.poll(orderCells).toEqual(["#2002"]);
    await screenshot("backorders-filtered");

    const subtitle = page.getByText(/lines? (match|waiting)$/);
    expect(await subtitle.innerText()).toBe("1 line match");
    await page.getByRole("tab", { name: "By product" }).click();
    await page.getByRole("button", { name: `Show lines of ${MUG.title}` }).waitFor();
    // The subtitle counts what the tab shows: every product group and its open lines, as the DB holds them.
    const open = await db.backorderLine.groupBy({
      by: ["productId"],
      where: { shop: SHOP, status: { in: ["waiting", "partially_allocated"] } },
    });
    const openLines = await db.backorderLine.count({
      where: { shop: SHOP, status: { in: ["waiting", "partially_allocated"] } },
    });
    await expect.poll(() => subtitle.innerText()).toBe(`${open.length} products · ${openLines} lines waiting`);
    expect(await page.locator("#products-panel tbody tr").count()).toBe(open.length);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot("backorders-by-product");
  });

  it("shows an order's timeline", async () => {
    await openAdmin(page, app.origin, "/app/backorders/1001", SHOP);
    const timeline = await page.getByRole("list", { name: "Timeline" }).getByRole("listitem").allInnerTexts();
    expect(timeline.map((text) => text.split("\n")[0])).toEqual([
      "3 on backorder, fulfilment held",
      "3 allocated from new stock",
      "3 released for fulfilment",
    ]);
    // The seeded order exists only in the app's records: fulfilled units cannot be read from Shopify, and the
    // page says so instead of calling released units shipped.
    await page.getByText("Shopify no longer has this order").waitFor();
    expect(await page.locator("table tbody tr td").allInnerTexts()).toEqual(expect.arrayContaining(["—"]));
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot("order-detail");
  });

  it("an order the shop does not have gets a page that says so", async () => {
    await openAdmin(page, app.origin, "/app/backorders/999999", SHOP, 404);
    await page.getByText("This shop has no backorders for that order").waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot("order-not-found");
  });
});

describe("analytics and what-if in the browser", () => {
  it("analytics renders the figures and the trend chart", async () => {
    await openAdmin(page, app.origin, "/app/analytics", SHOP);
    await page.getByText("Fill rate").waitFor();
    await page.locator("[aria-hidden='true'] svg").first().waitFor();
    // The trend's days, as its table lists them: every UTC day of the window, none skipped.
    await page.getByText("Units backordered and lost per day, as a table").click();
    const days = await page.locator("details table tbody tr td:first-child, details table tbody tr th").allInnerTexts();
    expect(days.length).toBe(31);
    for (let i = 1; i < days.length; i++) expect(Date.parse(days[i]!) - Date.parse(days[i - 1]!)).toBe(DAY);
    // Lost units as Analytics shows them are the DB's lost sales of the window.
    const lost = await db.lostSale.aggregate({
      where: { shop: SHOP, at: { gte: new Date(Date.now() - 30 * DAY) } },
      _sum: { quantity: true },
    });
    await page
      .getByText(`${lost._sum.quantity ?? 0}`, { exact: true })
      .first()
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot("analytics");
  });

  it("the what-if table renders for the seeded data", async () => {
    await openAdmin(page, app.origin, "/app/what-if", SHOP);
    const rows = page.locator("table tbody tr");
    await rows.first().waitFor();
    const policies = await rows.locator("td:first-child, th").allInnerTexts();
    expect(policies.map((text) => text.split(/\s/)[0])).toEqual([
      "First",
      "Fair",
      "Priority",
      "Earliest",
      "Smallest",
      "Proportional",
    ]);
    // The badge marks the policy saved by the settings test above.
    expect(await rows.filter({ hasText: "Current" }).locator("td:first-child, th").innerText()).toMatch(/^Fair share/);
    expect(await rows.filter({ hasText: "Fair share" }).locator("td").allInnerTexts()).toEqual([
      "33.3%",
      "7",
      "0",
      expect.stringMatching(/^\d\.\d$/),
      "3.0",
      "0",
      "$0.00",
      "",
    ]);
    // The losses the shop recorded in the same window, from the sum Analytics shows.
    const lost = await db.lostSale.aggregate({
      where: { shop: SHOP, at: { gte: new Date(Date.now() - 30 * DAY) } },
      _sum: { quantity: true },
    });
    await page
      .getByText(`Recorded in the same days (as Analytics shows): ${lost._sum.quantity ?? 0} units lost`)
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot("what-if");
  });
});

describe("restock dates in the browser", () => {
  it("lists the continue-selling variants, previews a CSV naming its bad row, then imports it fixed", async () => {
    await shopify.control.createProduct(SHOP, {
      title: "Walnut stool",
      variants: [{ sku: "STOOL", price: "55.00", inventoryPolicy: "CONTINUE", tracked: true }],
    });
    await openAdmin(page, app.origin, "/app/dates", SHOP);
    // The list is the app's own: the app's worker reads it from Shopify when asked (and every six hours).
    await page.getByRole("button", { name: "Refresh list" }).click();
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.getByText("Walnut stool", { exact: true }).count();
        },
        { timeout: 20_000 },
      )
      .toBe(1);
    expect(await seriousViolations(page)).toEqual([]);

    const csv = page.getByLabel(/^CSV: a header row/);
    await csv.fill("sku,date\nSTOOL,2099-02-30\n");
    await page.getByRole("button", { name: "Preview" }).click();
    await page.getByText("1 row to fix").waitFor();
    await page.getByText('"2099-02-30" is not a date like 2026-12-31').waitFor();
    expect(await page.getByRole("button", { name: "Import" }).isDisabled()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot("restock-dates-preview");

    await csv.fill("sku,date\nSTOOL,2099-02-28\n");
    await page.getByRole("button", { name: "Preview" }).click();
    await page.getByRole("cell", { name: "OK" }).waitFor();
    await page.getByRole("button", { name: "Import" }).click();
    await expect
      .poll(async () => (await db.restockDate.findMany({ where: { shop: SHOP } })).map((r) => [r.sku, r.expectedAt]))
      .toEqual([["STOOL", new Date("2099-02-28T00:00:00Z")]]);
    await page.reload();
    await page.getByText("2099-02-28").first().waitFor();
    await screenshot("restock-dates");
  }, 60_000);
});
