import { describe, expect, it } from "vitest";
import { replay, replayAll, type Scenario, type ScenarioEvent, type ScenarioItem } from "./replay";
import { addDays, DAY_MS } from "./time";
import { DEFAULT_SETTINGS, type Settings } from "./types";

const T0 = Date.UTC(2026, 10, 2, 9);
const hour = (n: number) => T0 + n * 3_600_000;

function item(sku: string, available: number, more: Partial<ScenarioItem> = {}): ScenarioItem {
  return { sku, available, price: 120, productId: sku, tracked: true, policy: "CONTINUE", expectedAt: null, ...more };
}

function order(id: string, at: number, lines: [string, number][], more: { tags?: string[] } = {}): ScenarioEvent {
  return {
    type: "order",
    at,
    id,
    tags: more.tags ?? [],
    shipBy: null,
    lines: lines.map(([sku, quantity]) => ({ sku, quantity })),
  };
}

function scenario(settings: Partial<Settings>, items: ScenarioItem[], events: ScenarioEvent[]): Scenario {
  return { settings: { ...DEFAULT_SETTINGS, ...settings }, items, events };
}

/** [shipped, reserved, backordered, lost] per line. */
const counts = (result: ReturnType<typeof replay>) =>
  result.lines.map((line) => [line.shipped, line.reserved, line.backordered, line.lost]);

// The seed's story: 9 units, 7 customers ordering 3 each before the cut-off.
const seedOrders = Array.from({ length: 7 }, (_, i) => order(`${1001 + i}`, hour(i), [["SHOE-42", 3]]));
const seed = (settings: Partial<Settings>, more: ScenarioEvent[] = []) =>
  scenario(
    { allocationWindow: "batch", ...settings },
    [item("SHOE-42", 9)],
    [...seedOrders, { type: "allocate", at: hour(8) }, ...more],
  );

