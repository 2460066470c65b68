import { afterAll, beforeAll, describe, expect, it } from "vitest";

import db from "~/db.server";
import { createJobQueue } from "~/jobs/queue.server";
import { getSettings } from "~/models/settings.server";
import type { Pipeline as Services } from "~/services/pipeline.server";
import { runRoutingCheck } from "~/services/jobs/routing-check.server";
import type { ReconcileOutcome } from "~/services/reconcile.server";
import { createAdminGateway } from "~/shopify/gateway.server";

import { startPipeline, type Pipeline } from "./harness";
import { orderOnShopify } from "./story";

/**
 * Reads that stop at a fixed `first:` page must go on past it: orders with more lines than one page, more
 * orders than one page of the reconciliation's reads, against Local Shopify's real cursors.
 */
let pipeline: Pipeline;

beforeAll(async () => {
  // A Plus shop's bucket: these runs read far more than a Standard bucket holds, and only paging is at stake.
  pipeline = await startPipeline({ plan: { maximumAvailable: 20_000, restoreRate: 1_000 } });
});
afterAll(async () => {
  await pipeline.stop();
});

/** A product with `count` CONTINUE variants, `available` of each at the shop's first location. */
async function products(shop: string, locationId: number, count: number, available: number) {
  const product = await pipeline.shopify.control.createProduct(shop, {
    title: "Tiles",
    variants: Array.from({ length: count }, (_, i) => ({
      sku: `TILE-${i}`,
      price: "4.00",
      inventoryPolicy: "CONTINUE" as const,
      tracked: true,
      available: { [String(locationId)]: available },
    })),
  });
  return product.variants;
}

async function withoutSession<T>(shop: string, work: () => Promise<T>): Promise<T> {
  // Not installed for the app's jobs meanwhile: the orders' webhooks find nothing to act for.
  const session = await db.session.findUniqueOrThrow({ where: { id: `offline_${shop}` } });
  await db.session.delete({ where: { id: session.id } });
  const result = await work();
  await db.session.create({ data: session });
  return result;
}

describe("reads past one page", () => {
  it(
    "counts a later order's units on its sixth line when two orders race for the last unit",
    { timeout: 60_000 },
    async () => {
      const shop = "paging-race.myshopify.com";
      const { locationId, token } = await pipeline.install(shop, { allocationPolicy: "fifo" });
      const [racing] = await products(shop, locationId, 1, 1);
      const others = await products(shop, locationId, 5, 5);
      // Jobs run only when the test drains: both orders exist, then the first is detected before the second is known.
      const first = await pipeline.shopify.control.placeOrder(shop, {
        customer: { email: "first@example.com" },
        lines: [{ variantId: racing!.id, quantity: 1 }],
      });
      // Placed after it, the last unit on its sixth line: past BackorderLaterOrders' page of five lines.
      const second = await pipeline.shopify.control.placeOrder(shop, {
        customer: { email: "second@example.com" },
        lines: [...others.map((v) => ({ variantId: v.id, quantity: 1 })), { variantId: racing!.id, quantity: 1 }],
      });
      await pipeline.shopify.control.settle();
      const services: Services = {
        db,
        shop,
        admin: createAdminGateway({ shop, accessToken: token, origin: pipeline.shopify.origin }),
        queue: createJobQueue(db),
        settings: await getSettings(db, shop),
        now: pipeline.now,
      };
      expect(await runRoutingCheck(services, { orderId: first.gid })).toEqual({ kind: "not_backordered" });
      await pipeline.drain();

      // The first order had the unit: it was never held, and only the second waits for it.
      const lines = await db.backorderLine.findMany({ where: { shop } });
      expect(lines.map((line) => [line.orderName, line.sku, line.backorderedQty])).toEqual([
        [second.name, "TILE-0", 1],
      ]);
      expect(await orderOnShopify(pipeline, shop, first)).toMatchObject({ released: 1, held: 0 });
    },
  );

  it("backfills and releases an order with more lines than one page", { timeout: 60_000 }, async () => {
    const shop = "paging-lines.myshopify.com";
    const { locationId } = await pipeline.install(shop, { allocationPolicy: "fifo" });
    const variants = await products(shop, locationId, 12, 0);
    const order = await withoutSession(shop, async () => {
      const placed = await pipeline.shopify.control.placeOrder(shop, {
        customer: { email: "tiles@example.com" },
        lines: variants.map((v) => ({ variantId: v.id, quantity: 1 })),
      });
      await pipeline.drain();
      return placed;
    });
    await pipeline.enqueue(shop, "backfill", {});
    await pipeline.drain();
    const waiting = await db.backorderLine.findMany({ where: { shop }, orderBy: { sku: "asc" } });
    expect(waiting.map((line) => line.backorderedQty)).toEqual(Array(12).fill(1));

    // Stock for the twelfth line: the waiting-orders read (ten lines a page) must see it is still on the order.
    await pipeline.shopify.control.adjustInventory(shop, { sku: "TILE-11", delta: 1 });
    await pipeline.drain();
    const after = await db.backorderLine.findFirstOrThrow({ where: { shop, sku: "TILE-11" } });
    expect([after.shippedQty, after.backorderedQty]).toEqual([1, 0]);
    expect(await orderOnShopify(pipeline, shop, order)).toMatchObject({ released: 1, held: 11 });
  });

  it("reconciles more orders and holds than one page of its reads", { timeout: 120_000 }, async () => {
    const shop = "paging-reconcile.myshopify.com";
    const { locationId } = await pipeline.install(shop, { allocationPolicy: "fifo" });
    const [variant] = await products(shop, locationId, 1, 0);
    const orders = await withoutSession(shop, async () => {
      const placed = [];
      for (let i = 0; i < 53; i++) {
        placed.push(
          await pipeline.shopify.control.placeOrder(shop, {
            customer: { email: `r${i}@example.com` },
            lines: [{ variantId: variant!.id, quantity: 1 }],
          }),
        );
      }
      await pipeline.drain();
      return placed;
    });
    const reconcile = async () => {
      await pipeline.enqueue(shop, "reconcile", {});
      await pipeline.drain();
      return pipeline.outcomes.filter((o) => o.shop === shop && o.type === "reconcile").at(-1)!
        .outcome as ReconcileOutcome;
    };

    // Recent orders come 50 a page: all 53 are found and held.
    expect((await reconcile()).ordersNeverSeen).toBe(53);
    expect(await db.backorderLine.count({ where: { shop, holdId: { not: null } } })).toBe(53);

    // The records lost: the app's holds come 50 fulfillment orders a page, and every one is found again.
    await db.backorderLine.deleteMany({ where: { shop } });
    expect((await reconcile()).holdsWithoutRecord).toBe(53);
    expect(await db.backorderLine.count({ where: { shop } })).toBe(53);
    const view = await Promise.all(orders.map((order) => orderOnShopify(pipeline, shop, order)));
    expect(view.every((o) => o.holds === 1 && o.held === 1)).toBe(true);
  });
});
