import { afterAll, beforeAll, describe, expect, it } from "vitest";

import db from "~/db.server";

import { startPipeline, type Pipeline } from "./harness";
import { orderOnShopify } from "./story";

const SHOP = "deadlines.myshopify.com";
const DAY = 86_400_000;

/**
 * The timeline under expiry action `notify`: reminder, the first delay notice two days before the promised date
 * (silence counts: 14 days later), the renewed notice that needs a yes, and with none the deadline's flagged
 * notice instead of a cancellation (the merchant chose to cancel nothing automatically).
 */
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

  const nothing = {
    reminders: 0,
    delayNotices: 0,
    renewedNotices: 0,
    expired: 0,
    noConsent: 0,
    cancelledUnits: 0,
    nonCompliant: 0,
  };
  const dayOf = async (days: number) => {
    const line = await db.backorderLine.findFirstOrThrow({ where: { shop: SHOP } });
    return new Date(line.orderedAt.getTime() + days * DAY).toISOString().slice(0, 10);
  };

  it("reminds the merchant three days before the promised date", async () => {
    expect(await sweepAt(11)).toEqual({ ...nothing, reminders: 1 });
    expect(await delayTriggers()).toEqual([]);
  });

  it("two days before the promised date sends the first delay notice: 14 days later, silence counts", async () => {
    expect(await sweepAt(12)).toEqual({ ...nothing, delayNotices: 1 });
    const line = await db.backorderLine.findFirstOrThrow({ where: { shop: SHOP } });
    expect(line.promisedAt!.toISOString().slice(0, 10)).toBe(await dayOf(28));
    expect(await delayTriggers()).toEqual([
      {
        order_id: order.id,
        "Product title": "Rattan chair",
        "Backordered units": 2,
        "Revised date": await dayOf(28),
        "Silence is consent": true,
        "Reply by": "",
        "Deadline passed": false,
        "Past legal ceiling": false,
      },
    ]);
  });

  it("two days before the date agreed by silence sends the renewed notice, which needs a yes", async () => {
    expect(await sweepAt(25)).toEqual(nothing);
    expect(await sweepAt(26)).toEqual({ ...nothing, renewedNotices: 1 });
    expect((await delayTriggers()).at(-1)).toMatchObject({
      "Revised date": await dayOf(42),
      "Silence is consent": false,
      "Reply by": await dayOf(28),
    });
    const notices = await db.delayNotice.findMany({ where: { shop: SHOP }, orderBy: { sentAt: "asc" } });
    expect(notices.map((n) => [n.kind, n.silenceIsConsent, n.replyBy?.toISOString().slice(0, 10) ?? null])).toEqual([
      ["first", true, null],
      ["renewed", false, await dayOf(28)],
    ]);
  });

  it("without a yes, only notifies (flagged), and leaves the order held; then nothing more", async () => {
    // The yes was due by day 28, the date silence agreed to (and two days after the renewed notice).
    expect(await sweepAt(27.9)).toEqual(nothing);
    expect(await sweepAt(28.1)).toEqual({ ...nothing, expired: 1, nonCompliant: 1 });
    expect((await delayTriggers()).at(-1)).toMatchObject({
      "Deadline passed": true,
      "Past legal ceiling": true,
      "Revised date": "",
    });
    expect(await orderOnShopify(pipeline, SHOP, order)).toEqual({ name: order.name, released: 0, held: 2, holds: 1 });
    expect(await db.lostSale.count({ where: { shop: SHOP } })).toBe(0);
    expect(await sweepAt(31)).toEqual(nothing);
    const kinds = await db.timelineEvent.findMany({
      where: { shop: SHOP },
      orderBy: { at: "asc" },
      select: { kind: true },
    });
    expect(kinds.map((event) => event.kind)).toEqual([
      "held",
      "reminder",
      "delay_notice",
      "delay_notice",
      "delay_notice",
    ]);
  });
});

/**
 * Expiry `cancel` on an order priced as real stores price them: 10 % off, 8.25 % tax, 9.00 shipping, paid in
 * euros (0.92 per dollar) with a 20.00 EUR gift card and a card. Every unit is cancelled at the deadline, so
 * the customer gets back exactly what they paid, shipping included (setting `refundShipping`, on by default).
 */
