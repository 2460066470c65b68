import { afterAll, beforeAll, describe, expect, it } from "vitest";

import db from "~/db.server";

import { startPipeline, type Pipeline } from "./harness";
import { orderOnShopify, records } from "./story";

/**
 * Stock is per location: a fulfillment order can ship only what its assigned location has. Local Shopify's
 * checkout routes a CONTINUE line that no location can ship whole to the first location (no split: Shopify
 * splits only lines that stop selling when out of stock), so a shortage there can sit beside stock elsewhere.
 */
describe("stock per location", () => {
  let pipeline: Pipeline;

  beforeAll(async () => {
    pipeline = await startPipeline();
  });

  afterAll(async () => {
    await pipeline.stop();
  });

  async function shopWithTwoLocations(domain: string, atMain: number, atBackroom: number, moveToStock = false) {
    const { locationId } = await pipeline.install(domain, {
      allocationPolicy: "fifo",
      allocationWindow: "immediate",
      moveToStock,
    });
    const backroom = await pipeline.shopify.control.addLocation(domain, "Backroom");
    const product = await pipeline.shopify.control.createProduct(domain, {
      title: "Kettle",
      variants: [
        {
          sku: "KETTLE",
          price: "30.00",
          inventoryPolicy: "CONTINUE",
          tracked: true,
          available: { [String(locationId)]: atMain, [String(backroom.id)]: atBackroom },
        },
      ],
    });
    return { locationId, backroom, variant: product.variants[0]! };
  }

  it("holds a shortage at one location that stock at another hides in the sum, and a restock there releases nothing", async () => {
    const shop = "hidden-shortage.myshopify.com";
    const { backroom, variant } = await shopWithTwoLocations(shop, 1, 1);
    const order = await pipeline.shopify.control.placeOrder(shop, {
      customer: { email: "a@example.com" },
      lines: [{ variantId: variant.id, quantity: 2 }],
    });
    await pipeline.drain();
    // Main has 1 of the 2 units; Backroom's unit is not on this fulfillment order's shelf.
    expect(await orderOnShopify(pipeline, shop, order)).toEqual({ name: order.name, released: 1, held: 1, holds: 1 });
    expect((await records(shop)).lines.map((l) => [l.backordered, l.shipped])).toEqual([[1, 1]]);

    await pipeline.shopify.control.adjustInventory(shop, {
      inventoryItemId: variant.inventoryItemId,
      locationId: backroom.id,
      delta: 5,
    });
    await pipeline.drain();
    expect(await orderOnShopify(pipeline, shop, order)).toEqual({ name: order.name, released: 1, held: 1, holds: 1 });
    expect((await records(shop)).lines.map((l) => [l.backordered, l.shipped])).toEqual([[1, 1]]);
  });

  it("with moveToStock, stock arriving at another location moves the oldest waiting order there and releases it", async () => {
    const shop = "move-to-stock.myshopify.com";
    const { locationId, backroom, variant } = await shopWithTwoLocations(shop, 0, 0, true);
    const orders: { id: number; name: string }[] = [];
    for (const email of ["first@example.com", "second@example.com"]) {
      orders.push(
        await pipeline.shopify.control.placeOrder(shop, {
          customer: { email },
          lines: [{ variantId: variant.id, quantity: 2 }],
        }),
      );
    }
    await pipeline.drain();
    const at = async () => {
      const fos = await Promise.all(orders.map((order) => pipeline.shopify.control.fulfillmentOrders(shop, order.id)));
      return fos.map((list) => list.filter((fo) => fo.status !== "CLOSED").map((fo) => fo.locationId));
    };
    expect(await at()).toEqual([[locationId], [locationId]]);

    // Three units at Backroom: enough for the first order's two, not for the second's as well.
    await pipeline.shopify.control.adjustInventory(shop, {
      inventoryItemId: variant.inventoryItemId,
      locationId: backroom.id,
      delta: 3,
    });
    await pipeline.drain();
    expect(await at()).toEqual([[backroom.id], [locationId]]);
    expect(await orderOnShopify(pipeline, shop, orders[0]!)).toMatchObject({ released: 2, held: 0, holds: 0 });
    expect(await orderOnShopify(pipeline, shop, orders[1]!)).toMatchObject({ released: 0, held: 2, holds: 1 });
    const lines = await db.backorderLine.findMany({ where: { shop }, orderBy: { orderedAt: "asc" } });
    expect(lines.map((l) => [l.locationId, l.shippedQty, l.backorderedQty])).toEqual([
      [`gid://shopify/Location/${backroom.id}`, 2, 0],
      [`gid://shopify/Location/${locationId}`, 0, 2],
    ]);
  });

  it("a restock at the fulfillment order's own location releases it", async () => {
    const shop = "own-location.myshopify.com";
    const { locationId, variant } = await shopWithTwoLocations(shop, 0, 3);
    // 4 units: no location can ship them whole, so the line goes to Main (first), 4 short there.
    const order = await pipeline.shopify.control.placeOrder(shop, {
      customer: { email: "b@example.com" },
      lines: [{ variantId: variant.id, quantity: 4 }],
    });
    await pipeline.drain();
    expect(await orderOnShopify(pipeline, shop, order)).toEqual({ name: order.name, released: 0, held: 4, holds: 1 });
    await pipeline.shopify.control.adjustInventory(shop, {
      inventoryItemId: variant.inventoryItemId,
      locationId,
      delta: 4,
    });
    await pipeline.drain();
    expect(await orderOnShopify(pipeline, shop, order)).toEqual({ name: order.name, released: 4, held: 0, holds: 0 });
  });

  it("two orders racing for the last unit: only one of them is backordered", async () => {
    const shop = "last-unit.myshopify.com";
    const { variant } = await shopWithTwoLocations(shop, 1, 0);
    // Both placed before the app processes either: Shopify's `available` is -1 when each is read.
    const first = await pipeline.shopify.control.placeOrder(shop, {
      customer: { email: "c@example.com" },
      lines: [{ variantId: variant.id, quantity: 1 }],
    });
    const second = await pipeline.shopify.control.placeOrder(shop, {
      customer: { email: "d@example.com" },
      lines: [{ variantId: variant.id, quantity: 1 }],
    });
    await pipeline.drain();
    expect(await orderOnShopify(pipeline, shop, first)).toEqual({ name: first.name, released: 1, held: 0, holds: 0 });
    expect(await orderOnShopify(pipeline, shop, second)).toEqual({ name: second.name, released: 0, held: 1, holds: 1 });
    // Only the second order was ever backordered: the first has no record, no hold, no "backorder created".
    expect((await records(shop)).lines.map((l) => [l.order, l.backordered])).toEqual([[second.name, 1]]);
  });
});

