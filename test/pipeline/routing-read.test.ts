import { afterAll, beforeAll, describe, expect, it } from "vitest";

import db from "~/db.server";

import { startPipeline, type Pipeline } from "./harness";
import { orderOnShopify, records } from "./story";

const SHOP = "two-locations.myshopify.com";

/**
 * Routing's cut-down read (BackorderRoutedOrder) takes the lines from the routed fulfillment order, which
 * holds every unfulfilled line only when it is the order's one fulfillment order. An order routed to two
 * locations must still have every backordered line detected and held, at both.
 */
describe("routing's read of an order split over two locations", () => {
  let pipeline: Pipeline;
  let order: { id: number; name: string };

  beforeAll(async () => {
    pipeline = await startPipeline();
    const { locationId } = await pipeline.install(SHOP, { allocationPolicy: "fifo", allocationWindow: "immediate" });
    const overflow = await pipeline.shopify.control.addLocation(SHOP, "Overflow");
    const stocked = (title: string, sku: string, at: number) =>
      pipeline.shopify.control.createProduct(SHOP, {
        title,
        variants: [{ sku, price: "20.00", inventoryPolicy: "CONTINUE", tracked: true, available: { [String(at)]: 0 } }],
      });
    const board = await stocked("Board", "BOARD", locationId);
    const knife = await stocked("Knife", "KNIFE", overflow.id);
    order = await pipeline.shopify.control.placeOrder(SHOP, {
      customer: { email: "split@example.com" },
      lines: [
        { variantId: board.variants[0]!.id, quantity: 2 },
        { variantId: knife.variants[0]!.id, quantity: 1 },
      ],
    });
    await pipeline.drain();
  });

  afterAll(async () => {
    await pipeline.stop();
  });

  it("reads the order whole and holds the waiting units on both fulfillment orders", async () => {
    expect((await pipeline.shopify.control.fulfillmentOrders(SHOP, order.id)).length).toBe(2);
    expect(await orderOnShopify(pipeline, SHOP, order)).toEqual({ name: order.name, released: 0, held: 3, holds: 2 });
    expect((await records(SHOP)).lines.map((line) => [line.order, line.backordered]).sort()).toEqual([
      [order.name, 1],
      [order.name, 2],
    ]);
    expect(pipeline.calls.filter((call) => call.shop === SHOP).map((call) => call.operation)).toContain(
      "BackorderOrder",
    );
  });
});

/**
 * The routing read takes no product from Shopify: each line's product comes from the order's own orders/create
 * payload in the inbox (a variant never changes product). Webhooks come in any order and can be lost: without
 * that payload, the order is read whole.
 */
describe("routing's read and the order's products", () => {
  let pipeline: Pipeline;
  let locationId: number;
  let variant: { id: number; gid: string };
  let productGid: string;
  const shop = "products.myshopify.com";

  beforeAll(async () => {
    pipeline = await startPipeline();
    ({ locationId } = await pipeline.install(shop, { allocationPolicy: "fifo", allocationWindow: "immediate" }));
    const product = await pipeline.shopify.control.createProduct(shop, {
      title: "Lamp",
      variants: [
        { sku: "LAMP", price: "40.00", inventoryPolicy: "CONTINUE", tracked: true, available: { [locationId]: 0 } },
      ],
    });
    variant = product.variants[0]!;
    productGid = product.gid;
  });

  afterAll(async () => {
    await pipeline.stop();
  });

  const productsOf = async (orderGid: string) =>
    (await db.backorderLine.findMany({ where: { shop, orderId: orderGid }, select: { productId: true } })).map(
      (line) => line.productId,
    );

  it("takes the product from the recorded orders/create payload: one read, no whole read", async () => {
    const before = pipeline.calls.length;
    const order = await pipeline.shopify.control.placeOrder(shop, {
      customer: { email: "lamp@example.com" },
      lines: [{ variantId: variant.id, quantity: 1 }],
    });
    await pipeline.drain();
    const reads = pipeline.calls
      .slice(before)
      .filter((call) => call.operation.startsWith("BackorderRouted") || call.operation === "BackorderOrder");
    // 9 before stock was read per location; + 2 for the fulfillment order's location, + 5 for the item's level
    // there; + 3 for the shop's locations, read once (the next routing read takes the level at the one location).
    expect(reads.map((call) => [call.operation, call.actualCost])).toEqual([["BackorderRoutedOrder", 19]]);
    expect(await productsOf(order.gid)).toEqual([productGid]);
  });

  it("reads the order whole when its orders/create never arrived, and still records the product", async () => {
    pipeline.refuseTopics(["orders/create"]);
    const before = pipeline.calls.length;
    const order = await pipeline.shopify.control.placeOrder(shop, {
      customer: { email: "lamp2@example.com" },
      lines: [{ variantId: variant.id, quantity: 1 }],
    });
    await pipeline.drain();
    pipeline.refuseTopics([]);
    const operations = pipeline.calls.slice(before).map((call) => call.operation);
    expect(operations.slice(0, 2)).toEqual(["BackorderRoutedOrderAt", "BackorderOrder"]);
    expect(await productsOf(order.gid)).toEqual([productGid]);
    expect(await orderOnShopify(pipeline, shop, order)).toMatchObject({ held: 1, holds: 1 });
  });
});

