import { afterAll, beforeAll, describe, expect, it } from "vitest";

import db from "~/db.server";
import { handleCustomerDataRequest, handleCustomerRedact, handleShopRedact } from "~/services/compliance.server";

import { startPipeline, type Pipeline } from "./harness";

const SHOP = "privacy.myshopify.com";
const OTHER = "privacy-other.myshopify.com";

/** The compliance webhooks over the rows the pipeline itself wrote, not hand-made ones. */
describe("privacy of the pipeline's rows", () => {
  let pipeline: Pipeline;
  const customers: Record<string, number> = {};

  beforeAll(async () => {
    pipeline = await startPipeline();
    for (const shop of [SHOP, OTHER]) {
      const { locationId } = await pipeline.install(shop, { allocationPolicy: "fifo" });
      const product = await pipeline.shopify.control.createProduct(shop, {
        title: "Wool throw",
        variants: [
          {
            sku: "THROW",
            price: "90.00",
            inventoryPolicy: "CONTINUE",
            tracked: true,
            available: { [String(locationId)]: 0 },
          },
        ],
      });
      for (const email of ["ada@example.com", "ben@example.com"]) {
        await pipeline.shopify.control.placeOrder(shop, {
          customer: { email, firstName: email.slice(0, 3), lastName: "Test" },
          lines: [{ variantId: product.variants[0]!.id, quantity: 1 }],
        });
      }
    }
    await pipeline.drain();
    await pipeline.enqueue(SHOP, "reconcile", {});
    await pipeline.drain();
    for (const line of await db.backorderLine.findMany({ where: { shop: SHOP } })) {
      customers[line.customerName!] = Number(/(\d+)$/.exec(line.customerId!)![1]);
    }
  });

  afterAll(async () => {
    await pipeline.stop();
  });

  it("assembles a customer's backorders for a data request, and redacts only that customer", async () => {
    const ada = customers["ada Test"]!;
    const request = await handleCustomerDataRequest(db, {
      shop: SHOP,
      topic: "customers/data_request",
      webhookId: "dr-1",
      payload: { customer: { id: ada, email: "ada@example.com" }, orders_requested: [] },
    });
    expect(request.backorderLines.map((line) => [line.customerName, line.quantity, line.status])).toEqual([
      ["ada Test", 1, "waiting"],
    ]);

    await handleCustomerRedact(db, {
      shop: SHOP,
      topic: "customers/redact",
      webhookId: "cr-1",
      payload: { customer: { id: ada, email: "ada@example.com" }, orders_to_redact: [] },
    });
    const lines = await db.backorderLine.findMany({ where: { shop: SHOP }, orderBy: { orderName: "asc" } });
    expect(lines.map((line) => [line.customerId === null, line.customerName])).toEqual([
      [true, null],
      [false, "ben Test"],
    ]);
    // Nothing the pipeline keeps elsewhere names the customer.
    const events = await db.timelineEvent.findMany({ where: { shop: SHOP } });
    expect(events.filter((event) => /ada|example\.com/i.test(event.detail))).toEqual([]);
  });

  it("deletes every row of the shop on shop/redact, its sync runs included, and nothing of another shop", async () => {
    expect(await db.syncRun.count({ where: { shop: SHOP } })).toBe(1);
    const where = { where: { shop: SHOP } };
    // What the compliance record reports: each table's count by name, in this order.
    const reported = {
      timelineEvents: await db.timelineEvent.count(where),
      backorderLines: await db.backorderLine.count(where),
      lostSales: await db.lostSale.count(where),
      jobs: await db.job.count(where),
      webhookDeliveries: await db.webhookDelivery.count(where),
      effects: await db.effectLedger.count(where),
      settings: await db.shopSettings.count(where),
      sessions: await db.session.count(where),
      syncRuns: await db.syncRun.count(where),
      flowTriggerUsages: await db.flowTriggerUsage.count(where),
      flowTriggerEvents: await db.flowTriggerEvent.count(where),
      pendingAllocations: await db.pendingAllocation.count(where),
      restockDates: await db.restockDate.count(where),
      incomingStock: await db.incomingStock.count(where),
      sellingVariants: await db.sellingVariant.count(where),
    };
    const result = await handleShopRedact(db, {
      shop: SHOP,
      topic: "shop/redact",
      webhookId: "sr-1",
      payload: { shop_domain: SHOP },
    });
    expect(Object.entries(result)).toEqual(Object.entries(reported));
    const left = await Promise.all([
      db.backorderLine.count({ where: { shop: SHOP } }),
      db.timelineEvent.count({ where: { shop: SHOP } }),
      db.lostSale.count({ where: { shop: SHOP } }),
      db.effectLedger.count({ where: { shop: SHOP } }),
      db.syncRun.count({ where: { shop: SHOP } }),
      db.job.count({ where: { shop: SHOP } }),
      db.webhookDelivery.count({ where: { shop: SHOP } }),
    ]);
    expect(left).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(await db.backorderLine.count({ where: { shop: OTHER } })).toBe(2);
    expect(await db.effectLedger.count({ where: { shop: OTHER } })).toBeGreaterThan(0);
  });
});