describe("deadline refund of a discounted, taxed order in a foreign presentment currency", () => {
  const shop = "deadline-refund.myshopify.com";
  let pipeline: Pipeline;
  let order: { id: number; gid: string; name: string; lineItems: { gid: string }[] };

  beforeAll(async () => {
    pipeline = await startPipeline();
    const { locationId } = await pipeline.install(shop, { expiryAction: "cancel", leadDays: 14, deadlineDays: 30 });
    const product = await pipeline.shopify.control.createProduct(shop, {
      title: "Lamp",
      variants: [
        { sku: "LAMP", price: "50.00", inventoryPolicy: "CONTINUE", tracked: true, available: { [locationId]: 0 } },
      ],
    });
    order = await pipeline.shopify.control.placeOrder(shop, {
      customer: { email: "eu@example.com" },
      lines: [{ variantId: product.variants[0]!.id, quantity: 3 }],
      pricing: {
        presentmentCurrency: "EUR",
        exchangeRate: 0.92,
        discountRate: 0.1,
        taxRate: 0.0825,
        shippingPrice: "9.00",
      },
      payments: [{ gateway: "gift_card", amount: "20.00" }],
    });
    await pipeline.drain();
  });

  afterAll(async () => {
    await pipeline.stop();
  });

  async function orderTags(): Promise<string[]> {
    const state = (await pipeline.shopify.control.state()).shops.find(
      (s) => (s as { domain?: string }).domain === shop,
    ) as { orders: { id: number; tags: string[] }[] };
    return state.orders.find((o) => o.id === order.id)!.tags;
  }

  it("refunds 143.41 EUR (155.88 USD) over both payments, to the cent, cancels the units and untags the order", async () => {
    expect(await orderTags()).toContain("backordered");
    const line = await db.backorderLine.findFirstOrThrow({ where: { shop } });
    await pipeline.shopify.control.advanceClock(line.orderedAt.getTime() + 31 * DAY - pipeline.now().getTime());
    await pipeline.enqueue(shop, "deadline_sweep", {});
    await pipeline.drain();
    expect(pipeline.outcomes.filter((o) => o.type === "deadline_sweep").at(-1)!.outcome).toMatchObject({
      expired: 1,
      cancelledUnits: 3,
    });

    const state = (await pipeline.shopify.control.state()).shops.find(
      (s) => (s as { domain?: string }).domain === shop,
    ) as {
      orders: { id: number; lineItems: { currentQuantity: number }[] }[];
      refunds: { orderId: number }[];
      transactions: {
        orderId: number;
        kind: string;
        gateway: string;
        amountCents: number;
        presentmentAmountCents: number;
      }[];
    };
    const payments = state.transactions
      .filter((t) => t.orderId === order.id)
      .map((t) => [t.kind, t.gateway, t.presentmentAmountCents, t.amountCents]);
    // 3 × 46.00 EUR − 13.80 discount + 10.25 tax + 8.28 shipping + 0.68 its tax = 143.41 EUR, all of it back.
    expect(payments).toEqual([
      ["SALE", "gift_card", 2000, 2174],
      ["SALE", "bogus", 12341, 13414],
      ["REFUND", "gift_card", 2000, 2174],
      ["REFUND", "bogus", 12341, 13414],
    ]);
    expect(state.refunds.filter((r) => r.orderId === order.id)).toHaveLength(1);
    expect(state.orders.find((o) => o.id === order.id)!.lineItems.map((l) => l.currentQuantity)).toEqual([0]);
    expect(await orderOnShopify(pipeline, shop, order)).toMatchObject({ held: 0 });
    // Nothing waits any more: the order loses the tag as it does when its last units ship.
    expect(await orderTags()).not.toContain("backordered");

    const refunded = await db.timelineEvent.findFirstOrThrow({ where: { shop, kind: "refunded" } });
    // The line's share in shop money: 150.00 − 15.00 discount + 11.14 tax (shipping is the order's, not the line's).
    expect(JSON.parse(String(refunded.detail))).toMatchObject({
      amountCents: 14614,
      refundCents: 14341,
      refundCurrency: "EUR",
    });
  });
});
