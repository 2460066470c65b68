/**
 * The demo: the seed scenario's story (test/fixtures/scenarios/seed.json) played through the live stack as
 * replay:live plays it (test/live/play.ts), told after each step as Shopify shows it, read from Local Shopify's
 * state (./timeline.ts). Then, unless told not to, the stack keeps serving the admin frame and the storefront.
 */
import path from "node:path";

import type { Scenario, ScenarioEvent } from "../../app/domain";
import { loadScenarioFile } from "../../app/simulator/load";
import { routeData } from "../live/route-data";
import { playScenario, SHOP } from "../live/play";
import { ROOT, type LiveStack } from "../live/stack";
import { changes, money, summary, viewOf, when, type ShopView, type StateShop } from "./timeline";

/** replay:live's shop: the demo is a replay of the seed, told as it goes. */
export const DEMO_SHOP = SHOP;
export const SEED = path.join(ROOT, "test/fixtures/scenarios/seed.json");
/** The seed's one item, as the demo shop sells it. */
export const PRODUCT = { title: "Trail runner", handle: "trail-runner" };

export interface DemoUrls {
  admin: string;
  storefront: string;
  collection: string;
}

export interface DemoOptions {
  /** Where the story goes, line by line. */
  write: (line: string) => void;
  /**
   * After the story, with the stack still up: the demo serves until this resolves (the CLI: until Ctrl-C;
   * screenshots: until they are taken; --no-serve: at once). Tests read Local Shopify's state here.
   */
  whileServing: (stack: LiveStack, urls: DemoUrls) => Promise<void>;
  /** A migrated SQLite file to start from (tests pass the run's base database). */
  baseDatabase?: string;
}

/** After the story everything has shipped or been lost: one more order leaves the pages something waiting. */
export const EPILOGUE_ORDER = "1008";

export function demoScenario(): Scenario {
  const loaded = loadScenarioFile(SEED);
  if (!loaded.ok) throw new Error(loaded.message);
  const { scenario } = loaded;
  const last = scenario.events.at(-1)!;
  const sku = scenario.items[0]!.sku;
  return {
    ...scenario,
    // The seed names its item by SKU only; the demo shop sells it as one product.
    items: scenario.items.map((item) => ({ ...item, productId: PRODUCT.title })),
    events: [
      ...scenario.events,
      {
        at: last.at + 9 * 3_600_000,
        type: "order",
        id: EPILOGUE_ORDER,
        tags: [],
        shipBy: null,
        lines: [{ sku, quantity: 2 }],
      },
    ],
  };
}

async function shopState(stack: LiveStack): Promise<StateShop> {
  const state = await stack.shopify.control.state();
  const shop = state.shops.find((candidate) => candidate.domain === DEMO_SHOP);
  if (!shop) throw new Error(`Local Shopify has no shop ${DEMO_SHOP}`);
  return shop as unknown as StateShop;
}

function describeEvent(event: ScenarioEvent, orderName: (id: string) => string, scenario: Scenario): string {
  const policy = scenario.settings.allocationPolicy.replace("_", " ");
  switch (event.type) {
    case "order":
      return `${orderName(event.id)} orders ${event.lines.map((l) => `${l.quantity} × ${PRODUCT.title}`).join(", ")}`;
    case "allocate":
      return `Cut-off: the merchant runs the day's allocation (${policy}) from the Backorders page`;
    case "restock":
      return `Restock: ${event.quantity} × ${PRODUCT.title} arrive`;
    case "cancel":
      return `The customer of ${orderName(event.orderId)} cancels what has not shipped`;
    case "tick":
      return "Time passes; the app's hourly deadline sweeps run on the way";
    case "consent":
      return `The customer of ${orderName(event.orderId)} agrees to wait longer`;
  }
}

/** The lost sales the app recorded, as its Analytics page shows them over 90 days. */
async function lostSales(stack: LiveStack): Promise<string> {
  const response = await stack.adminFetch(DEMO_SHOP, "/app/analytics.data?days=90");
  const data = routeData<{ lostUnits: number; lostCents: number; byReason: { title: string; units: number }[] }>(
    await response.text(),
    "routes/app.analytics",
  );
  const reasons = data.byReason.map((r) => `${r.title} ${r.units}`).join(", ");
  return `The app recorded ${data.lostUnits} lost units (${money(data.lostCents)}): ${reasons} (Analytics).`;
}

export async function runDemo(options: DemoOptions): Promise<void> {
  const { write } = options;
  const scenario = demoScenario();
  const sku = scenario.items[0]!.sku;
  const item = scenario.items[0]!;
  write(`Backorder Keeper: the seed's story (${path.relative(ROOT, SEED)}) on Local Shopify and the built app.`);
  write(
    `${DEMO_SHOP} sells ${PRODUCT.title} (SKU ${sku}, ${money(item.price * 100)}): ${item.available} in stock, ` +
      `continue selling; policy ${scenario.settings.allocationPolicy}, ${scenario.settings.allocationWindow} cut-off.`,
  );
  // Before the first order: the shop as set up, with the seed's stock and no orders.
  let before: ShopView = { available: item.available, orders: new Map(), refundTimes: new Map() };
  await playScenario(scenario, {
    baseDatabase: options.baseDatabase,
    afterEvent: async (stack, event, orders) => {
      const shop = await shopState(stack);
      const names = new Map(shop.orders.map((order) => [order.id, order.name]));
      const orderName = (id: string) => names.get(orders.get(id)?.orderId ?? -1) ?? `order ${id}`;
      const after = viewOf(shop, sku);
      write("");
      if (event.type === "order" && event.id === EPILOGUE_ORDER)
        write("After the story, so the pages have a backlog to show:");
      write(`${when(new Date(event.at).toISOString())}  ${describeEvent(event, orderName, scenario)}`);
      for (const line of changes(before, after, PRODUCT.title)) write(`             ${line}`);
      before = after;
    },
    inspect: async (stack) => {
      write("");
      write("What Shopify shows at the end:");
      for (const line of summary(viewOf(await shopState(stack), sku))) write(`  ${line}`);
      write(await lostSales(stack));
      const origin = stack.shopify.origin;
      const storefront = `${origin}/storefront/${DEMO_SHOP}`;
      await options.whileServing(stack, {
        admin: `${origin}/admin/${DEMO_SHOP}/apps/backorder-keeper`,
        storefront: `${storefront}/products/${PRODUCT.handle}`,
        collection: `${storefront}/collections/all`,
      });
    },
  });
}
