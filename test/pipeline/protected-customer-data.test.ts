import { afterAll, beforeAll, describe, expect, it } from "vitest";

import db from "~/db.server";

import { startPipeline, type Pipeline } from "./harness";
import { orderOnShopify } from "./story";

/**
 * Shopify withholds protected customer data from an app without approval (an ACCESS_DENIED error and null).
 * The pipeline needs none of it to hold, share and release stock: at level 0 it runs without the Customer
 * object, at level 1 without names; only the records' customer columns stay empty.
 */
describe("the pipeline without protected customer data approval", () => {
  let pipeline: Pipeline;

  beforeAll(async () => {
    pipeline = await startPipeline();
  });

  afterAll(async () => {
    await pipeline.stop();
  });

  for (const level of [0, 1, 2] as const) {
    it(`level ${level}: detects, holds and releases; the customer columns hold only what Shopify gave`, async () => {
      const shop = `protected-${level}.myshopify.com`;
      const { locationId } = await pipeline.install(shop, { allocationPolicy: "fifo", allocationWindow: "immediate" });
      await pipeline.shopify.control.setProtectedCustomerData(shop, level);
      const product = await pipeline.shopify.control.createProduct(shop, {
        title: "Blanket",
        variants: [
          {
            sku: "BLANKET",
            price: "40.00",
            inventoryPolicy: "CONTINUE",
            tracked: true,
            available: { [locationId]: 0 },
          },
        ],
      });
      const variant = product.variants[0]!;
      const order = await pipeline.shopify.control.placeOrder(shop, {
        customer: { email: "grace@example.com", firstName: "Grace", lastName: "Hopper" },
        lines: [{ variantId: variant.id, quantity: 2 }],
      });
      await pipeline.drain();
      expect(await orderOnShopify(pipeline, shop, order)).toEqual({ name: order.name, released: 0, held: 2, holds: 1 });
      const [row] = await db.backorderLine.findMany({ where: { shop } });
      expect([row!.backorderedQty, row!.customerId !== null, row!.customerName]).toEqual([
        2,
        level >= 1,
        level === 2 ? "Grace Hopper" : null,
      ]);

      await pipeline.shopify.control.adjustInventory(shop, {
        inventoryItemId: variant.inventoryItemId,
        locationId,
        delta: 2,
      });
      await pipeline.drain();
      expect(await orderOnShopify(pipeline, shop, order)).toEqual({ name: order.name, released: 2, held: 0, holds: 0 });
      expect(await db.job.count({ where: { shop, status: "dead" } })).toBe(0);
    });
  }
});
