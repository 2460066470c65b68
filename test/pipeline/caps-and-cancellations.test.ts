import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startPipeline, type Pipeline } from "./harness";
import { records } from "./story";

const SHOP = "cancellations.myshopify.com";

/** The order's line-status metafield as Shopify holds it. */
async function lineStatus(pipeline: Pipeline, orderId: number) {
  const state = await pipeline.shopify.control.state();
  const shop = state.shops.find((s) => (s as { domain?: string }).domain === SHOP) as {
    metafields: { ownerId: string; key: string; value: string }[];
  };
  const metafield = shop.metafields.find(
    (m) => m.ownerId === `gid://shopify/Order/${orderId}` && m.key === "backorder",
  );
  return (JSON.parse(metafield!.value) as { lines: Record<string, unknown>[] }).lines;
}

/**
 * Who cancelled is Shopify's `cancelReason`: CUSTOMER is the customer's cancellation, any other reason the
 * merchant's. The order's line-status metafield then says what was lost and why.
 */
describe("an order cancelled on Shopify", () => {
  let pipeline: Pipeline;
  let variantId: number;

  beforeAll(async () => {
    pipeline = await startPipeline();
    const { locationId } = await pipeline.install(SHOP, { backorderCap: 3 });
    const product = await pipeline.shopify.control.createProduct(SHOP, {
      title: "Wool blanket",
      variants: [{ sku: "WOOL", price: "80.00", inventoryPolicy: "CONTINUE", available: { [String(locationId)]: 0 } }],
    });
    variantId = product.variants[0]!.id;
  });

  afterAll(async () => {
    await pipeline.stop();
  });

  it("GIVEN the merchant cancels for lack of stock THEN the units are merchant_cancelled, on Shopify too", async () => {
    const order = await pipeline.shopify.control.placeOrder(SHOP, {
      customer: { email: "a@example.com" },
      lines: [{ variantId, quantity: 2 }],
    });
    await pipeline.drain();
    await pipeline.shopify.control.cancelOrder(SHOP, order.id, { reason: "INVENTORY", restock: true });
    await pipeline.drain();

    expect((await records(SHOP)).lostSales).toEqual([
      { order: order.name, quantity: 2, reason: "merchant_cancelled", cents: 8000 },
    ]);
    expect(await lineStatus(pipeline, order.id)).toEqual([
      expect.objectContaining({
        status: "cancelled",
        lost: 2,
        lostReason: "merchant_cancelled",
        losses: { merchant_cancelled: 2 },
      }),
    ]);
  });

  it("GIVEN units already lost at the cap, then the customer cancels THEN the line keeps its first reason and both losses", async () => {
    const order = await pipeline.shopify.control.placeOrder(SHOP, {
      customer: { email: "b@example.com" },
      lines: [{ variantId, quantity: 5 }],
    });
    await pipeline.drain();
    await pipeline.shopify.control.cancelOrder(SHOP, order.id, { reason: "CUSTOMER", restock: true });
    await pipeline.drain();

    const lost = (await records(SHOP)).lostSales.filter((sale) => sale.order === order.name);
    expect(lost).toEqual([
      { order: order.name, quantity: 2, reason: "cap_reached", cents: 8000 },
      { order: order.name, quantity: 3, reason: "customer_cancelled", cents: 8000 },
    ]);
    expect(await lineStatus(pipeline, order.id)).toEqual([
      expect.objectContaining({
        lost: 5,
        lostReason: "cap_reached",
        losses: { cap_reached: 2, customer_cancelled: 3 },
      }),
    ]);
  });
});

