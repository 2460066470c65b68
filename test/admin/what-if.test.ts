import { beforeEach, describe, expect, it } from "vitest";

import db from "~/db.server";
import { replayAll, type Scenario, type ScenarioEvent } from "~/domain";
import { DEFAULT_SETTINGS as ENGINE_DEFAULTS } from "~/domain";
import { DEFAULT_SETTINGS, getSettings, saveSettings } from "~/models/settings.server";
import { loader as analyticsLoader } from "~/routes/app.analytics";
import { action, loader } from "~/routes/app.what-if";
import { compareAllPolicies, type runWhatIf, splitScenario } from "~/services/admin/what-if.server";

import { seedStory } from "../fixtures/seed/seed";
import { adminRequest, call, installShop } from "./support";

const SHOP = "north-star.myshopify.com";
const OTHER = "other-shop.myshopify.com";
const now = new Date();

beforeEach(async () => {
  for (const table of ["Session", "BackorderLine", "TimelineEvent", "ShopSettings", "LostSale"])
    await db.$executeRawUnsafe(`DELETE FROM "${table}"`);
  await installShop(SHOP);
  await installShop(OTHER);
  await seedStory(db, SHOP, now);
});

describe("what-if loader", () => {
  it("GIVEN the seed story THEN every policy's outcome for its 7 customers and the 9 units that arrived", async () => {
    const { status, body } = await call(loader, await adminRequest("/app/what-if", { shop: SHOP }));
    const whatIf = await body.comparison;

    // The 9 units arrived 3 days after the first order (customers ordered an hour apart).
    const wait = (hoursAfterFirst: number[]) =>
      hoursAfterFirst.reduce((sum, h) => sum + (72 - h), 0) / hoursAfterFirst.length / 24;
    const firstThree = {
      fillRate: 9 / 21,
      unitsShipped: 9,
      ordersCompleted: 3,
      customersServed: 3,
      meanWaitDays: expect.closeTo(wait([0, 1, 2]), 9),
      p95WaitDays: expect.closeTo(3, 9),
      lostUnits: 0,
      lostRevenue: 0,
    };
    const everyone = {
      fillRate: 9 / 21,
      unitsShipped: 9,
      ordersCompleted: 0,
      customersServed: 7,
      meanWaitDays: expect.closeTo(wait([0, 1, 2, 3, 4, 5, 6]), 9),
      p95WaitDays: expect.closeTo(3, 9),
      lostUnits: 0,
      lostRevenue: 0,
    };
    expect(status).toBe(200);
    expect(body).toMatchObject({ days: 30, currency: "USD", currentPolicy: "fifo" });
    expect(whatIf).toEqual({
      days: 30,
      currentPolicy: "fifo",
      orders: 7,
      unitsArrived: 9,
      parts: 1,
      recorded: { lostUnits: 0, lostCents: 0 },
      outcomes: [
        { policy: "fifo", ...firstThree },
        { policy: "fair_share", ...everyone },
        { policy: "priority", ...firstThree },
        { policy: "earliest_deadline", ...firstThree },
        { policy: "smallest_first", ...firstThree },
        { policy: "proportional", ...everyone },
      ],
    });
  });

  it("GIVEN another shop with no backorders THEN nothing to replay, and the first shop's data is not used", async () => {
    const { body } = await call(loader, await adminRequest("/app/what-if", { shop: OTHER }));
    expect(await body.comparison).toMatchObject({ orders: 0, unitsArrived: 0, parts: 0 });
  });
});

/** Three orders of 3 placed 40 days ago; 5 units came two days later (FIFO: 3 and 2); the final deadline (or a
 * delay notice left without a yes) took the 4 unfilled units 10 days ago. Every line is closed and was ordered
 * before a 30-day window. */
async function seedClosedByDeadline(shop: string, reason: "deadline" | "no_consent") {
  const DAY = 86_400_000;
  const orderedAt = (i: number) => new Date(now.getTime() - 40 * DAY + i * 3_600_000);
  const restock = new Date(now.getTime() - 38 * DAY);
  const expired = new Date(now.getTime() - 10 * DAY);
  for (const [i, shipped] of [3, 2, 0].entries()) {
    const orderId = `gid://shopify/Order/${4001 + i}`;
    const lost = 3 - shipped;
    const line = await db.backorderLine.create({
      data: {
        shop,
        orderId,
        orderName: `#${4001 + i}`,
        orderedAt: orderedAt(i),
        lineItemId: `gid://shopify/LineItem/${4001 + i}`,
        variantId: "gid://shopify/ProductVariant/91",
        productId: "gid://shopify/Product/9",
        inventoryItemId: "gid://shopify/InventoryItem/91",
        title: "Wool hat",
        quantity: 3,
        shippedQty: shipped,
        lostQty: lost,
        lostReason: lost > 0 ? reason : null,
        status: lost === 0 || shipped > 0 ? "allocated" : reason === "deadline" ? "expired" : "cancelled",
        unitPriceCents: 1_800,
        expiredAt: lost > 0 && reason === "deadline" ? expired : null,
      },
    });
    const event = { shop, orderId, backorderLineId: line.id };
    await db.timelineEvent.createMany({
      data: [
        { ...event, kind: "held", quantity: 3, at: orderedAt(i) },
        ...(shipped > 0
          ? [
              { ...event, kind: "allocated", quantity: shipped, at: restock },
              { ...event, kind: "released", quantity: shipped, at: restock },
            ]
          : []),
        ...(lost > 0
          ? [
              {
                ...event,
                kind: "cancelled",
                quantity: lost,
                at: expired,
                detail: JSON.stringify({ reason }),
              },
            ]
          : []),
      ],
    });
    if (lost > 0) {
      await db.lostSale.create({
        data: {
          shop,
          orderId,
          lineItemId: line.lineItemId,
          productId: line.productId,
          title: line.title,
          quantity: lost,
          unitPriceCents: 1_800,
          reason,
          at: expired,
        },
      });
    }
  }
}

