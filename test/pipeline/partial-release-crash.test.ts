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
 * A partial release is two Shopify steps (release the hold, hold the waiting units again). A crash after
 * either step reached Shopify and before the ledger noted it (a SQLite trigger refusing that ledger row stands
 * in for the crash) must not leave the waiting unit open to ship, nor hold it twice, on the retry.
 */
let pipeline: Pipeline;

beforeAll(async () => {
  pipeline = await startPipeline();
});

afterAll(async () => {
  await db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS "fail_ledger_step"`);
  await pipeline.stop();
});

describe("a partial release interrupted between its steps", () => {
  for (const step of ["released", "reheld"] as const) {
    it(`ends with 2 fulfillable and 1 held after a crash once Shopify ${step}`, { timeout: 60_000 }, async () => {
      const shop = `partial-crash-${step}.myshopify.com`;
      const { locationId, token } = await pipeline.install(shop, {
        allocationPolicy: "fifo",
        allocationWindow: "batch",
      });
      const product = await pipeline.shopify.control.createProduct(shop, {
        title: "Teapot",
        variants: [{ sku: "TEAPOT", price: "25.00", inventoryPolicy: "CONTINUE", tracked: true, available: {} }],
      });
      const variant = product.variants[0]!;
      const order = await pipeline.shopify.control.placeOrder(shop, {
        customer: { email: "a@example.com" },
        lines: [{ variantId: variant.id, quantity: 3 }],
      });
      await pipeline.drain();
      await pipeline.shopify.control.adjustInventory(shop, {
        inventoryItemId: variant.inventoryItemId,
        locationId,
        delta: 2,
      });
      await pipeline.drain();
      const [line] = await db.backorderLine.findMany({ where: { shop } });
      const services: Services = {
        db,
        shop,
        admin: createAdminGateway({ shop, accessToken: token, origin: pipeline.shopify.origin }),
        queue: createJobQueue(db),
        settings: await getSettings(db, shop),
        now: pipeline.now,
      };
      await db.$executeRawUnsafe(
        `CREATE TRIGGER "fail_ledger_step" BEFORE INSERT ON "EffectLedger"
         WHEN NEW."key" LIKE 'partial-release:%:${step}' BEGIN SELECT RAISE(ABORT, 'worker gone'); END`,
      );
      try {
        await expect(allocateItem(services, line!.inventoryItemId!, "cutoff")).rejects.toThrow(/effectLedger\.create/);
      } finally {
        await db.$executeRawUnsafe(`DROP TRIGGER "fail_ledger_step"`);
      }
      // Shopify has applied the step: after the release every unit is open, after the re-hold one is held.
      expect((await orderOnShopify(pipeline, shop, order)).held).toBe(step === "released" ? 0 : 1);

      await allocateItem(services, line!.inventoryItemId!, "cutoff");
      await pipeline.drain();
      expect(await orderOnShopify(pipeline, shop, order)).toEqual({ name: order.name, released: 2, held: 1, holds: 1 });
      const [after] = (await records(shop)).lines;
      expect([after!.shipped, after!.backordered]).toEqual([2, 1]);
      const fos = await pipeline.shopify.control.fulfillmentOrders(shop, order.id);
      const heldFo = fos.find((fo) => fo.status === "ON_HOLD")!;
      const row = await db.backorderLine.findFirstOrThrow({ where: { shop } });
      expect(row.holdId).toBe(`gid://shopify/FulfillmentHold/${heldFo.holds[0]!.id}`);
    });
  }
});