/**
 * A shop with one location: the first routing read learns it (the shop's locations, two at most), and later
 * reads take each item's level there (BackorderRoutedOrderAt) instead of a connection over its levels. The
 * hint is checked against each fulfillment order's assigned location: an order routed to a location added
 * since is read at that location, one call more, and never with the old location's stock.
 */
describe("routing's read at a shop's one location", () => {
  let pipeline: Pipeline;
  let locationId: number;
  let lamp: { id: number };
  const shop = "one-location.myshopify.com";
  const routingReads = (from: number) =>
    pipeline.calls
      .slice(from)
      .filter((call) => call.operation.startsWith("BackorderRouted") || call.operation.startsWith("BackorderItem"))
      .map((call) => [call.operation, call.actualCost]);
  const place = async (variantId: number, email: string) => {
    const order = await pipeline.shopify.control.placeOrder(shop, {
      customer: { email },
      lines: [{ variantId, quantity: 1 }],
    });
    await pipeline.drain();
    return order;
  };

  beforeAll(async () => {
    pipeline = await startPipeline();
    ({ locationId } = await pipeline.install(shop, { allocationPolicy: "fifo", allocationWindow: "immediate" }));
    const product = await pipeline.shopify.control.createProduct(shop, {
      title: "Lamp",
      variants: [
        { sku: "LAMP", price: "40.00", inventoryPolicy: "CONTINUE", tracked: true, available: { [locationId]: 0 } },
      ],
    });
    lamp = product.variants[0]!;
  });

  afterAll(async () => {
    await pipeline.stop();
  });

  it("learns the one location with the first read, then reads each item's level there: 19, then 13 points", async () => {
    const before = pipeline.calls.length;
    const first = await place(lamp.id, "first@example.com");
    const second = await place(lamp.id, "second@example.com");
    expect(routingReads(before)).toEqual([
      ["BackorderRoutedOrder", 19],
      ["BackorderRoutedOrderAt", 13],
    ]);
    expect((await records(shop)).lines.map((line) => [line.order, line.backordered])).toEqual([
      [first.name, 1],
      [second.name, 1],
    ]);
    expect(await orderOnShopify(pipeline, shop, second)).toMatchObject({ held: 1, holds: 1 });
  });

  it("reads an order routed to a location added since at that location, and then every item's levels", async () => {
    const overflow = await pipeline.shopify.control.addLocation(shop, "Overflow");
    const vase = await pipeline.shopify.control.createProduct(shop, {
      title: "Vase",
      variants: [
        { sku: "VASE", price: "30.00", inventoryPolicy: "CONTINUE", tracked: true, available: { [overflow.id]: 5 } },
      ],
    });
    const before = pipeline.calls.length;
    // Routed to Overflow, which has 5: the old location's level (none) must not make it wait.
    const stocked = await place(vase.variants[0]!.id, "vase@example.com");
    // 12: the vase has no level at the old location (null, 1 point instead of the level and its quantities).
    expect(routingReads(before)).toEqual([
      ["BackorderRoutedOrderAt", 12],
      ["BackorderItemLevels", expect.any(Number)],
    ]);
    expect(await orderOnShopify(pipeline, shop, stocked)).toMatchObject({ held: 0, holds: 0 });
    expect((await records(shop)).lines.map((line) => line.order)).not.toContain(stocked.name);

    // The shop has two locations now: the read takes every level of the item again (16), and still holds.
    const next = pipeline.calls.length;
    const waiting = await place(lamp.id, "third@example.com");
    expect(routingReads(next)).toEqual([["BackorderRoutedOrder", 16]]);
    expect(await orderOnShopify(pipeline, shop, waiting)).toMatchObject({ held: 1, holds: 1 });
  });
});
