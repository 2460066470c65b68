import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startPipeline, type Pipeline } from "./harness";
import { orderOnShopify, records } from "./story";

/**
 * Fulfillment orders held by the merchant (a fraud review) or by another app beside the app's backorder hold.
 * The app adds its hold to one already held, and only ever releases its own, by id.
 */
describe("holds alongside other holders", () => {
  let pipeline: Pipeline;

  beforeAll(async () => {
    pipeline = await startPipeline();
  });

  afterAll(async () => {
    await pipeline.stop();
  });

  async function backorderedOrder(shop: string) {
    const { locationId } = await pipeline.install(shop, { allocationPolicy: "fifo", allocationWindow: "immediate" });
    const product = await pipeline.shopify.control.createProduct(shop, {
      title: "Teapot",
      variants: [{ sku: "TEAPOT", price: "25.00", inventoryPolicy: "CONTINUE", tracked: true, available: {} }],
    });
    const variant = product.variants[0]!;
    const order = await pipeline.shopify.control.placeOrder(shop, {
      customer: { email: "a@example.com" },
      lines: [{ variantId: variant.id, quantity: 3 }],
    });
    await pipeline.shopify.control.settle();
    const [fo] = await pipeline.shopify.control.fulfillmentOrders(shop, order.id);
    const restock = (delta: number) =>
      pipeline.shopify.control.adjustInventory(shop, { inventoryItemId: variant.inventoryItemId, locationId, delta });
    return { order, foId: fo!.id, restock };
  }

  const holdsOn = async (shop: string, orderId: number) =>
    (await pipeline.shopify.control.fulfillmentOrders(shop, orderId)).flatMap((fo) =>
      fo.holds.map((h) => (h.appId === null ? "merchant" : h.handle.startsWith("backorder-") ? "ours" : "other")),
    );

  it("holds an order the merchant already holds, and the merchant's release first leaves the app's hold", async () => {
    const shop = "merchant-first.myshopify.com";
    const { order, foId, restock } = await backorderedOrder(shop);
    const merchant = await pipeline.shopify.control.holdFulfillmentOrder(shop, foId, {
      by: "merchant",
      reason: "HIGH_RISK_OF_FRAUD",
    });
    await pipeline.drain();
    expect(await holdsOn(shop, order.id)).toEqual(["merchant", "ours"]);
    expect((await records(shop)).lines.map((l) => l.backordered)).toEqual([3]);

    await pipeline.shopify.control.releaseFulfillmentOrder(shop, foId, { by: "merchant", holdIds: [merchant.id] });
    await pipeline.drain();
    expect(await orderOnShopify(pipeline, shop, order)).toEqual({ name: order.name, released: 0, held: 3, holds: 1 });
    await restock(3);
    await pipeline.drain();
    expect(await orderOnShopify(pipeline, shop, order)).toEqual({ name: order.name, released: 3, held: 0, holds: 0 });
  });

  it("releases only its own hold when stock comes while the merchant's hold remains", async () => {
    const shop = "merchant-last.myshopify.com";
    const { order, foId, restock } = await backorderedOrder(shop);
    await pipeline.drain();
    const merchant = await pipeline.shopify.control.holdFulfillmentOrder(shop, foId, {
      by: "merchant",
      reason: "INCORRECT_ADDRESS",
    });
    await restock(3);
    await pipeline.drain();
    expect(await holdsOn(shop, order.id)).toEqual(["merchant"]);
    expect((await records(shop)).lines.map((l) => [l.shipped, l.backordered])).toEqual([[3, 0]]);
    await pipeline.shopify.control.releaseFulfillmentOrder(shop, foId, { by: "merchant", holdIds: [merchant.id] });
    await pipeline.drain();
    expect(await orderOnShopify(pipeline, shop, order)).toEqual({ name: order.name, released: 3, held: 0, holds: 0 });
  });

  it("never releases another app's hold, and a partial release waits while it stays", async () => {
    const shop = "other-app.myshopify.com";
    const { order, foId, restock } = await backorderedOrder(shop);
    await pipeline.shopify.control.holdFulfillmentOrder(shop, foId, {
      by: { appId: 4242 },
      reason: "AWAITING_PAYMENT",
      handle: "payments",
    });
    await pipeline.drain();
    expect(await holdsOn(shop, order.id)).toEqual(["other", "ours"]);
    // Two of three: a re-hold of the waiting unit would be refused while the other app's hold stays.
    await restock(2);
    await pipeline.drain();
    expect(await holdsOn(shop, order.id)).toEqual(["other", "ours"]);
    expect((await records(shop)).lines.map((l) => [l.shipped, l.reserved, l.backordered])).toEqual([[0, 2, 1]]);
    await restock(1);
    await pipeline.drain();
    expect(await holdsOn(shop, order.id)).toEqual(["other"]);
    expect((await records(shop)).lines.map((l) => [l.shipped, l.backordered])).toEqual([[3, 0]]);
  });

  it("sees at reconciliation that the merchant released the app's hold while another remains (no webhook then)", async () => {
    const shop = "merchant-released-ours.myshopify.com";
    const { order, foId } = await backorderedOrder(shop);
    await pipeline.shopify.control.holdFulfillmentOrder(shop, foId, { by: { appId: 4242 }, reason: "OTHER" });
    await pipeline.drain();
    const fo = (await pipeline.shopify.control.fulfillmentOrders(shop, order.id))[0]!;
    const ours = fo.holds.find((h) => h.handle.startsWith("backorder-"))!;
    await pipeline.shopify.control.releaseFulfillmentOrder(shop, foId, { by: "merchant", holdIds: [ours.id] });
    await pipeline.drain();
    expect((await records(shop)).lines.map((l) => l.backordered)).toEqual([3]);
    await pipeline.enqueue(shop, "reconcile", {});
    await pipeline.drain();
    expect((await records(shop)).lines.map((l) => [l.shipped, l.backordered])).toEqual([[3, 0]]);
    expect(await holdsOn(shop, order.id)).toEqual(["other"]);
  });
});
