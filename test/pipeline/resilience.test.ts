import { afterEach, describe, expect, it } from "vitest";

import db from "~/db.server";

import { adminGraphql } from "../shopify-local/testing";
import { startPipeline, type Pipeline } from "./harness";
import { orderOnShopify, records } from "./story";

// Eight mutations, 80 points, on the shop's own metafields: nothing the pipeline reads.
const NOISE = `mutation Noise($id: ID!) { ${Array.from(
  { length: 8 },
  (_, i) =>
    `m${i}: metafieldsSet(metafields: [{ ownerId: $id, namespace: "noise", key: "k${i}", type: "number_integer", value: "${i}" }]) { userErrors { message } }`,
).join(" ")} }`;

/**
 * A tiny leaky bucket (every few calls is THROTTLED) and one Admin request in five answered 503: every job
 * still completes, nothing is dead-lettered, and Shopify ends exactly where a calm run would.
 */
describe("a THROTTLED storm with injected 5xx", () => {
  let pipeline: Pipeline | undefined;
  afterEach(async () => {
    await pipeline?.stop();
    pipeline = undefined;
  });

  it("completes every job with the right holds and releases", { timeout: 90_000 }, async () => {
    pipeline = await startPipeline({
      plan: { maximumAvailable: 250, restoreRate: 50 },
      faults: { api: { serverErrorRate: 0.2 }, seed: 3 },
    });
    const shop = "storm.myshopify.com";
    const { locationId, token, shopGid } = await pipeline.install(shop, {
      allocationPolicy: "fair_share",
      allocationWindow: "batch",
    });
    // Another process of the app (the admin, a backfill) drains the same bucket without telling the pipeline.
    let storming = true;
    const storm = (async () => {
      while (storming) {
        await adminGraphql(pipeline!.shopify.origin, token, NOISE, { id: shopGid });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const product = await pipeline.shopify.control.createProduct(shop, {
      title: "Enamel mug",
      variants: [
        {
          sku: "MUG",
          price: "12.00",
          inventoryPolicy: "CONTINUE",
          tracked: true,
          available: { [String(locationId)]: 9 },
        },
      ],
    });
    const orders = [];
    for (let i = 0; i < 7; i++) {
      orders.push(
        await pipeline.shopify.control.placeOrder(shop, {
          customer: { email: `c${i}@example.com` },
          lines: [{ variantId: product.variants[0]!.id, quantity: 3 }],
        }),
      );
    }
    await pipeline.drain();
    await pipeline.enqueue(shop, "allocate", {});
    await pipeline.drain();
    storming = false;
    await storm;

    const view = [];
    for (const order of orders) view.push(await orderOnShopify(pipeline, shop, order));
    expect(view.map(({ released, held }) => [released, held])).toEqual([
      [2, 1],
      [2, 1],
      [1, 2],
      [1, 2],
      [1, 2],
      [1, 2],
      [1, 2],
    ]);
    expect((await records(shop)).lines.map((line) => line.shipped)).toEqual([2, 2, 1, 1, 1, 1, 1]);
    const jobs = await db.job.groupBy({ by: ["status"], _count: true });
    expect(jobs.map((group) => group.status)).toEqual(["succeeded"]);
    console.info(
      `storm: ${pipeline.calls.length} Admin calls, ${pipeline.calls.filter((c) => c.throttled).length} THROTTLED, ` +
        `${pipeline.calls.filter((c) => c.status >= 500).length} answered 5xx; jobs: ${JSON.stringify(jobs)}`,
    );
    expect(pipeline.calls.filter((call) => call.throttled).length).toBeGreaterThan(0);
    expect(pipeline.calls.filter((call) => call.status >= 500).length).toBeGreaterThan(0);
    // No hold was placed twice, whatever was retried.
    expect(view.map((order) => order.holds)).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });
});