describe("what-if and analytics over the same window", () => {
  it.each(["deadline", "no_consent"] as const)(
    "GIVEN lines ordered before the window that %s closed inside it THEN the current policy's replay loses the units Analytics shows",
    async (reason) => {
      await seedClosedByDeadline(OTHER, reason);
      const analytics = await call(analyticsLoader, await adminRequest("/app/analytics?days=30", { shop: OTHER }));
      expect(analytics.body).toMatchObject({ lostUnits: 4, lostCents: 7_200 });

      const { body } = await call(loader, await adminRequest("/app/what-if?days=30", { shop: OTHER }));
      const whatIf = (await body.comparison) as Awaited<ReturnType<typeof runWhatIf>>;
      // The two orders the deadline closed inside the window, and the 2 units that arrived for them.
      expect(whatIf).toMatchObject({ orders: 2, unitsArrived: 2, recorded: { lostUnits: 4, lostCents: 7_200 } });
      expect(whatIf.outcomes.find((outcome) => outcome.policy === "fifo")).toMatchObject({
        unitsShipped: 2,
        lostUnits: 4,
        lostRevenue: 72,
      });
      // The deadline and the rule are replayed by each policy, not as a customer's cancellation: every policy loses 4.
      expect(whatIf.outcomes.map((outcome) => outcome.lostUnits)).toEqual([4, 4, 4, 4, 4, 4]);
    },
  );
});

describe("use this policy", () => {
  it("GIVEN priority without tiers THEN refused with the settings' message, nothing saved", async () => {
    const request = await adminRequest("/app/what-if", { shop: SHOP, form: { policy: "priority" } });
    const response = await call(action, request);
    expect(response).toMatchObject({
      status: 422,
      body: { ok: false, fieldErrors: { priorityTags: "Add at least one tag for priority tiers" } },
    });
    expect(await db.shopSettings.count()).toBe(0);
  });

  it("GIVEN an unknown policy THEN refused, the stored settings unchanged", async () => {
    await saveSettings(db, SHOP, { ...DEFAULT_SETTINGS, leadDays: 10 });
    const response = await call(
      action,
      await adminRequest("/app/what-if", { shop: SHOP, form: { policy: "lottery" } }),
    );
    expect(response.status).toBe(422);
    expect(await getSettings(db, SHOP)).toEqual({ ...DEFAULT_SETTINGS, leadDays: 10 });
  });
});

describe("replaying in independent parts", () => {
  const T0 = Date.UTC(2026, 10, 2, 9);
  const H = 3_600_000;
  const order = (id: string, at: number, lines: [string, number][], tags: string[] = []): ScenarioEvent => ({
    type: "order",
    at: T0 + at * H,
    id,
    tags,
    shipBy: null,
    lines: lines.map(([sku, quantity]) => ({ sku, quantity })),
  });
  const item = (sku: string) => ({
    sku,
    available: 0,
    price: 10,
    productId: sku,
    tracked: true,
    policy: "CONTINUE" as const,
    expectedAt: null,
  });
  const scenario: Scenario = {
    settings: { ...ENGINE_DEFAULTS, partialShipment: "ship_complete", priorityTags: ["vip"], deadlineDays: 10 },
    items: ["A", "B", "C", "D"].map(item),
    events: [
      order("1", 0, [["A", 3]]),
      order(
        "2",
        1,
        [
          ["A", 2],
          ["B", 1],
        ],
        ["vip"],
      ),
      order("3", 2, [["B", 4]]),
      order("4", 3, [["C", 5]]),
      order("5", 4, [["C", 1]], ["vip"]),
      order("6", 5, [["D", 2]]),
      { type: "restock", at: T0 + 24 * H, sku: "A", quantity: 4 },
      { type: "restock", at: T0 + 30 * H, sku: "C", quantity: 3 },
      { type: "cancel", at: T0 + 40 * H, orderId: "4", by: "customer" },
      { type: "restock", at: T0 + 50 * H, sku: "B", quantity: 2 },
      { type: "tick", at: T0 + 20 * 24 * H },
    ],
  };

  it("splits into the groups that share items: {A,B}, {C}, {D}", () => {
    expect(splitScenario(scenario).map((part) => part.items.map((i) => i.sku))).toEqual([["A", "B"], ["C"], ["D"]]);
  });

  it("gives the whole scenario's metrics for every policy (p95: at least the whole's)", async () => {
    const whole = replayAll(scenario);
    const parts = await compareAllPolicies(splitScenario(scenario));
    expect(parts).toEqual(
      whole.map(({ policy, metrics }) => ({
        policy,
        fillRate: metrics.fillRate,
        unitsShipped: metrics.unitsShipped,
        ordersCompleted: metrics.ordersCompleted,
        customersServed: metrics.customersServed,
        meanWaitDays: expect.closeTo(metrics.meanWaitDays!, 9),
        p95WaitDays: expect.any(Number),
        lostUnits: metrics.lostUnits.total,
        lostRevenue: metrics.lostRevenue.total,
      })),
    );
    parts.forEach((part, i) => expect(part.p95WaitDays).toBeGreaterThanOrEqual(whole[i]!.metrics.p95WaitDays!));
  });
});
