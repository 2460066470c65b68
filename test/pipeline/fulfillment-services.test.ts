import { afterAll, beforeAll, describe, expect, it } from "vitest";

import db from "~/db.server";
import { DEFAULT_SETTINGS } from "~/models/settings.server";

import { adminGraphql } from "../shopify-local/testing";

import { startPipeline, type Pipeline } from "./harness";
import { orderOnShopify, records } from "./story";

/**
 * Orders fulfilled by a third-party fulfillment service (docs/decisions/0020-fulfillment-services.md). Before
 * the request goes to the service the app holds the backordered units as anywhere else; once the service has the
 * request (SUBMITTED, ACCEPTED), Shopify offers no HOLD: the app records the units as backordered without a hold,
 * tells the merchant on the order's timeline, and leaves the request alone.
 */
describe("fulfillment orders of a fulfillment service", () => {
  let pipeline: Pipeline;

  beforeAll(async () => {
    pipeline = await startPipeline();
  });

  afterAll(async () => {
    await pipeline.stop();
  });

  /** A shop whose Teapot is stocked only at a fulfillment service's warehouse, out of stock there. */
  async function warehouseShop(shop: string) {
    const { token } = await pipeline.install(shop, { allocationPolicy: "fifo", allocationWindow: "immediate" });
    const warehouse = await pipeline.shopify.control.addLocation(shop, "Warehouse", { serviceName: "Acme Fulfilment" });
    const product = await pipeline.shopify.control.createProduct(shop, {
      title: "Teapot",
      variants: [
        { sku: "TEAPOT", price: "25.00", inventoryPolicy: "CONTINUE", tracked: true, available: { [warehouse.id]: 0 } },
      ],
    });
    const variant = product.variants[0]!;
    const order = async () => {
      const placed = await pipeline.shopify.control.placeOrder(shop, {
        customer: { email: "a@example.com" },
        lines: [{ variantId: variant.id, quantity: 3 }],
      });
      // Routing runs; the app has not processed order_routing_complete yet (its jobs run in drain()).
      await pipeline.shopify.control.settle();
      const [fo] = await pipeline.shopify.control.fulfillmentOrders(shop, placed.id);
      return { order: placed, foId: fo!.id };
    };
    const restock = (delta: number) =>
      pipeline.shopify.control.adjustInventory(shop, {
        inventoryItemId: variant.inventoryItemId,
        locationId: warehouse.id,
        delta,
      });
    return { order, restock, token };
  }

  const failedJobs = async (shop: string) =>
    (await db.job.findMany({ where: { shop, OR: [{ status: "dead" }, { attempts: { gt: 1 } }] } })).map(
      (job) => `${job.type}: ${job.status} after ${job.attempts} attempts (${job.lastError ?? ""})`,
    );

  const timeline = async (shop: string) =>
    (await db.timelineEvent.findMany({ where: { shop }, orderBy: { at: "asc" } })).map((event) => [
      event.kind,
      event.quantity,
      JSON.parse(event.detail) as unknown,
    ]);

  it("records a submitted request's units as backordered without a hold, and tells the merchant why", async () => {
    const shop = "service-submitted.myshopify.com";
    const { order, restock, token } = await warehouseShop(shop);
    const { order: placed, foId } = await order();
    await pipeline.shopify.control.requestFulfillment(shop, foId);
    await pipeline.drain();

    expect(await failedJobs(shop)).toEqual([]);
    expect((await records(shop)).lines.map((l) => [l.backordered, l.reserved, l.shipped, l.status])).toEqual([
      [3, 0, 0, "waiting"],
    ]);
    expect(await timeline(shop)).toEqual([
      ["not_held", 3, { backordered: 3, reason: "fulfillment_service_has_the_request", requestStatus: "SUBMITTED" }],
    ]);
    const [fo] = await pipeline.shopify.control.fulfillmentOrders(shop, placed.id);
    expect([fo!.status, fo!.requestStatus, fo!.holds]).toEqual(["OPEN", "SUBMITTED", []]);
    // The order carries the app's tag, as every backordered order does.
    const tagged = await adminGraphql(pipeline.shopify.origin, token, `query($id: ID!) { order(id: $id) { tags } }`, {
      id: placed.gid,
    });
    expect(tagged.json.data.order.tags).toEqual([DEFAULT_SETTINGS.orderTag]);

    // Stock at the warehouse: the service ships it; the app releases nothing (it holds nothing) and records it.
    await restock(3);
    await pipeline.drain();
    expect(await failedJobs(shop)).toEqual([]);
    expect((await records(shop)).lines.map((l) => [l.backordered, l.shipped])).toEqual([[0, 3]]);
    expect(await orderOnShopify(pipeline, shop, placed)).toEqual({ name: placed.name, released: 3, held: 0, holds: 0 });
    expect(
      pipeline.calls.filter((call) => call.shop === shop && /Release|Hold|Split|Move/.test(call.operation)),
    ).toEqual([]);
  });

  it("does the same once the service accepted the request (IN_PROGRESS)", async () => {
    const shop = "service-accepted.myshopify.com";
    const { order } = await warehouseShop(shop);
    const { order: placed, foId } = await order();
    await pipeline.shopify.control.requestFulfillment(shop, foId);
    await pipeline.shopify.control.answerFulfillmentRequest(shop, foId, "accept", "We will ship it when it lands.");
    await pipeline.drain();

    expect(await failedJobs(shop)).toEqual([]);
    expect((await records(shop)).lines.map((l) => [l.backordered, l.status])).toEqual([[3, "waiting"]]);
    expect(
      (await timeline(shop)).map(([kind, , detail]) => [kind, (detail as { requestStatus: string }).requestStatus]),
    ).toEqual([["not_held", "ACCEPTED"]]);
    const [fo] = await pipeline.shopify.control.fulfillmentOrders(shop, placed.id);
    expect([fo!.status, fo!.requestStatus, fo!.holds]).toEqual(["IN_PROGRESS", "ACCEPTED", []]);
  });

  it("holds a fulfillment order not yet requested, so the request waits for the stock", async () => {
    const shop = "service-unsubmitted.myshopify.com";
    const { order, restock } = await warehouseShop(shop);
    const { order: placed, foId } = await order();
    await pipeline.drain();

    expect(await orderOnShopify(pipeline, shop, placed)).toEqual({ name: placed.name, released: 0, held: 3, holds: 1 });
    expect((await timeline(shop)).map(([kind]) => kind)).toEqual(["held"]);
    // While the app holds it the merchant cannot send it to the service (Shopify: not until the hold is released).
    await expect(pipeline.shopify.control.requestFulfillment(shop, foId)).rejects.toThrow(/on hold/);

    await restock(3);
    await pipeline.drain();
    expect(await orderOnShopify(pipeline, shop, placed)).toEqual({ name: placed.name, released: 3, held: 0, holds: 0 });
    expect((await pipeline.shopify.control.requestFulfillment(shop, foId)).requestStatus).toBe("SUBMITTED");
  });
});
