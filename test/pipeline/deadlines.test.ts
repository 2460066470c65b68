import { afterAll, beforeAll, describe, expect, it } from "vitest";

import db from "~/db.server";

import { startPipeline, type Pipeline } from "./harness";
import { orderOnShopify } from "./story";

const SHOP = "deadlines.myshopify.com";
const DAY = 86_400_000;

/** The timeline under expiry action `notify`: reminder, delay notice with a revised date, then notices only. */
describe("deadline sweep with expiry action notify", () => {
  let pipeline: Pipeline;
  let order: { id: number; gid: string; name: string };

  beforeAll(async () => {
    pipeline = await startPipeline();
    const { locationId } = await pipeline.install(SHOP, {
      expiryAction: "notify",
      leadDays: 14,
      reminderDays: 3,
      deadlineDays: 30,
    });
    await pipeline.turnOnWorkflows(SHOP, ["backorder-delay-notice-due"]);
    const product = await pipeline.shopify.control.createProduct(SHOP, {
      title: "Rattan chair",
      variants: [
        {
          sku: "CHAIR",
          price: "150.00",
          inventoryPolicy: "CONTINUE",
          tracked: true,
          available: { [String(locationId)]: 0 },
        },
      ],
    });
    order = await pipeline.shopify.control.placeOrder(SHOP, {
      customer: { email: "a@example.com" },
      lines: [{ variantId: product.variants[0]!.id, quantity: 2 }],
    });
    await pipeline.drain();
  });

  afterAll(async () => {
    await pipeline.stop();
  });

  async function sweepAt(day: number) {
    const line = await db.backorderLine.findFirstOrThrow({ where: { shop: SHOP } });
    const target = line.orderedAt.getTime() + day * DAY + 60_000;
    await pipeline.shopify.control.advanceClock(Math.max(0, target - pipeline.now().getTime()));
    await pipeline.enqueue(SHOP, "deadline_sweep", {});
    await pipeline.drain();
    return pipeline.outcomes.filter((o) => o.type === "deadline_sweep").at(-1)!.outcome;
  }

  async function delayTriggers() {
    const state = await pipeline.shopify.control.state();
    const shop = state.shops.find((s) => (s as { domain?: string }).domain === SHOP) as {
      flowTriggers: { handle: string; payload: Record<string, unknown> }[];
    };
    return shop.flowTriggers.filter((t) => t.handle === "backorder-delay-notice-due").map((t) => t.payload);
  }

  it("reminds the merchant three days before the promised date", async () => {
    expect(await sweepAt(12)).toEqual({
      reminders: 1,
      delayNotices: 0,
      expired: 0,
      cancelledUnits: 0,
      nonCompliant: 0,
    });
    expect(await delayTriggers()).toEqual([]);
  });

  it("on the promised date sends a delay notice with a revised date, never past the final deadline", async () => {
    expect(await sweepAt(15)).toEqual({
      reminders: 0,
      delayNotices: 1,
      expired: 0,
      cancelledUnits: 0,
      nonCompliant: 0,
    });
    const line = await db.backorderLine.findFirstOrThrow({ where: { shop: SHOP } });
    const revised = new Date(line.orderedAt.getTime() + 28 * DAY).toISOString().slice(0, 10);
    expect(line.promisedAt!.toISOString().slice(0, 10)).toBe(revised);
    expect(await delayTriggers()).toEqual([
      {
        order_id: order.id,
        "Product title": "Rattan chair",
        "Backordered units": 2,
        "Revised date": revised,
        "Deadline passed": false,
        "Past legal ceiling": false,
      },
    ]);
  });

  it("at the deadline only notifies, flagged past the 30-day ceiling, and leaves the order held", async () => {
    expect(await sweepAt(31)).toEqual({
      reminders: 0,
      delayNotices: 0,
      expired: 1,
      cancelledUnits: 0,
      nonCompliant: 1,
    });
    expect((await delayTriggers()).at(-1)).toMatchObject({
      "Deadline passed": true,
      "Past legal ceiling": true,
      "Revised date": "",
    });
    expect(await orderOnShopify(pipeline, SHOP, order)).toEqual({ name: order.name, released: 0, held: 2, holds: 1 });
    expect(await db.lostSale.count({ where: { shop: SHOP } })).toBe(0);
    // Sweeping again issues nothing new.
    expect(await sweepAt(32)).toEqual({
      reminders: 0,
      delayNotices: 0,
      expired: 0,
      cancelledUnits: 0,
      nonCompliant: 0,
    });
    const kinds = await db.timelineEvent.findMany({
      where: { shop: SHOP },
      orderBy: { at: "asc" },
      select: { kind: true },
    });
    expect(kinds.map((event) => event.kind)).toEqual(["held", "reminder", "delay_notice", "delay_notice"]);
  });
});