describe("the customer cancels what has not shipped of a partly shipped order", () => {
  let pipeline: Pipeline;
  afterAll(async () => {
    await pipeline.stop();
  });

  it("GIVEN the merchant cancels the remainder at the customer's request THEN it is refunded and customer_cancelled", async () => {
    pipeline = await startPipeline();
    const shop = "customer-cancels.myshopify.com";
    const { locationId } = await pipeline.install(shop);
    const product = await pipeline.shopify.control.createProduct(shop, {
      title: "Linen shirt",
      variants: [{ sku: "SHIRT", price: "60.00", inventoryPolicy: "CONTINUE", available: { [String(locationId)]: 1 } }],
    });
    const order = await pipeline.shopify.control.placeOrder(shop, {
      customer: { email: "e@example.com" },
      lines: [{ variantId: product.variants[0]!.id, quantity: 3 }],
    });
    await pipeline.drain();
    const { default: db } = await import("~/db.server");
    const line = await db.backorderLine.findFirstOrThrow({ where: { shop } });
    await pipeline.enqueue(shop, "cancel_remainder", { backorderLineIds: [line.id], reason: "customer_cancelled" });
    await pipeline.drain();

    expect((await records(shop)).lostSales).toEqual([
      { order: order.name, quantity: 2, reason: "customer_cancelled", cents: 6000 },
    ]);
    const state = await pipeline.shopify.control.state();
    const onShopify = state.shops.find((s) => (s as { domain?: string }).domain === shop) as {
      orders: { lineItems: { currentQuantity: number }[] }[];
      metafields: { ownerId: string; value: string }[];
    };
    expect(onShopify.orders[0]!.lineItems[0]!.currentQuantity).toBe(1);
    const status = onShopify.metafields.find((m) => m.ownerId === `gid://shopify/Order/${order.id}`)!;
    expect(JSON.parse(status.value).lines).toEqual([
      expect.objectContaining({ lost: 2, lostReason: "customer_cancelled", losses: { customer_cancelled: 2 } }),
    ]);
  });
});

describe("a variant the merchant set to stop selling, in a shop with a backorder cap", () => {
  let pipeline: Pipeline;
  afterAll(async () => {
    await pipeline.stop();
  });

  it("GIVEN it ships in a held order beside a backordered line THEN the app never makes it continue selling", async () => {
    pipeline = await startPipeline();
    const shop = "stop-selling.myshopify.com";
    const { locationId } = await pipeline.install(shop, { backorderCap: 4, partialShipment: "ship_complete" });
    const product = await pipeline.shopify.control.createProduct(shop, {
      title: "Print",
      variants: [
        { sku: "TABLE", price: "450.00", inventoryPolicy: "CONTINUE", available: { [String(locationId)]: 0 } },
        { sku: "POSTER", price: "15.00", inventoryPolicy: "DENY", available: { [String(locationId)]: 5 } },
      ],
    });
    await pipeline.shopify.control.placeOrder(shop, {
      customer: { email: "c@example.com" },
      lines: [
        { variantId: product.variants[0]!.id, quantity: 1 },
        { variantId: product.variants[1]!.id, quantity: 2 },
      ],
    });
    await pipeline.drain();

    const state = await pipeline.shopify.control.state();
    const variants = (
      state.shops.find((s) => (s as { domain?: string }).domain === shop) as {
        variants: { sku: string; inventoryPolicy: string }[];
      }
    ).variants;
    expect(variants.map((v) => [v.sku, v.inventoryPolicy])).toEqual([
      ["TABLE", "CONTINUE"],
      ["POSTER", "DENY"],
    ]);
  });
});

describe("a per-variant backorder cap", () => {
  let pipeline: Pipeline;
  afterAll(async () => {
    await pipeline.stop();
  });

  it("GIVEN a variant capped at 2 and no shop cap WHEN 3 are ordered out of stock THEN 2 wait and 1 is refunded", async () => {
    pipeline = await startPipeline();
    const shop = "variant-cap.myshopify.com";
    const { locationId } = await pipeline.install(shop);
    const product = await pipeline.shopify.control.createProduct(shop, {
      title: "Oak table",
      variants: [
        { sku: "TABLE", price: "450.00", inventoryPolicy: "CONTINUE", available: { [String(locationId)]: 0 } },
      ],
    });
    const { default: db } = await import("~/db.server");
    const { getSettings, saveSettings } = await import("~/models/settings.server");
    await saveSettings(db, shop, { ...(await getSettings(db, shop)), variantCaps: { [product.variants[0]!.gid]: 2 } });
    const order = await pipeline.shopify.control.placeOrder(shop, {
      customer: { email: "d@example.com" },
      lines: [{ variantId: product.variants[0]!.id, quantity: 3 }],
    });
    await pipeline.drain();

    expect((await records(shop)).lines).toEqual([
      expect.objectContaining({ order: order.name, backordered: 2, lost: 1, lostReason: "cap_reached" }),
    ]);
  });
});
