import { afterEach, describe, expect, it } from "vitest";

import db from "~/db.server";

import { adminGraphql } from "../shopify-local/testing";
import { startPipeline, type Pipeline } from "./harness";
import { orderOnShopify, records } from "./story";

type ShopState = {
  variants: { id: number; inventoryPolicy: string }[];
  orders: { name: string; lineItems: { currentQuantity: number }[] }[];
  refunds: { orderId: number }[];
  transactions: { id: number; orderId: number; kind: string; amountCents: number; parentId: number | null }[];
};

/** Each payment of an order on Local Shopify: kind, cents, and whether a refund went back to the order's sale. */
function payments(state: ShopState, orderId: number): [string, number, boolean][] {
  const ofOrder = state.transactions.filter((t) => t.orderId === orderId);
  const sale = ofOrder.find((t) => t.kind === "SALE");
  return ofOrder.map((t) => [t.kind, t.amountCents, t.parentId === (sale?.id ?? null)]);
}

async function shopState(pipeline: Pipeline, shop: string): Promise<ShopState> {
  const state = await pipeline.shopify.control.state();
  return state.shops.find((candidate) => (candidate as { domain?: string }).domain === shop) as unknown as ShopState;
}

describe("caps, the merchant's cancellation of the remainder, and the install backfill", () => {
  let pipeline: Pipeline | undefined;
  afterEach(async () => {
    await pipeline?.stop();
    pipeline = undefined;
  });

  it("stops overselling at the cap, removes units beyond it, resumes below it; the merchant cancels what is left", async () => {
    pipeline = await startPipeline();
    const shop = "caps.myshopify.com";
    const { locationId } = await pipeline.install(shop, { allocationPolicy: "fifo", backorderCap: 3 });
    const product = await pipeline.shopify.control.createProduct(shop, {
      title: "Brass kettle",
      variants: [
        {
          sku: "KETTLE",
          price: "80.00",
          inventoryPolicy: "CONTINUE",
          tracked: true,
          available: { [String(locationId)]: 0 },
        },
      ],
    });
    const variant = product.variants[0]!;
    const first = await pipeline.shopify.control.placeOrder(shop, {
      customer: { email: "a@example.com" },
      lines: [{ variantId: variant.id, quantity: 2 }],
    });
    await pipeline.drain();
    expect((await shopState(pipeline, shop)).variants[0]!.inventoryPolicy).toBe("CONTINUE");

    const second = await pipeline.shopify.control.placeOrder(shop, {
      customer: { email: "b@example.com" },
      lines: [{ variantId: variant.id, quantity: 2 }],
    });
    await pipeline.drain();
    // 3 units on backorder reach the cap: the variant stops selling, and the unit beyond it is edited off and refunded.
    let state = await shopState(pipeline, shop);
    expect(state.variants[0]!.inventoryPolicy).toBe("DENY");
    expect(state.orders.map((order) => order.lineItems[0]!.currentQuantity)).toEqual([2, 1]);
    expect(state.refunds.map((refund) => refund.orderId)).toEqual([second.id]);
    expect(payments(state, second.id)).toEqual([
      ["SALE", 16000, false],
      ["REFUND", 8000, true],
    ]);
    expect((await records(shop)).lostSales).toEqual([
      { order: second.name, quantity: 1, reason: "cap_reached", cents: 8000 },
    ]);

    await pipeline.shopify.control.adjustInventory(shop, {
      inventoryItemId: variant.inventoryItemId,
      locationId,
      delta: 2,
    });
    await pipeline.drain();
    state = await shopState(pipeline, shop);
    expect(state.variants[0]!.inventoryPolicy).toBe("CONTINUE");
    expect((await orderOnShopify(pipeline, shop, first)).released).toBe(2);

    const [line] = await db.backorderLine.findMany({ where: { shop, orderId: second.gid } });
    await pipeline.enqueue(shop, "cancel_remainder", { backorderLineIds: [line!.id], reason: "merchant_cancelled" });
    await pipeline.drain();
    state = await shopState(pipeline, shop);
    expect(state.orders.map((order) => order.lineItems[0]!.currentQuantity)).toEqual([2, 0]);
    expect(state.refunds.map((refund) => refund.orderId)).toEqual([second.id, second.id]);
    // Both units refunded: the whole sale has gone back, and no more could be.
    expect(payments(state, second.id)).toEqual([
      ["SALE", 16000, false],
      ["REFUND", 8000, true],
      ["REFUND", 8000, true],
    ]);
    expect((await records(shop)).lostSales).toEqual([
      { order: second.name, quantity: 1, reason: "cap_reached", cents: 8000 },
      { order: second.name, quantity: 1, reason: "merchant_cancelled", cents: 8000 },
    ]);
    expect((await records(shop)).lines.map((l) => [l.order, l.shipped, l.backordered, l.lost, l.status])).toEqual([
      [first.name, 2, 0, 0, "allocated"],
      [second.name, 0, 0, 2, "cancelled"],
    ]);
    expect(await db.job.count({ where: { status: "dead" } })).toBe(0);
  });

  it("backfills the open orders a shop oversold before installing, through a bulk operation, with progress", async () => {
    pipeline = await startPipeline();
    const shop = "backfill.myshopify.com";
    const { locationId } = await pipeline.install(shop, { allocationPolicy: "fifo" });
    const product = await pipeline.shopify.control.createProduct(shop, {
      title: "Oak stool",
      variants: [
        {
          sku: "STOOL",
          price: "120.00",
          inventoryPolicy: "CONTINUE",
          tracked: true,
          available: { [String(locationId)]: 1 },
        },
      ],
    });
    // Not installed yet: the orders' webhooks reach no app that could act.
    await db.session.deleteMany({ where: { shop } });
    const orders = [];
    for (const email of ["a@example.com", "b@example.com", "c@example.com"]) {
      orders.push(
        await pipeline.shopify.control.placeOrder(shop, {
          customer: { email },
          lines: [{ variantId: product.variants[0]!.id, quantity: 1 }],
        }),
      );
    }
    await pipeline.drain();
    expect(await db.backorderLine.count({ where: { shop } })).toBe(0);

    const { accessToken: token } = (await shopState(pipeline, shop)) as unknown as { accessToken: string };
    await db.session.create({
      data: { id: `offline_${shop}`, shop, state: "installed", isOnline: false, accessToken: token },
    });
    await pipeline.enqueue(shop, "backfill", {});
    await pipeline.drain();

    const run = await db.syncRun.findFirst({ where: { shop, kind: "backfill" } });
    // The first order had the one unit (the two placed after it are counted back): 2 orders backordered.
    expect([run!.status, run!.objectCount, run!.processed, run!.healed]).toEqual(["completed", 3, 3, 2]);
    const view = [];
    for (const order of orders) view.push(await orderOnShopify(pipeline, shop, order));
    expect(view.map(({ released, held }) => [released, held])).toEqual([
      [1, 0],
      [0, 1],
      [0, 1],
    ]);
  });

  it("counts the units of a hold released outside the app as shipped, and ignores its own releases", async () => {
    pipeline = await startPipeline();
    const shop = "outside.myshopify.com";
    const { locationId, token } = await pipeline.install(shop, { allocationPolicy: "fifo" });
    const product = await pipeline.shopify.control.createProduct(shop, {
      title: "Cast iron pan",
      variants: [
        {
          sku: "PAN",
          price: "45.00",
          inventoryPolicy: "CONTINUE",
          tracked: true,
          available: { [String(locationId)]: 0 },
        },
      ],
    });
    const order = await pipeline.shopify.control.placeOrder(shop, {
      customer: { email: "a@example.com" },
      lines: [{ variantId: product.variants[0]!.id, quantity: 2 }],
    });
    await pipeline.drain();
    const [line] = await db.backorderLine.findMany({ where: { shop } });
    // The merchant releases the hold in the admin (any client but the pipeline).
    const answer = await adminGraphql(
      pipeline.shopify.origin,
      token,
      "mutation Release($id: ID!, $holdIds: [ID!]) { fulfillmentOrderReleaseHold(id: $id, holdIds: $holdIds) { userErrors { message } } }",
      { id: line!.fulfillmentOrderId, holdIds: [line!.holdId] },
    );
    expect(answer.json.data.fulfillmentOrderReleaseHold.userErrors).toEqual([]);
    await pipeline.drain();
    expect((await records(shop)).lines.map((l) => [l.shipped, l.backordered, l.status])).toEqual([[2, 0, "allocated"]]);
    expect((await orderOnShopify(pipeline, shop, order)).released).toBe(2);
    expect(
      await db.timelineEvent.findMany({ where: { shop, kind: "released" }, select: { quantity: true, detail: true } }),
    ).toEqual([{ quantity: 2, detail: JSON.stringify({ by: "outside_app" }) }]);
  });

  it("takes units the merchant edited off an order out of the waiting ones, as lost sales", async () => {
    pipeline = await startPipeline();
    const shop = "edited.myshopify.com";
    const { locationId, token } = await pipeline.install(shop, { allocationPolicy: "fifo" });
    const product = await pipeline.shopify.control.createProduct(shop, {
      title: "Linen sheet",
      variants: [
        {
          sku: "SHEET",
          price: "70.00",
          inventoryPolicy: "CONTINUE",
          tracked: true,
          available: { [String(locationId)]: 0 },
        },
      ],
    });
    const order = await pipeline.shopify.control.placeOrder(shop, {
      customer: { email: "a@example.com" },
      lines: [{ variantId: product.variants[0]!.id, quantity: 3 }],
    });
    await pipeline.drain();
    // The merchant edits the order in the admin: 3 → 1.
    const gql = (query: string, variables: Record<string, unknown>) =>
      adminGraphql(pipeline!.shopify.origin, token, query, variables);
    const begin = await gql(
      "mutation B($id: ID!) { orderEditBegin(id: $id) { calculatedOrder { id lineItems(first: 5) { nodes { id } } } userErrors { message } } }",
      { id: order.gid },
    );
    const calculated = begin.json.data.orderEditBegin.calculatedOrder;
    await gql(
      "mutation S($id: ID!, $line: ID!) { orderEditSetQuantity(id: $id, lineItemId: $line, quantity: 1, restock: true) { userErrors { message } } }",
      { id: calculated.id, line: calculated.lineItems.nodes[0].id },
    );
    await gql("mutation C($id: ID!) { orderEditCommit(id: $id) { userErrors { message } } }", { id: calculated.id });
    await pipeline.drain();

    expect((await records(shop)).lines.map((l) => [l.quantity, l.backordered, l.lost, l.lostReason, l.status])).toEqual(
      [[3, 1, 2, "merchant_cancelled", "waiting"]],
    );
    expect((await records(shop)).lostSales).toEqual([
      { order: order.name, quantity: 2, reason: "merchant_cancelled", cents: 7000 },
    ]);
    expect(await orderOnShopify(pipeline, shop, order)).toEqual({ name: order.name, released: 0, held: 1, holds: 1 });
  });
});
