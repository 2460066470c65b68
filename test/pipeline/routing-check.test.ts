import { afterAll, beforeAll, describe, expect, it } from "vitest";

import db from "~/db.server";
import { ROUTING_CHECK_DELAY_MS } from "~/services/jobs/routing-check.server";

import { startPipeline, type Pipeline } from "./harness";
import { orderOnShopify } from "./story";

const SHOP = "lost-routing.myshopify.com";

/**
 * fulfillment_orders/order_routing_complete is what detects a backorder. When Shopify never gets it to the app,
 * the check that orders/create left for a few minutes later finds the order, long before the six-hourly
 * reconciliation; when routing does arrive, the check is settled and costs no Admin call.
 */
describe("a lost order_routing_complete", () => {
  let pipeline: Pipeline;
  let variantId: number;

  beforeAll(async () => {
    pipeline = await startPipeline();
    const { locationId } = await pipeline.install(SHOP, { allocationPolicy: "fifo", allocationWindow: "immediate" });
    const product = await pipeline.shopify.control.createProduct(SHOP, {
      title: "Desk lamp",
      variants: [
        { sku: "LAMP", price: "30.00", inventoryPolicy: "CONTINUE", tracked: true, available: { [locationId]: 0 } },
      ],
    });
    variantId = product.variants[0]!.id;
  });

  afterAll(async () => {
    await pipeline.stop();
  });

  const checks = () => db.job.findMany({ where: { shop: SHOP, type: "routing_check" }, orderBy: { createdAt: "asc" } });

  it("is healed by the delayed check: the order is held minutes after it was placed", async () => {
    pipeline.refuseTopics(["fulfillment_orders/order_routing_complete"]);
    const placedAt = pipeline.now().getTime();
    const order = await pipeline.shopify.control.placeOrder(SHOP, {
      customer: { email: "lost@example.com" },
      lines: [{ variantId, quantity: 2 }],
    });
    await pipeline.drain();
    pipeline.refuseTopics([]);

    expect(await orderOnShopify(pipeline, SHOP, order)).toMatchObject({ held: 2, holds: 1 });
    const outcomes = pipeline.outcomes.filter((o) => o.shop === SHOP).map((o) => o.type);
    expect(outcomes).toContain("routing_check");
    expect(outcomes).not.toContain("webhook:fulfillment_orders/order_routing_complete");
    expect(outcomes).not.toContain("reconcile");
    // Due a few minutes after the order (on Shopify's clock), not at the next reconciliation.
    const [check] = await checks();
    expect(check).toMatchObject({ status: "succeeded", attempts: 1 });
    expect(check!.runAt.getTime() - placedAt).toBeGreaterThanOrEqual(ROUTING_CHECK_DELAY_MS);
    expect(check!.runAt.getTime() - placedAt).toBeLessThan(ROUTING_CHECK_DELAY_MS + 60_000);
  });

  it("is a no-op when routing arrived: the check is settled, never run, and adds no Admin call", async () => {
    const outcomesBefore = pipeline.outcomes.length;
    const callsBefore = pipeline.calls.length;
    const order = await pipeline.shopify.control.placeOrder(SHOP, {
      customer: { email: "routed@example.com" },
      lines: [{ variantId, quantity: 1 }],
    });
    await pipeline.drain();

    expect(await orderOnShopify(pipeline, SHOP, order)).toMatchObject({ held: 1, holds: 1 });
    const ran = pipeline.outcomes.slice(outcomesBefore).map((o) => o.type);
    expect(ran).toContain("webhook:fulfillment_orders/order_routing_complete");
    expect(ran).not.toContain("routing_check");
    const check = (await checks()).find((job) => JSON.parse(job.payload).orderId === order.gid);
    expect(check).toMatchObject({ status: "succeeded", attempts: 0 });
    // The routing read and what detection applies; no read of the order whole for the check.
    const operations = pipeline.calls.slice(callsBefore).map((call) => call.operation);
    expect(operations).not.toContain("BackorderOrder");
  });
});
