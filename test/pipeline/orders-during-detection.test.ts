import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { env } from "~/env.server";

import { startPipeline, type Pipeline } from "./harness";
import { orderOnShopify } from "./story";

const SHOP = "during-detection.myshopify.com";

/** A shop selling one tracked, continue-selling variant with `available` units, and a way to order one unit of it. */
async function toteShop(shop: string, available: number) {
  const pipeline = await startPipeline();
  env.SHOPIFY_ADMIN_API_ORIGIN = pipeline.shopify.origin;
  const { locationId } = await pipeline.install(shop);
  const product = await pipeline.shopify.control.createProduct(shop, {
    title: "Canvas tote",
    variants: [
      {
        sku: "TOTE",
        price: "25.00",
        inventoryPolicy: "CONTINUE",
        tracked: true,
        available: { [locationId]: available },
      },
    ],
  });
  let placed = 0;
  const place = () =>
    pipeline.shopify.control.placeOrder(shop, {
      customer: { email: `c${placed++}@example.com` },
      lines: [{ variantId: product.variants[0]!.id, quantity: 1 }],
    });
  return { pipeline, place };
}

/**
 * Detection adds back what orders placed after this one committed (docs/decisions/0008-backorder-processing.md):
 * an order placed on Shopify while the app reads that list is not in the level the app read before it, and must
 * not count as stock this order had. Seen on PostgreSQL with separate workers, which start on a burst's first
 * orders while the rest are still being placed.
 */
describe("an order placed while a new order's detection reads Shopify", () => {
  let pipeline: Pipeline;
  const orders: { id: number; gid: string; name: string }[] = [];

  beforeAll(async () => {
    const tote = await toteShop(SHOP, 0);
    pipeline = tote.pipeline;
    const place = async () => orders.push(await tote.place());
    await place();
    await place();
    let placedMeanwhile = false;
    pipeline.beforeAdminCall(async (shop, operation) => {
      if (shop !== SHOP || operation !== "BackorderLaterOrders" || placedMeanwhile) return;
      placedMeanwhile = true;
      await place();
    });
    await pipeline.drain();
    pipeline.beforeAdminCall(null);
    expect(placedMeanwhile).toBe(true);
  });

  afterAll(async () => {
    await pipeline.stop();
  });

  it("holds every order of a variant with no stock: the first is not shipped on the units of one placed after the app read the level", async () => {
    const onShopify = await Promise.all(orders.map((order) => orderOnShopify(pipeline, SHOP, order)));
    expect(onShopify).toEqual(orders.map(({ name }) => ({ name, released: 0, held: 1, holds: 1 })));
  });
});

/**
 * The same race beside an earlier order that shipped from stock: the app keeps no record of it, so only Shopify's
 * own reads, taken together, tell which committed units belong to orders placed after this one.
 */
describe.each([
  { when: "while the first page of later orders is read", laterOrders: 0, page: 1 },
  { when: "between two pages of later orders", laterOrders: 4, page: 2 },
])("an order placed $when, after an earlier order took the last unit", ({ laterOrders, page }) => {
  const shop = `shipped-earlier-${page}.myshopify.com`;
  let pipeline: Pipeline;
  const orders: { id: number; gid: string; name: string }[] = [];
  let placedMeanwhile: { id: number; gid: string; name: string } | null = null;

  beforeAll(async () => {
    const tote = await toteShop(shop, 1);
    pipeline = tote.pipeline;
    const { place } = tote;
    // The first order ships before the others are placed, so no read of later orders lists the second but its own.
    orders.push(await place());
    await pipeline.drain();
    for (let i = 0; i < 1 + laterOrders; i++) orders.push(await place());
    // Webhooks arrive in any order: the second order's detection is the one after a routing read of its own.
    const [second] = await pipeline.shopify.control.fulfillmentOrders(shop, orders[1]!.id);
    let detecting: unknown = null;
    let pages = 0;
    pipeline.beforeAdminCall(async (hookShop, operation, variables) => {
      if (hookShop !== shop || placedMeanwhile) return;
      if (operation.startsWith("BackorderRoutedOrder")) detecting = variables.id;
      if (operation !== "BackorderLaterOrders" || detecting !== `gid://shopify/FulfillmentOrder/${second!.id}`) return;
      if (++pages === page) placedMeanwhile = await place();
    });
    await pipeline.drain();
    pipeline.beforeAdminCall(null);
    expect(placedMeanwhile).not.toBeNull();
  });

  afterAll(async () => {
    await pipeline.stop();
  });

  it("ships the unit to the first order only, and holds every order placed after it", async () => {
    const all = [...orders, placedMeanwhile!];
    const onShopify = await Promise.all(all.map((order) => orderOnShopify(pipeline, shop, order)));
    expect(onShopify).toEqual(
      all.map(({ name }, i) =>
        i === 0 ? { name, released: 1, held: 0, holds: 0 } : { name, released: 0, held: 1, holds: 1 },
      ),
    );
  });
});

describe("a burst of orders on a variant that runs out", () => {
  const shop = "burst-reads.myshopify.com";
  let pipeline: Pipeline;
  const orders: { id: number; gid: string; name: string }[] = [];

  beforeAll(async () => {
    const tote = await toteShop(shop, 4);
    pipeline = tote.pipeline;
    const { place } = tote;
    for (let i = 0; i < 12; i++) orders.push(await place());
    await pipeline.drain();
  });

  afterAll(async () => {
    await pipeline.stop();
  });

  it("ships the first four and holds the other eight", async () => {
    const onShopify = await Promise.all(orders.map((order) => orderOnShopify(pipeline, shop, order)));
    expect(onShopify).toEqual(
      orders.map(({ name }, i) =>
        i < 4 ? { name, released: 1, held: 0, holds: 0 } : { name, released: 0, held: 1, holds: 1 },
      ),
    );
  });

  it("reads the orders placed after each one a few times for the whole burst, not once per order", () => {
    const reads = pipeline.calls.filter((call) => call.shop === shop && call.operation === "BackorderLaterOrders");
    expect(reads.length).toBeLessThan(12);
  });
});