describe("replay", () => {
  it("the seed's story at the batch cut-off, under each policy", () => {
    const shipped = replayAll(seed({})).map((result) => [result.policy, result.lines.map((line) => line.shipped)]);
    expect(shipped).toEqual([
      ["fifo", [3, 3, 3, 0, 0, 0, 0]],
      ["fair_share", [2, 2, 1, 1, 1, 1, 1]],
      ["priority", [3, 3, 3, 0, 0, 0, 0]],
      ["earliest_deadline", [3, 3, 3, 0, 0, 0, 0]],
      ["smallest_first", [3, 3, 3, 0, 0, 0, 0]],
      ["proportional", [2, 2, 1, 1, 1, 1, 1]],
    ]);
  });

  it("fair_share at the cut-off: the whole output", () => {
    const result = replay(seed({}), "fair_share");
    expect(result.lines).toEqual(
      [2, 2, 1, 1, 1, 1, 1].map((shipped, i) => ({
        orderId: `${1001 + i}`,
        sku: "SHOE-42",
        ordered: 3,
        shipped,
        reserved: 0,
        backordered: 3 - shipped,
        lost: 0,
        lostReason: null,
      })),
    );
    expect(result.metrics).toEqual({
      unitsOrdered: 21,
      unitsShipped: 9,
      fillRate: 9 / 21,
      orders: 7,
      ordersCompleted: 0,
      customersServed: 7,
      meanWaitDays: expect.closeTo((8 + 7 + 6 + 5 + 4 + 3 + 2) / 7 / 24, 12),
      p95WaitDays: 8 / 24,
      lostUnits: { deadline: 0, customer_cancelled: 0, merchant_cancelled: 0, cap_reached: 0, no_consent: 0, total: 0 },
      lostRevenue: {
        deadline: 0,
        customer_cancelled: 0,
        merchant_cancelled: 0,
        cap_reached: 0,
        no_consent: 0,
        total: 0,
      },
    });
  });

  it("then a restock, a cancellation and an expired deadline", () => {
    // A 10-day deadline passes before the first delay notice (due 2 days before the promise of day 14).
    const result = replay(
      seed({ allocationPolicy: "fair_share", deadlineDays: 10 }, [
        { type: "restock", at: addDays(T0, 3), sku: "SHOE-42", quantity: 4 },
        { type: "allocate", at: addDays(T0, 3) },
        { type: "cancel", at: addDays(T0, 4), orderId: "1007", by: "customer" },
        { type: "tick", at: addDays(T0, 11) },
      ]),
    );
    // After the restock's allocation the waiting 1,1,2,2,2,2,2 become 0,0,1,1,1,1,1 (one unit each, in order).
    expect(counts(result)).toEqual([
      [3, 0, 0, 0],
      [3, 0, 0, 0],
      [2, 0, 0, 1],
      [2, 0, 0, 1],
      [1, 0, 0, 2],
      [1, 0, 0, 2],
      [1, 0, 0, 2],
    ]);
    expect(result.lines.map((line) => line.lostReason)).toEqual([
      null,
      null,
      "deadline",
      "deadline",
      "deadline",
      "deadline",
      "customer_cancelled",
    ]);
    expect(result.metrics).toMatchObject({
      unitsShipped: 13,
      ordersCompleted: 2,
      customersServed: 7,
      // Hours waited for the last unit received: 72, 71, 70, 69 (restock) and 4, 3, 2 (cut-off).
      meanWaitDays: expect.closeTo((72 + 71 + 70 + 69 + 4 + 3 + 2) / 7 / 24, 12),
      p95WaitDays: 3,
      lostUnits: { deadline: 6, customer_cancelled: 2, merchant_cancelled: 0, cap_reached: 0, no_consent: 0, total: 8 },
      lostRevenue: {
        deadline: 720,
        customer_cancelled: 240,
        merchant_cancelled: 0,
        cap_reached: 0,
        no_consent: 0,
        total: 960,
      },
    });
  });

  it("immediate window: orders take stock on arrival, and a restock is shared among waiting lines at once", () => {
    const result = replay(
      scenario(
        { allocationPolicy: "fair_share" },
        [item("A", 5)],
        [
          order("1", hour(0), [["A", 3]]),
          order("2", hour(1), [["A", 3]]),
          order("3", hour(2), [["A", 3]]),
          { type: "restock", at: hour(3), sku: "A", quantity: 3 },
        ],
      ),
    );
    // 5 units: 3 to the first order, 2 to the second; the restock of 3 levels the two waiting lines (1 and 3).
    expect(counts(result)).toEqual([
      [3, 0, 0, 0],
      [3, 0, 0, 0],
      [2, 0, 1, 0],
    ]);
  });

  it("ship_complete keeps allocated units reserved; a cancellation frees them for the next waiting order", () => {
    const result = replay(
      scenario(
        { partialShipment: "ship_complete" },
        [item("A", 2), item("B", 0)],
        [
          order("1", hour(0), [
            ["A", 2],
            ["B", 1],
          ]),
          order("2", hour(1), [["A", 1]]),
          { type: "cancel", at: hour(2), orderId: "1", by: "merchant" },
        ],
      ),
    );
    expect(result.lines).toEqual([
      {
        orderId: "1",
        sku: "A",
        ordered: 2,
        shipped: 0,
        reserved: 0,
        backordered: 0,
        lost: 2,
        lostReason: "merchant_cancelled",
      },
      {
        orderId: "1",
        sku: "B",
        ordered: 1,
        shipped: 0,
        reserved: 0,
        backordered: 0,
        lost: 1,
        lostReason: "merchant_cancelled",
      },
      { orderId: "2", sku: "A", ordered: 1, shipped: 1, reserved: 0, backordered: 0, lost: 0, lostReason: null },
    ]);
  });

  it("an expired deadline cancels only the unfilled quantity; reserved units of the order then ship", () => {
    const settings = { partialShipment: "ship_complete" as const, deadlineDays: 10 };
    const events: ScenarioEvent[] = [
      order("1", hour(0), [
        ["A", 2],
        ["B", 1],
      ]),
      { type: "tick", at: addDays(hour(0), 9) },
    ];
    const items = [item("A", 2), item("B", 0)];
    expect(counts(replay(scenario(settings, items, events)))).toEqual([
      [0, 2, 0, 0],
      [0, 0, 1, 0],
    ]);
    const expired = replay(scenario(settings, items, [...events, { type: "tick", at: addDays(hour(0), 10) }]));
    expect(expired.lines).toEqual([
      { orderId: "1", sku: "A", ordered: 2, shipped: 2, reserved: 0, backordered: 0, lost: 0, lostReason: null },
      { orderId: "1", sku: "B", ordered: 1, shipped: 0, reserved: 0, backordered: 0, lost: 1, lostReason: "deadline" },
    ]);
    expect(expired.metrics.meanWaitDays).toBe(10);
  });

  it("the Mail Order Rule: silence holds to the first revised date, the later slip needs a yes, else no_consent", () => {
    const events: ScenarioEvent[] = [
      order("1", hour(0), [
        ["A", 2],
        ["B", 1],
      ]),
      order("2", hour(0), [["B", 1]]),
      // Customer 2 says yes to the renewed notice's date (day 42) before its reply date (day 28).
      { type: "consent", at: addDays(hour(0), 27), orderId: "2", until: addDays(hour(0), 42) },
      { type: "tick", at: addDays(hour(0), 29) },
    ];
    const result = replay(scenario({ partialShipment: "ship_complete" }, [item("A", 2), item("B", 0)], events));
    expect(result.lines.map((line) => [line.shipped, line.backordered, line.lost, line.lostReason])).toEqual([
      [2, 0, 0, null],
      [0, 0, 1, "no_consent"],
      [0, 1, 0, null],
    ]);
    const rule = result.timeline.filter((event) => event.kind === "notice" || event.kind === "cancel");
    expect(rule.map((event) => [event.lineId, event.kind, (event.at - hour(0)) / DAY_MS])).toEqual([
      ["1:2", "notice", 12],
      ["2:1", "notice", 12],
      ["1:2", "notice", 26],
      ["2:1", "notice", 26],
      ["1:2", "cancel", 28],
    ]);
    expect(result.timeline).toContainEqual({
      kind: "notice",
      lineId: "1:2",
      at: addDays(hour(0), 26),
      notice: "renewed",
      fromAt: addDays(hour(0), 28),
      revisedAt: addDays(hour(0), 42),
      silenceIsConsent: false,
      replyBy: addDays(hour(0), 28),
    });
  });

  it("caps backorders per item: the excess is lost with reason cap_reached", () => {
    const result = replay(
      scenario({ backorderCap: 4 }, [item("A", 1)], [order("1", hour(0), [["A", 3]]), order("2", hour(1), [["A", 3]])]),
    );
    expect(result.lines.map((line) => [line.shipped, line.backordered, line.lost, line.lostReason])).toEqual([
      [1, 2, 0, null],
      [0, 2, 1, "cap_reached"],
    ]);
  });

  it("notify at the deadline keeps the line waiting and records the notice once", () => {
    const result = replay(
      scenario(
        { expiryAction: "notify" },
        [item("A", 0)],
        [
          order("1", hour(0), [["A", 1]]),
          { type: "tick", at: addDays(hour(0), 31) },
          { type: "tick", at: addDays(hour(0), 32) },
        ],
      ),
    );
    expect(counts(result)).toEqual([[0, 0, 1, 0]]);
    // The renewed notice's reply date passes without a yes: under notify nothing is cancelled, the merchant is told.
    expect(result.timeline.map((event) => [event.kind, (event.at - hour(0)) / DAY_MS])).toEqual([
      ["reminder", 11],
      ["notice", 12],
      ["notice", 26],
      ["expire", 28],
    ]);
    expect(result.timeline.at(-1)).toEqual({
      kind: "expire",
      lineId: "1:1",
      at: addDays(hour(0), 28),
      action: "notify",
      quantity: 1,
      nonCompliant: true,
    });
  });

  it("ignores a redelivered order and refuses the same id with other lines", () => {
    const first = order("1", hour(0), [["A", 2]]);
    const once = replay(scenario({}, [item("A", 0)], [first]));
    expect(replay(scenario({}, [item("A", 0)], [first, { ...first, at: hour(1) }]))).toEqual(once);
    expect(() => replay(scenario({}, [item("A", 0)], [first, order("1", hour(1), [["A", 3]])]))).toThrow(
      "replay: order 1 was already placed with other lines",
    );
  });

  it("ships untracked items at once and never backorders them", () => {
    const result = replay(
      scenario(
        {},
        [item("GIFT", 0, { tracked: false }), item("A", 0)],
        [
          order("1", hour(0), [
            ["GIFT", 2],
            ["A", 1],
          ]),
        ],
      ),
    );
    expect(counts(result)).toEqual([
      [2, 0, 0, 0],
      [0, 0, 1, 0],
    ]);
  });

  it("a customer's consent moves the final deadline past 30 days; without it the line expires at its deadline", () => {
    const events: ScenarioEvent[] = [
      order("1", hour(0), [["A", 1]]),
      order("2", hour(0), [["A", 1]]),
      { type: "consent", at: addDays(hour(0), 5), orderId: "2", until: addDays(hour(0), 45) },
      { type: "tick", at: addDays(hour(0), 40) },
    ];
    // A 10-day deadline passes before any delay notice, so only the consent keeps line 2 open.
    const settings = { deadlineDays: 10 };
    const before = replay(scenario(settings, [item("A", 0)], events));
    expect(counts(before)).toEqual([
      [0, 0, 0, 1],
      [0, 0, 1, 0],
    ]);
    const after = replay(scenario(settings, [item("A", 0)], [...events, { type: "tick", at: addDays(hour(0), 45) }]));
    expect(after.timeline.filter((event) => event.kind === "expire")).toEqual([
      { kind: "expire", lineId: "1:1", at: addDays(hour(0), 10), action: "cancel", quantity: 1, nonCompliant: false },
      { kind: "expire", lineId: "2:1", at: addDays(hour(0), 45), action: "cancel", quantity: 1, nonCompliant: false },
    ]);
  });
});
