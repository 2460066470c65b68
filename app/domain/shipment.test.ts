import { describe, expect, it } from "vitest";
import { grantToOrder, planShipment, type ShipmentLine } from "./shipment";
import { DEFAULT_SETTINGS, type Settings } from "./types";

function line(lineId: string, counts: Partial<ShipmentLine>): ShipmentLine {
  const base = { shipped: 0, reserved: 0, backordered: 0, lost: 0, ...counts };
  return {
    lineId,
    productId: `P${lineId}`,
    ordered: base.shipped + base.reserved + base.backordered + base.lost,
    ...base,
  };
}

const settings = (more: Partial<Settings>) => ({ ...DEFAULT_SETTINGS, ...more });

// An order of two lines: 3 of 4 units of line a allocated, line b (2 units) fully allocated.
const order = [line("a", { reserved: 3, backordered: 1 }), line("b", { reserved: 2 })];

describe("planShipment", () => {
  it("ship_available releases what is allocated and holds the rest", () => {
    expect(planShipment(order, settings({ partialShipment: "ship_available" }))).toEqual({
      kind: "decisions",
      decisions: [
        { kind: "release", lineId: "a", quantity: 3 },
        { kind: "hold", lineId: "a", quantity: 1, reason: "awaiting_stock" },
        { kind: "release", lineId: "b", quantity: 2 },
      ],
    });
  });

  it("ship_complete holds the whole order (allocated units stay reserved) until every line is allocated", () => {
    expect(planShipment(order, settings({ partialShipment: "ship_complete" }))).toEqual({
      kind: "decisions",
      decisions: [
        { kind: "hold", lineId: "a", quantity: 3, reason: "ship_complete" },
        { kind: "hold", lineId: "a", quantity: 1, reason: "awaiting_stock" },
        { kind: "hold", lineId: "b", quantity: 2, reason: "ship_complete" },
      ],
    });
    const complete = [line("a", { reserved: 4 }), line("b", { reserved: 2 })];
    expect(planShipment(complete, settings({ partialShipment: "ship_complete" }))).toEqual({
      kind: "decisions",
      decisions: [
        { kind: "release", lineId: "a", quantity: 4 },
        { kind: "release", lineId: "b", quantity: 2 },
      ],
    });
  });

  it("threshold ships a partial order only when enough of its units are allocated", () => {
    // 5 of 6 units allocated = 83%.
    expect(planShipment(order, settings({ partialShipment: "threshold", thresholdPercent: 80 })).kind).toBe(
      "decisions",
    );
    expect(planShipment(order, settings({ partialShipment: "threshold", thresholdPercent: 84 }))).toEqual({
      kind: "decisions",
      decisions: [
        { kind: "hold", lineId: "a", quantity: 3, reason: "below_threshold" },
        { kind: "hold", lineId: "a", quantity: 1, reason: "awaiting_stock" },
        { kind: "hold", lineId: "b", quantity: 2, reason: "below_threshold" },
      ],
    });
  });

  it("threshold counts lost units out of the order and keeps shipping once a partial shipment went out", () => {
    const lostSome = [line("a", { reserved: 1, backordered: 1, lost: 8 })];
    expect(planShipment(lostSome, settings({ partialShipment: "threshold", thresholdPercent: 50 }))).toEqual({
      kind: "decisions",
      decisions: [
        { kind: "release", lineId: "a", quantity: 1 },
        { kind: "hold", lineId: "a", quantity: 1, reason: "awaiting_stock" },
      ],
    });
    const started = [line("a", { shipped: 5, reserved: 1, backordered: 4 })];
    expect(planShipment(started, settings({ partialShipment: "threshold", thresholdPercent: 90 }))).toEqual({
      kind: "decisions",
      decisions: [
        { kind: "release", lineId: "a", quantity: 1 },
        { kind: "hold", lineId: "a", quantity: 4, reason: "awaiting_stock" },
      ],
    });
  });

  it("never splits a line of a never-split product, while other lines follow the policy", () => {
    expect(planShipment(order, settings({ neverSplitProductIds: ["Pa"] }))).toEqual({
      kind: "decisions",
      decisions: [
        { kind: "hold", lineId: "a", quantity: 3, reason: "never_split" },
        { kind: "hold", lineId: "a", quantity: 1, reason: "awaiting_stock" },
        { kind: "release", lineId: "b", quantity: 2 },
      ],
    });
  });

  it("has nothing to do for an order with nothing reserved or waiting", () => {
    expect(planShipment([line("a", { shipped: 2, lost: 1 })], DEFAULT_SETTINGS)).toEqual({
      kind: "nothing_to_do",
      reason: "order_settled",
    });
  });

  it("holds without releasing when nothing is allocated yet", () => {
    expect(planShipment([line("a", { backordered: 2 })], DEFAULT_SETTINGS)).toEqual({
      kind: "decisions",
      decisions: [{ kind: "hold", lineId: "a", quantity: 2, reason: "awaiting_stock" }],
    });
  });
});

describe("grantToOrder", () => {
  const waiting = [line("a", { backordered: 3 }), line("b", { reserved: 1, backordered: 1 })];

  it("GIVEN grants covering every waiting unit THEN each line's grant moves to reserved and all of it ships", () => {
    expect(
      grantToOrder(
        waiting,
        new Map([
          ["a", 3],
          ["b", 1],
        ]),
        settings({}),
      ),
    ).toEqual([
      { lineId: "a", granted: 3, backordered: 0, reserved: 3, release: 3 },
      { lineId: "b", granted: 1, backordered: 0, reserved: 2, release: 2 },
    ]);
  });

  it("GIVEN more granted than a line waits for THEN only what it waits for is taken", () => {
    expect(grantToOrder(waiting, new Map([["a", 5]]), settings({}))).toEqual([
      { lineId: "a", granted: 3, backordered: 0, reserved: 3, release: 3 },
      { lineId: "b", granted: 0, backordered: 1, reserved: 1, release: 1 },
    ]);
  });

  it("GIVEN ship_complete and a line still waiting THEN the grant is reserved and nothing ships", () => {
    expect(grantToOrder(waiting, new Map([["a", 2]]), settings({ partialShipment: "ship_complete" }))).toEqual([
      { lineId: "a", granted: 2, backordered: 1, reserved: 2, release: 0 },
      { lineId: "b", granted: 0, backordered: 1, reserved: 1, release: 0 },
    ]);
  });

  it("GIVEN no grant for a settled order THEN nothing changes and nothing ships", () => {
    expect(grantToOrder([line("a", { shipped: 2 })], new Map(), settings({}))).toEqual([
      { lineId: "a", granted: 0, backordered: 0, reserved: 0, release: 0 },
    ]);
  });
});