/**
 * fulfillment_orders/moved, split, merged, cancelled and placed_on_hold restructure fulfillment orders; the
 * records follow them (fulfillment order, location, hold) before anything is counted as released or shared.
 */
describe("fulfillment orders the merchant restructures", () => {
  let pipeline: Pipeline;

  beforeAll(async () => {
    pipeline = await startPipeline();
  });

  afterAll(async () => {
    await pipeline.stop();
  });

  const MOVE = `mutation($id: ID!, $to: ID!) { fulfillmentOrderMove(id: $id, newLocationId: $to) {
    movedFulfillmentOrder { id } userErrors { message } } }`;
  const MERGE = `mutation($a: ID!, $b: ID!) { fulfillmentOrderMerge(fulfillmentOrderMergeInputs: [{ mergeIntents: [
    { fulfillmentOrderId: $a }, { fulfillmentOrderId: $b }] }]) { userErrors { message } } }`;

  async function admin(token: string, query: string, variables: Record<string, unknown>) {
    const response = await fetch(`${pipeline.shopify.origin}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data: Record<string, { userErrors: unknown[] }> };
  }

  it("a held fulfillment order moved to another location waits for that location's stock", async () => {
    const shop = "moved.myshopify.com";
    const { locationId, token } = await pipeline.install(shop, {
      allocationPolicy: "fifo",
      allocationWindow: "immediate",
    });
    const backroom = await pipeline.shopify.control.addLocation(shop, "Backroom");
    const product = await pipeline.shopify.control.createProduct(shop, {
      title: "Lantern",
      variants: [
        {
          sku: "LANTERN",
          price: "15.00",
          inventoryPolicy: "CONTINUE",
          tracked: true,
          available: { [String(locationId)]: 0, [String(backroom.id)]: 1 },
        },
      ],
    });
    const variant = product.variants[0]!;
    // No location has 2: the line goes to Main, where both units wait.
    const order = await pipeline.shopify.control.placeOrder(shop, {
      customer: { email: "m@example.com" },
      lines: [{ variantId: variant.id, quantity: 2 }],
    });
    await pipeline.drain();
    expect(await orderOnShopify(pipeline, shop, order)).toEqual({ name: order.name, released: 0, held: 2, holds: 1 });

    // The merchant moves it to Backroom, which has 1 unit: the committed units go along (Main back to 0).
    const [fo] = await pipeline.shopify.control.fulfillmentOrders(shop, order.id);
    const moved = await admin(token, MOVE, { id: fo!.gid, to: backroom.gid });
    expect(moved.data.fulfillmentOrderMove!.userErrors).toEqual([]);
    await pipeline.drain();
    // Backroom's one unit ships; the other waits there. Main's freed stock (0 now) is not shared with it.
    expect(await orderOnShopify(pipeline, shop, order)).toEqual({ name: order.name, released: 1, held: 1, holds: 1 });
    expect((await records(shop)).lines.map((l) => [l.shipped, l.backordered])).toEqual([[1, 1]]);

    // Stock at Main no longer concerns it; a unit at Backroom does.
    await pipeline.shopify.control.adjustInventory(shop, {
      inventoryItemId: variant.inventoryItemId,
      locationId,
      delta: 3,
    });
    await pipeline.drain();
    expect(await orderOnShopify(pipeline, shop, order)).toEqual({ name: order.name, released: 1, held: 1, holds: 1 });
    await pipeline.shopify.control.adjustInventory(shop, {
      inventoryItemId: variant.inventoryItemId,
      locationId: backroom.id,
      delta: 1,
    });
    await pipeline.drain();
    expect(await orderOnShopify(pipeline, shop, order)).toEqual({ name: order.name, released: 2, held: 0, holds: 0 });
    expect((await records(shop)).lines.map((l) => [l.shipped, l.backordered])).toEqual([[2, 0]]);
  });

  it("merging the open fulfillment orders beside a held one leaves the records and the hold as they are", async () => {
    const shop = "merged.myshopify.com";
    const { locationId, token } = await pipeline.install(shop, {
      allocationPolicy: "fifo",
      allocationWindow: "immediate",
    });
    const stocked = (sku: string, available: number) =>
      pipeline.shopify.control.createProduct(shop, {
        title: sku,
        variants: [
          {
            sku,
            price: "5.00",
            inventoryPolicy: "CONTINUE",
            tracked: true,
            available: { [String(locationId)]: available },
          },
        ],
      });
    const cup = (await stocked("CUP", 1)).variants[0]!;
    const saucer = (await stocked("SAUCER", 4)).variants[0]!;
    const order = await pipeline.shopify.control.placeOrder(shop, {
      customer: { email: "t@example.com" },
      lines: [
        { variantId: cup.id, quantity: 3 },
        { variantId: saucer.id, quantity: 2 },
      ],
    });
    await pipeline.drain();
    // The hold on 2 cups split the fulfillment order: the held one, and an open one with 1 cup and 2 saucers.
    const before = await pipeline.shopify.control.fulfillmentOrders(shop, order.id);
    expect(before.map((fo) => fo.status)).toEqual(["ON_HOLD", "OPEN"]);
    // The merchant splits a saucer off the open one, then merges the two open ones back.
    const open = before[1]!;
    const saucerLine = open.lineItems.find((line) => line.remainingQuantity === 2)!;
    const split = await admin(
      token,
      `mutation($id: ID!, $line: ID!) { fulfillmentOrderSplit(fulfillmentOrderSplits: [{ fulfillmentOrderId: $id,
        fulfillmentOrderLineItems: [{ id: $line, quantity: 1 }] }]) {
        fulfillmentOrderSplits { remainingFulfillmentOrder { id } } userErrors { message } } }`,
      { id: open.gid, line: `gid://shopify/FulfillmentOrderLineItem/${saucerLine.id}` },
    );
    expect(split.data.fulfillmentOrderSplit!.userErrors).toEqual([]);
    const splitOff = (
      split.data.fulfillmentOrderSplit as unknown as {
        fulfillmentOrderSplits: { remainingFulfillmentOrder: { id: string } }[];
      }
    ).fulfillmentOrderSplits[0]!.remainingFulfillmentOrder.id;
    const merged = await admin(token, MERGE, { a: splitOff, b: open.gid });
    expect(merged.data.fulfillmentOrderMerge!.userErrors).toEqual([]);
    await pipeline.drain();
    expect(await orderOnShopify(pipeline, shop, order)).toEqual({ name: order.name, released: 3, held: 2, holds: 1 });
    expect((await records(shop)).lines.map((l) => [l.shipped, l.backordered])).toEqual([[1, 2]]);
    const topics = (await pipeline.shopify.control.webhookLog({ shop })).map((entry) => entry.topic);
    expect(topics).toEqual(expect.arrayContaining(["fulfillment_orders/split", "fulfillment_orders/merged"]));

    await pipeline.shopify.control.adjustInventory(shop, {
      inventoryItemId: cup.inventoryItemId,
      locationId,
      delta: 2,
    });
    await pipeline.drain();
    expect(await orderOnShopify(pipeline, shop, order)).toEqual({ name: order.name, released: 5, held: 0, holds: 0 });
  });
});

