import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { env } from "~/env.server";

import { startPipeline, type Pipeline } from "./harness";
import { orderOnShopify } from "./story";

const SHOP = "during-detection.myshopify.com";

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
    pipeline = await startPipeline();
    env.SHOPIFY_ADMIN_API_ORIGIN = pipeline.shopify.origin;
    const { locationId } = await pipeline.install(SHOP);
    const product = await pipeline.shopify.control.createProduct(SHOP, {
      title: "Canvas tote",
      variants: [
        { sku: "TOTE", price: "25.00", inventoryPolicy: "CONTINUE", tracked: true, available: { [locationId]: 0 } },
      ],
    });
    const place = async () =>
      orders.push(
        await pipeline.shopify.control.placeOrder(SHOP, {
          customer: { email: `c${orders.length}@example.com` },
          lines: [{ variantId: product.variants[0]!.id, quantity: 1 }],
        }),
      );
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
