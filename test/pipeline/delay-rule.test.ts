import { afterAll, beforeAll, describe, expect, it } from "vitest";

import db from "~/db.server";
import { env } from "~/env.server";
import { createJobQueue } from "~/jobs/queue.server";
import { runBulkAction } from "~/services/admin/backorder-actions.server";
import { issueCustomerLink } from "~/services/customer-page/links.server";
import { formatDay } from "~/services/customer-page/locales";

import { TEST_SECRET } from "../support/webhooks";
import { startPipeline, type Pipeline } from "./harness";
import { orderOnShopify, records, shopState } from "./story";

const SHOP = "delay-rule.myshopify.com";
const DAY = 86_400_000;

/**
 * The Mail Order Rule end to end (docs/decisions/0024-delay-rule.md), through Local Shopify: two orders wait for
 * a bench; both get the first delay notice before their promised date (silence counts: 14 days later). The
 * merchant records that one customer agreed to wait longer (the modal's path, which the customer's page shares);
 * another answers the renewed notice with Wait on their page; the third says nothing, gets the renewed notice that
 * needs a yes, and at its reply date loses exactly its unfilled units, refunded once, as a lost sale with reason
 * `no_consent`.
 */
describe("the Mail Order Rule, with no yes to a later slip", () => {
  let pipeline: Pipeline;
  let silent: { id: number; gid: string; name: string };
  let agreeing: { id: number; gid: string; name: string };
  let answering: { id: number; gid: string; name: string };
  let orderedAt: number;

  beforeAll(async () => {
    pipeline = await startPipeline();
    env.SHOPIFY_ADMIN_API_ORIGIN = pipeline.shopify.origin;
    // The story's dates are calendar days of fractional offsets from the order: start it at 06:00 UTC (Local
    // Shopify's clock) so that no offset crosses a midnight the expected dates do not.
    await pipeline.advanceToHour(6);
    const { locationId } = await pipeline.install(SHOP, {
      expiryAction: "cancel",
      leadDays: 14,
      reminderDays: 0,
      deadlineDays: 30,
    });
    await pipeline.turnOnWorkflows(SHOP, ["backorder-delay-notice-due", "backorder-cancelled"]);
    const product = await pipeline.shopify.control.createProduct(SHOP, {
      title: "Teak bench",
      variants: [
        { sku: "BENCH", price: "100.00", inventoryPolicy: "CONTINUE", tracked: true, available: { [locationId]: 1 } },
      ],
    });
    const variantId = product.variants[0]!.id;
    silent = await pipeline.shopify.control.placeOrder(SHOP, {
      customer: { email: "quiet@example.com" },
      lines: [{ variantId, quantity: 3 }],
    });
    agreeing = await pipeline.shopify.control.placeOrder(SHOP, {
      customer: { email: "patient@example.com" },
      lines: [{ variantId, quantity: 1 }],
    });
    answering = await pipeline.shopify.control.placeOrder(SHOP, {
      customer: { email: "answers@example.com" },
      lines: [{ variantId, quantity: 1 }],
    });
    await pipeline.drain();
    orderedAt = (
      await db.backorderLine.findFirstOrThrow({ where: { shop: SHOP }, orderBy: { orderedAt: "asc" } })
    ).orderedAt.getTime();
  });

  afterAll(async () => {
    await pipeline.stop();
  });

  const dayOf = (days: number) => new Date(orderedAt + days * DAY).toISOString().slice(0, 10);

  async function sweepAt(days: number) {
    const target = orderedAt + days * DAY;
    await pipeline.shopify.control.advanceClock(Math.max(0, target - pipeline.now().getTime()));
    await pipeline.enqueue(SHOP, "deadline_sweep", {});
    await pipeline.drain();
    return pipeline.outcomes.filter((o) => o.type === "deadline_sweep").at(-1)!.outcome;
  }

  async function lineOf(order: { gid: string }) {
    return db.backorderLine.findFirstOrThrow({ where: { shop: SHOP, orderId: order.gid } });
  }

  async function noticesOf(order: { gid: string }) {
    const rows = await db.delayNotice.findMany({
      where: { shop: SHOP, orderId: order.gid },
      orderBy: { sentAt: "asc" },
    });
    return rows.map((n) => ({
      kind: n.kind,
      revisedAt: n.revisedAt.toISOString().slice(0, 10),
      silenceIsConsent: n.silenceIsConsent,
      replyBy: n.replyBy?.toISOString().slice(0, 10) ?? null,
    }));
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

  it("one unit ships at once; the rest waits, promised in 14 days", async () => {
    expect(await orderOnShopify(pipeline, SHOP, silent)).toEqual({ name: silent.name, released: 1, held: 2, holds: 1 });
    expect((await lineOf(silent)).promisedAt!.toISOString().slice(0, 10)).toBe(dayOf(14));
    expect(await sweepAt(11.9)).toEqual(nothing);
  });

  it("two days before the promised date each waiting line gets its first notice; silence counts", async () => {
    expect(await sweepAt(12.1)).toEqual({ ...nothing, delayNotices: 3 });
    const first = { kind: "first", revisedAt: dayOf(28), silenceIsConsent: true, replyBy: null };
    expect(await noticesOf(silent)).toEqual([first]);
    expect(await noticesOf(agreeing)).toEqual([first]);
    expect(await noticesOf(answering)).toEqual([first]);
  });

  it("the merchant records one customer's yes to a later date: the consent path the customer's page takes", async () => {
    const form = new FormData();
    form.set("intent", "extend_deadline");
    form.append("lineIds", (await lineOf(agreeing)).id);
    form.set("until", dayOf(42));
    form.set("consent", "on");
    const result = await runBulkAction({ db, queue: createJobQueue(db), now: pipeline.now() }, SHOP, form);
    expect(result).toEqual({ ok: true, message: `Deadline moved to ${dayOf(42)} for 1 line` });
    expect((await lineOf(agreeing)).consentUntil!.toISOString().slice(0, 10)).toBe(dayOf(42));
  });

  it("two days before the date silence agreed to, those who said nothing get the renewed notice that needs a yes", async () => {
    expect(await sweepAt(26.1)).toEqual({ ...nothing, renewedNotices: 2 });
    const renewed = { kind: "renewed", revisedAt: dayOf(42), silenceIsConsent: false, replyBy: dayOf(28) };
    expect((await noticesOf(silent)).at(-1)).toEqual(renewed);
    expect((await noticesOf(answering)).at(-1)).toEqual(renewed);
    expect(await noticesOf(agreeing)).toHaveLength(1);
    const triggers = (await shopState(pipeline, SHOP)).flowTriggers as {
      handle: string;
      payload: { order_id: number };
    }[];
    const told = triggers.filter((t) => t.handle === "backorder-delay-notice-due" && t.payload.order_id === silent.id);
    expect(told.map((t) => t.payload)).toEqual([
      expect.objectContaining({ "Revised date": dayOf(28), "Silence is consent": true, "Reply by": "" }),
      expect.objectContaining({ "Revised date": dayOf(42), "Silence is consent": false, "Reply by": dayOf(28) }),
    ]);
  });

  it("the customer who opens their page is told the reply date, and Wait is their yes to the renewed date", async () => {
    const link = (await issueCustomerLink(db, TEST_SECRET, SHOP, answering.gid, new Date(Date.now() + 30 * DAY))).path;
    const page = await fetch(`${pipeline.shopify.origin}/storefront/${SHOP}${link}`);
    const html = await page.text();
    const replyBy = formatDay("en", new Date(`${dayOf(28)}T12:00:00Z`));
    expect(html).toContain(`Please tell us by ${replyBy} whether you can wait`);
    const form = /<form method="post" action="([^"]*\/wait[^"]*)">(.*?)<\/form>/s.exec(html)!;
    const fields = Object.fromEntries(
      [...form[2]!.matchAll(/name="(\w+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]),
    );
    expect(fields.until).toBe(dayOf(42));
    const action = form[1]!.replace(`/storefront/${SHOP}`, "").replace(/&amp;/g, "&");
    const done = await fetch(`${pipeline.shopify.origin}/storefront/${SHOP}${action}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
    expect(done.status).toBe(200);
    expect((await lineOf(answering)).consentUntil!.toISOString()).toBe(`${dayOf(42)}T23:59:59.000Z`);
    expect(await sweepAt(27.9)).toEqual(nothing);
  });

  it("no yes by the reply date: the unfilled units are removed and refunded once, lost with reason no_consent", async () => {
    expect(await sweepAt(28.2)).toEqual({ ...nothing, noConsent: 1, cancelledUnits: 2 });
    expect(await sweepAt(29)).toEqual(nothing);

    const state = (await shopState(pipeline, SHOP)) as {
      orders: { id: number; lineItems: { quantity: number; currentQuantity: number }[] }[];
      refunds: { orderId: number }[];
      transactions: { orderId: number; kind: string; amountCents: number }[];
      flowTriggers: { handle: string; payload: Record<string, unknown> }[];
    };
    const onShopify = (id: number) => state.orders.find((o) => o.id === id)!.lineItems[0]!;
    expect(onShopify(silent.id)).toMatchObject({ quantity: 3, currentQuantity: 1 });
    expect(onShopify(agreeing.id)).toMatchObject({ quantity: 1, currentQuantity: 1 });
    expect(onShopify(answering.id)).toMatchObject({ quantity: 1, currentQuantity: 1 });
    expect(state.refunds.map((r) => r.orderId)).toEqual([silent.id]);
    expect(state.transactions.filter((t) => t.kind === "REFUND").map((t) => [t.orderId, t.amountCents])).toEqual([
      [silent.id, 20000],
    ]);
    expect(
      state.flowTriggers
        .filter((t) => t.handle === "backorder-cancelled")
        .map((t) => [t.payload.order_id, t.payload.Reason]),
    ).toEqual([[silent.id, "no_consent"]]);
    expect(await orderOnShopify(pipeline, SHOP, silent)).toEqual({ name: silent.name, released: 1, held: 0, holds: 0 });

    const { lines, lostSales } = await records(SHOP);
    expect(lostSales).toEqual([{ order: silent.name, quantity: 2, reason: "no_consent", cents: 10000 }]);
    expect(
      lines.map(({ order, shipped, backordered, lost, lostReason }) => ({
        order,
        shipped,
        backordered,
        lost,
        lostReason,
      })),
    ).toEqual([
      { order: silent.name, shipped: 1, backordered: 0, lost: 2, lostReason: "no_consent" },
      { order: agreeing.name, shipped: 0, backordered: 1, lost: 0, lostReason: null },
      { order: answering.name, shipped: 0, backordered: 1, lost: 0, lostReason: null },
    ]);
    // Each customer who said yes is told again only two days before the date they agreed to.
    expect(await noticesOf(agreeing)).toHaveLength(1);
    expect(await noticesOf(answering)).toHaveLength(2);
  });
});