describe("orders larger than one page of the order read", () => {
  let pipeline: Pipeline;

  beforeAll(async () => {
    pipeline = await startPipeline();
  });

  afterAll(async () => {
    await pipeline.stop();
  });

  it("detects and holds every one of 12 backordered lines (the read pages past 10 lines)", async () => {
    const shop = "twelve-lines.myshopify.com";
    const { locationId } = await pipeline.install(shop, { allocationPolicy: "fifo", allocationWindow: "immediate" });
    const lines = [];
    for (let i = 0; i < 12; i++) {
      const product = await pipeline.shopify.control.createProduct(shop, {
        title: `Part ${i}`,
        variants: [
          {
            sku: `PART-${i}`,
            price: "3.00",
            inventoryPolicy: "CONTINUE",
            tracked: true,
            available: { [locationId]: 0 },
          },
        ],
      });
      lines.push({ variantId: product.variants[0]!.id, quantity: 1 });
    }
    const order = await pipeline.shopify.control.placeOrder(shop, { customer: { email: "p@example.com" }, lines });
    await pipeline.drain();
    expect(await orderOnShopify(pipeline, shop, order)).toEqual({ name: order.name, released: 0, held: 12, holds: 1 });
    expect((await records(shop)).lines.map((l) => l.backordered)).toEqual(Array(12).fill(1));
    expect(pipeline.calls.map((call) => call.operation)).toContain("BackorderOrderPage");
  });
});
