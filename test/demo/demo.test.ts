import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";

import { beforeAll, describe, expect, it } from "vitest";

import { buildApp } from "../browser/support";
import type { AdminLogEntry } from "../shopify-local/control/routes";
import { BASE_DB, TMP_DIR } from "../setup/global-setup";
import { DEMO_SHOP, EPILOGUE_ORDER, runDemo, type DemoUrls } from "./demo";
import { summary, viewOf, type StateShop } from "./timeline";

/**
 * `npm run demo -- --no-serve`'s story, run in this process as the CLI runs it, then checked against Local
 * Shopify's own state and Admin request log, read while the stack still serves.
 */
interface Seen {
  shop: StateShop;
  adminLog: AdminLogEntry[];
  urls: DemoUrls;
  pages: Record<string, { status: number; text: string }>;
}

const lines: string[] = [];
let seen: Seen;

beforeAll(async () => {
  await buildApp();
  await runDemo({
    write: (line) => lines.push(line),
    baseDatabase: BASE_DB,
    whileServing: async (stack, urls) => {
      const state = await stack.shopify.control.state();
      const pages: Seen["pages"] = {};
      for (const [name, url] of Object.entries(urls)) {
        const response = await fetch(url);
        pages[name] = { status: response.status, text: await response.text() };
      }
      seen = {
        shop: state.shops.find((s) => s.domain === DEMO_SHOP) as unknown as StateShop,
        adminLog: await stack.shopify.control.adminLog({ shop: DEMO_SHOP }),
        urls,
        pages,
      };
    },
  });
}, 600_000);

const printed = (pattern: RegExp) => lines.filter((line) => pattern.test(line));

describe("npm run demo: the seed's story, told as Shopify shows it", () => {
  it("GIVEN the story's end THEN the printed table is Local Shopify's state, and the seed's fair-share outcome", () => {
    const table = summary(viewOf(seen.shop, "SHOE-42"));
    const at = lines.indexOf("What Shopify shows at the end:");
    expect(lines.slice(at + 1, at + 1 + table.length)).toEqual(table.map((row) => `  ${row}`));
    const orders = [...viewOf(seen.shop, "SHOE-42").orders.values()];
    // test/fixtures/scenarios/seed.expected.json, fair_share: shipped 3,3,2,2,1,1,1 and the rest lost; then #1008.
    expect(orders.map((o) => [o.name, o.fulfilled, o.onHold, o.removed])).toEqual([
      ["#1001", 3, 0, 0],
      ["#1002", 3, 0, 0],
      ["#1003", 2, 0, 1],
      ["#1004", 2, 0, 1],
      ["#1005", 1, 0, 2],
      ["#1006", 1, 0, 2],
      ["#1007", 1, 0, 2],
      [`#${EPILOGUE_ORDER}`, 0, 2, 0],
    ]);
  });

  it("GIVEN the timeline THEN at the cut-off Shopify released 2,2,1,1,1,1,1, oldest first", () => {
    const cutoff = lines.findIndex((line) => line.includes("Cut-off"));
    const released = lines
      .slice(cutoff + 1, cutoff + 8)
      .map((line) => /(#\d+): hold released for (\d+)/.exec(line)?.slice(1));
    expect(released).toEqual([
      ["#1001", "2"],
      ["#1002", "2"],
      ["#1003", "1"],
      ["#1004", "1"],
      ["#1005", "1"],
      ["#1006", "1"],
      ["#1007", "1"],
    ]);
  });

  it("GIVEN the timeline THEN every hold, refund and tag it prints is one Shopify has", () => {
    const holds = seen.adminLog.filter((e) => e.operation?.includes("Hold") && !e.operation.includes("Release"));
    expect(holds.length).toBeGreaterThan(0);
    const heldOrders = new Set(printed(/put on hold/).map((line) => /(#\d+)/.exec(line)![1]));
    expect([...heldOrders].sort()).toEqual(seen.shop.orders.map((o) => o.name).sort());

    const refunds = printed(/refunded \$/).map((line) => Number(/refunded \$([\d.]+)/.exec(line)![1]));
    const refundIds = seen.shop.refunds.flatMap((r) => r.transactionIds);
    const refundedCents = seen.shop.transactions.filter((t) => refundIds.includes(t.id));
    expect(Math.round(refunds.reduce((a, b) => a + b, 0) * 100)).toBe(
      refundedCents.reduce((a, t) => a + t.amountCents, 0),
    );
    expect(refunds.length).toBe(seen.shop.refunds.length);

    const tagged = printed(/tagged "backordered"/).map((line) => /(#\d+)/.exec(line)![1]);
    expect(tagged.sort()).toEqual(seen.shop.orders.map((o) => o.name).sort());
  });

  it("GIVEN the lost sales THEN the app's Analytics shows the seed's 8 units, $960.00", () => {
    expect(printed(/^The app recorded/)).toEqual([
      expect.stringMatching(/^The app recorded 8 lost units \(\$960\.00\): .*\(Analytics\)\.$/),
    ]);
  });

  it("GIVEN the stack still serving THEN the admin frame and the storefront preview answer, with the badge", () => {
    expect(seen.pages.admin!.status).toBe(200);
    expect(seen.pages.admin!.text).toContain('<iframe name="app-iframe"');
    expect(seen.pages.storefront!.status).toBe(200);
    expect(seen.pages.storefront!.text).toMatch(/Backordered<\/span> — ships by \w+ \d{2}, 2026/);
    expect(seen.pages.collection!.status).toBe(200);
  });
});

describe("npm run demo on an older Node", () => {
  it("GIVEN Node 20 THEN it stops at once, exit 1, saying how to get Node 22", () => {
    const fake = path.join(TMP_DIR, "node-20.mjs");
    writeFileSync(fake, 'Object.defineProperty(process.versions, "node", { value: "20.11.1" });\n');
    const run = spawnSync("npm", ["run", "-s", "demo", "--", "--no-serve"], {
      env: { ...process.env, NODE_OPTIONS: `--import=${fake}` },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("This needs Node.js 22 (>=22.12, see .nvmrc); this is Node v20.11.1.");
    expect(run.stderr).toContain("npm install --prefix ~/.cache/backorder-keeper/node22 node@22");
    expect(run.stdout).toBe("");
  });
});
