import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { declaredTriggers, payloadProblems } from "./flow-triggers";
import { startPipeline, type Pipeline } from "./harness";
import { orderOnShopify, records } from "./story";

const SHOP = "seed-story.myshopify.com";
const CUSTOMERS = ["ada", "ben", "cleo", "dev", "eli", "fay", "gus"];

describe("the seed story: 9 units, 7 customers × 3, fair share at the cut-off", () => {
  let pipeline: Pipeline;
  const orders: { id: number; gid: string; name: string }[] = [];
  let item: { inventoryItemId: number; variantGid: string };
  let locationId: number;

  beforeAll(async () => {
    pipeline = await startPipeline();
    ({ locationId } = await pipeline.install(SHOP, { allocationPolicy: "fair_share", allocationWindow: "batch" }));
    // The merchant's Flow workflows for every trigger: the story checks each payload the pipeline sends.
    await pipeline.turnOnWorkflows(SHOP);
    const product = await pipeline.shopify.control.createProduct(SHOP, {
      title: "Ceramic pour-over",
      variants: [
        {
          sku: "POUR-1",
          price: "40.00",
          inventoryPolicy: "CONTINUE",
          tracked: true,
          available: { [String(locationId)]: 9 },
        },
      ],
    });
    item = { inventoryItemId: product.variants[0]!.inventoryItemId, variantGid: product.variants[0]!.gid };
    for (const customer of CUSTOMERS) {
      orders.push(
        await pipeline.shopify.control.placeOrder(SHOP, {
          customer: { email: `${customer}@example.com`, firstName: customer },
          lines: [{ variantId: product.variants[0]!.id, quantity: 3 }],
        }),
      );
    }
    await pipeline.drain();
  });

  afterAll(async () => {
    await pipeline.stop();
  });

  async function shopifyView() {
    const view = [];
    for (const order of orders) view.push(await orderOnShopify(pipeline, SHOP, order));
    return view.map(({ name, released, held }) => ({ name, released, held }));
  }

  it("holds every unit until the cut-off in a batch window", async () => {
    expect(await shopifyView()).toEqual(orders.map((o) => ({ name: o.name, released: 0, held: 3 })));
    expect((await records(SHOP)).lines.map((line) => [line.backordered, line.status])).toEqual(
      orders.map(() => [3, "waiting"]),
    );
  });

  it("shares the 9 units 2,2,1,1,1,1,1 at the cut-off and releases exactly those on Shopify", async () => {
    await pipeline.enqueue(SHOP, "allocate", {});
    await pipeline.drain();
    expect(await shopifyView()).toEqual(
      orders.map((o, i) => ({ name: o.name, released: i < 2 ? 2 : 1, held: i < 2 ? 1 : 2 })),
    );
    expect((await records(SHOP)).lines).toEqual(
      orders.map((o, i) => ({
        order: o.name,
        quantity: 3,
        shipped: i < 2 ? 2 : 1,
        reserved: 0,
        backordered: i < 2 ? 1 : 2,
        lost: 0,
        lostReason: null,
        status: "partially_allocated",
      })),
    );
  });

  it("tags the orders, writes their metafields and the variant's storefront date, and starts Flow", async () => {
    const shop = await pipeline.shopify.control.state();
    const state = shop.shops.find((candidate) => (candidate as { domain?: string }).domain === SHOP) as {
      orders: { name: string; tags: string[] }[];
      metafields: { ownerId: string; namespace: string; key: string; type: string; value: string }[];
      flowTriggers: { handle: string; payload: Record<string, unknown> }[];
    };
    expect(state.orders.map((order) => order.tags)).toEqual(orders.map(() => ["backordered"]));
    const orderMeta = state.metafields.filter((m) => m.key === "backorder");
    expect(orderMeta.map((m) => m.ownerId).sort()).toEqual(orders.map((o) => o.gid).sort());
    const first = JSON.parse(orderMeta.find((m) => m.ownerId === orders[0]!.gid)!.value) as {
      status: string;
      lines: unknown[];
    };
    expect(first).toMatchObject({
      status: "backordered",
      lines: [{ backordered: 1, shipped: 2, status: "partially_allocated" }],
    });
    const dates = state.metafields.filter((m) => m.key === "expected_date");
    expect(dates.map((m) => [m.ownerId, m.type])).toEqual([[item.variantGid, "date"]]);
    expect(state.flowTriggers.filter((t) => t.handle === "backorder-created")).toHaveLength(7);
    expect(state.flowTriggers.filter((t) => t.handle === "backorder-allocated")).toHaveLength(7);
  });

  it("a restock of 5 is shared at the next cut-off: the five oldest orders get one unit each", async () => {
    await pipeline.shopify.control.adjustInventory(SHOP, {
      inventoryItemId: item.inventoryItemId,
      locationId,
      delta: 5,
    });
    await pipeline.drain();
    // Batch window: the restock waits for the cut-off.
    expect((await shopifyView()).map((o) => o.released)).toEqual([2, 2, 1, 1, 1, 1, 1]);
    await pipeline.enqueue(SHOP, "allocate", {});
    await pipeline.drain();
    expect(await shopifyView()).toEqual(
      orders.map((o, i) => ({ name: o.name, released: [3, 3, 2, 2, 2, 1, 1][i], held: [0, 0, 1, 1, 1, 2, 2][i] })),
    );
    const state = (await pipeline.shopify.control.state()).shops.find(
      (c) => (c as { domain?: string }).domain === SHOP,
    ) as {
      orders: { name: string; tags: string[] }[];
    };
    // Complete orders lose the tag.
    expect(state.orders.map((order) => order.tags.length)).toEqual([0, 0, 1, 1, 1, 1, 1]);
  });

  it("a customer's cancellation records the lost units and frees its released unit for the next cut-off", async () => {
    await pipeline.shopify.control.cancelOrder(SHOP, orders[6]!.id, { reason: "CUSTOMER", restock: true });
    await pipeline.drain();
    await pipeline.enqueue(SHOP, "allocate", {});
    await pipeline.drain();
    expect((await shopifyView()).slice(0, 6)).toEqual(
      orders
        .slice(0, 6)
        .map((o, i) => ({ name: o.name, released: [3, 3, 3, 2, 2, 1][i], held: [0, 0, 0, 1, 1, 2][i] })),
    );
    expect((await records(SHOP)).lostSales).toEqual([
      { order: orders[6]!.name, quantity: 2, reason: "customer_cancelled", cents: 4000 },
    ]);
  });

  it("past the final deadline only the unfilled units are edited off the order and refunded, as lost sales", async () => {
    await pipeline.shopify.control.advanceClock(31 * 86_400_000);
    await pipeline.enqueue(SHOP, "deadline_sweep", {});
    await pipeline.drain();
    expect((await shopifyView()).slice(0, 6)).toEqual(
      orders.slice(0, 6).map((o, i) => ({ name: o.name, released: [3, 3, 3, 2, 2, 1][i], held: 0 })),
    );
    const state = (await pipeline.shopify.control.state()).shops.find(
      (c) => (c as { domain?: string }).domain === SHOP,
    ) as {
      orders: { name: string; lineItems: { quantity: number; currentQuantity: number }[] }[];
      refunds: { orderId: number }[];
      transactions: { orderId: number; kind: string; amountCents: number }[];
      flowTriggers: { handle: string; payload: Record<string, unknown> }[];
    };
    // The first sweep comes after the final deadline: the deadline wins, and a line being cancelled is sent no
    // delay notice (docs/decisions/0024-delay-rule.md).
    const byId = (a: unknown, b: unknown) => Number(a) - Number(b);
    expect(state.flowTriggers.filter((t) => t.handle === "backorder-delay-notice-due")).toEqual([]);
    const cancelled = state.flowTriggers
      .filter((t) => t.handle === "backorder-cancelled")
      .map((t) => [t.payload.order_id, t.payload.Reason]);
    expect(cancelled[0]).toEqual([orders[6]!.id, "customer_cancelled"]);
    expect(cancelled.slice(1).sort((a, b) => byId(a[0], b[0]))).toEqual([
      [orders[3]!.id, "deadline"],
      [orders[4]!.id, "deadline"],
      [orders[5]!.id, "deadline"],
    ]);
    // Every payload the story sent is one its extension declares, field for field.
    const triggers = declaredTriggers();
    expect(state.flowTriggers.flatMap((t) => payloadProblems(triggers, t.handle, t.payload))).toEqual([]);
    expect(state.orders.map((order) => order.lineItems[0]!.currentQuantity)).toEqual([3, 3, 3, 2, 2, 1, 3]);
    expect(state.refunds.map((refund) => refund.orderId).sort()).toEqual(
      [orders[3]!.id, orders[4]!.id, orders[5]!.id].sort(),
    );
    // The unfilled units' price went back to the customer's payment, as REFUND transactions against the sale.
    expect(
      state.transactions
        .filter((t) => t.kind === "REFUND")
        .map((t) => [t.orderId, t.amountCents])
        .sort(),
    ).toEqual(
      [
        [orders[3]!.id, 4000],
        [orders[4]!.id, 4000],
        [orders[5]!.id, 8000],
      ].sort(),
    );
    expect((await records(SHOP)).lostSales).toEqual([
      { order: orders[3]!.name, quantity: 1, reason: "deadline", cents: 4000 },
      { order: orders[4]!.name, quantity: 1, reason: "deadline", cents: 4000 },
      { order: orders[5]!.name, quantity: 2, reason: "deadline", cents: 4000 },
      { order: orders[6]!.name, quantity: 2, reason: "customer_cancelled", cents: 4000 },
    ]);
    expect(
      (await records(SHOP)).lines.map((line) => [line.order, line.shipped, line.backordered, line.lost, line.status]),
    ).toEqual([
      [orders[0]!.name, 3, 0, 0, "allocated"],
      [orders[1]!.name, 3, 0, 0, "allocated"],
      [orders[2]!.name, 3, 0, 0, "allocated"],
      [orders[3]!.name, 2, 0, 1, "expired"],
      [orders[4]!.name, 2, 0, 1, "expired"],
      [orders[5]!.name, 1, 0, 2, "expired"],
      [orders[6]!.name, 1, 0, 2, "cancelled"],
    ]);
  });
});
