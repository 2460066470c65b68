import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startPipeline, type Pipeline } from "./harness";
import { orderOnShopify, records } from "./story";

const SHOP = "seed-story.myshopify.com";
const CUSTOMERS = ["ada", "ben", "cleo", "dev", "eli", "fay", "gus"];

describe("the seed story: 9 units, 7 customers × 3, fair share at the cut-off", () => {
  let pipeline: Pipeline;
  let orders: { id: number; gid: string; name: string }[] = [];
  let item: { inventoryItemId: number; variantGid: string };
  let locationId: number;

  beforeAll(async () => {
    pipeline = await startPipeline();
    ({ locationId } = await pipeline.install(SHOP, { allocationPolicy: "fair_share", allocationWindow: "batch" }));
    const product = await pipeline.shopify.control.createProduct(SHOP, {
      title: "Ceramic pour-over",
      variants: [{ sku: "POUR-1", price: "40.00", inventoryPolicy: "CONTINUE", tracked: true, available: { [String(locationId)]: 9 } }],
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
    expect((await records(SHOP)).lines.map((line) => [line.backordered, line.status])).toEqual(orders.map(() => [3, "waiting"]));
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
});
