import { afterAll, beforeAll, describe, expect, it } from "vitest";

import db from "~/db.server";
import { createJobQueue } from "~/jobs/queue.server";
import { getSettings } from "~/models/settings.server";
import { allocateItem } from "~/services/allocation.server";
import type { Pipeline as Services } from "~/services/pipeline.server";
import { createAdminGateway } from "~/shopify/gateway.server";

import { startPipeline, type Pipeline } from "./harness";
import { orderOnShopify, records } from "./story";

/**
 * The seed story's cut-off interrupted after Shopify split off the units that ship and while the records
 * were being written: the write of the third order's lines fails (a SQLite trigger stands in for the crash,
 * at exactly that point). The retried allocation must release on Shopify no more than the first one
 * decided: 9 units for 9 in stock, never a second share of the same stock.
 */
const SHOP = "interrupted-release.myshopify.com";
let pipeline: Pipeline;

beforeAll(async () => {
  pipeline = await startPipeline();
});

afterAll(async () => {
  await db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS "fail_records_write"`);
  await pipeline.stop();
});

describe("a cut-off interrupted between Shopify's releases and the records", () => {
  it("releases on retry only what the records grant, once", { timeout: 60_000 }, async () => {
    const { locationId, token } = await pipeline.install(SHOP, {
      allocationPolicy: "fair_share",
      allocationWindow: "batch",
    });
    const product = await pipeline.shopify.control.createProduct(SHOP, {
      title: "Ceramic pour-over",
      variants: [
        { sku: "POUR", price: "40.00", inventoryPolicy: "CONTINUE", tracked: true, available: { [locationId]: 9 } },
      ],
    });
    const orders: { id: number; name: string }[] = [];
    for (let i = 0; i < 7; i++) {
      orders.push(
        await pipeline.shopify.control.placeOrder(SHOP, {
          customer: { email: `c${i}@example.com` },
          lines: [{ variantId: product.variants[0]!.id, quantity: 3 }],
        }),
      );
    }
    await pipeline.drain();
    const view = async () =>
      (await Promise.all(orders.map((order) => orderOnShopify(pipeline, SHOP, order)))).map(
        ({ released, held, holds }) => [released, held, holds],
      );
    expect(await view()).toEqual(Array.from({ length: 7 }, () => [0, 3, 1]));

    const lines = await db.backorderLine.findMany({ where: { shop: SHOP }, orderBy: { orderedAt: "asc" } });
    const services: Services = {
      db,
      shop: SHOP,
      admin: createAdminGateway({ shop: SHOP, accessToken: token, origin: pipeline.shopify.origin }),
      queue: createJobQueue(db),
      settings: await getSettings(db, SHOP),
      now: pipeline.now,
    };
    const third = lines[2]!.orderId;
    await db.$executeRawUnsafe(
      `CREATE TRIGGER "fail_records_write" BEFORE UPDATE OF "shippedQty" ON "BackorderLine"
       WHEN NEW."orderId" = '${third}' BEGIN SELECT RAISE(ABORT, 'worker gone'); END`,
    );
    await expect(allocateItem(services, lines[0]!.inventoryItemId!, "cutoff")).rejects.toThrow(/backorderLine.update/);
    // Shopify already let every granted unit ship: the interruption came after the split.
    const splitBeforeCrash = await view();
    expect(splitBeforeCrash.reduce((n, [released]) => n + released!, 0)).toBe(9);

    await db.$executeRawUnsafe(`DROP TRIGGER "fail_records_write"`);
    await allocateItem(services, lines[0]!.inventoryItemId!, "cutoff");
    await pipeline.drain();

    const expected = [
      [2, 1, 1],
      [2, 1, 1],
      [1, 2, 1],
      [1, 2, 1],
      [1, 2, 1],
      [1, 2, 1],
      [1, 2, 1],
    ];
    expect(await view()).toEqual(expected);
    expect((await records(SHOP)).lines.map((line) => [line.shipped, line.backordered])).toEqual(
      expected.map(([released, held]) => [released, held]),
    );
  });
});

describe("a cut-off interrupted between Shopify's releases and the records, then a new order", () => {
  it("applies on retry the grants decided before the crash, not new ones", { timeout: 60_000 }, async () => {
    const shop = "interrupted-new-order.myshopify.com";
    const { locationId, token } = await pipeline.install(shop, {
      allocationPolicy: "fair_share",
      allocationWindow: "batch",
    });
    const product = await pipeline.shopify.control.createProduct(shop, {
      title: "Ceramic pour-over",
      variants: [
        { sku: "POUR", price: "40.00", inventoryPolicy: "CONTINUE", tracked: true, available: { [locationId]: 9 } },
      ],
    });
    const place = (i: number) =>
      pipeline.shopify.control.placeOrder(shop, {
        customer: { email: `c${i}@example.com` },
        lines: [{ variantId: product.variants[0]!.id, quantity: 3 }],
      });
    const orders: { id: number; name: string }[] = [];
    for (let i = 0; i < 7; i++) orders.push(await place(i));
    await pipeline.drain();
    const view = async () =>
      (await Promise.all(orders.map((order) => orderOnShopify(pipeline, shop, order)))).map(({ released }) => released);

    const services: Services = {
      db,
      shop,
      admin: createAdminGateway({ shop, accessToken: token, origin: pipeline.shopify.origin }),
      queue: createJobQueue(db),
      settings: await getSettings(db, shop),
      now: pipeline.now,
    };
    const lines = await db.backorderLine.findMany({ where: { shop }, orderBy: { orderedAt: "asc" } });
    await db.$executeRawUnsafe(
      `CREATE TRIGGER "fail_records_write" BEFORE UPDATE OF "shippedQty" ON "BackorderLine"
       WHEN NEW."shop" = '${shop}' BEGIN SELECT RAISE(ABORT, 'worker gone'); END`,
    );
    await expect(allocateItem(services, lines[0]!.inventoryItemId!, "cutoff")).rejects.toThrow(/backorderLine.update/);
    await db.$executeRawUnsafe(`DROP TRIGGER "fail_records_write"`);
    expect(await view()).toEqual([2, 2, 1, 1, 1, 1, 1]);

    // Before the retry, an eighth order arrives and is recorded as waiting: recomputing the shares now would
    // give it a unit that Shopify already let another order ship.
    orders.push(await place(7));
    await pipeline.drain();
    await allocateItem(services, lines[0]!.inventoryItemId!, "cutoff");
    await pipeline.drain();

    expect(await view()).toEqual([2, 2, 1, 1, 1, 1, 1, 0]);
    expect((await records(shop)).lines.map((line) => line.shipped)).toEqual([2, 2, 1, 1, 1, 1, 1, 0]);
    const allocatedEvents = await db.timelineEvent.findMany({ where: { shop, kind: "allocated" } });
    expect(allocatedEvents.reduce((n, event) => n + (event.quantity ?? 0), 0)).toBe(9);
  });
});
