import { describe, expect, it } from "vitest";
import { detect, placeOrder, type StockBefore } from "./detect";
import { DEFAULT_SETTINGS } from "./types";

const tracked = (available: number): StockBefore => ({ available, tracked: true, policy: "CONTINUE" });

describe("detect", () => {
  it("ships what is available and backorders the rest; lines of one order compete for one item in line order", () => {
    const stock = new Map([
      ["A", tracked(4)],
      ["B", tracked(10)],
    ]);
    const lines = [
      { lineId: "1", itemId: "A", quantity: 3 },
      { lineId: "2", itemId: "B", quantity: 2 },
      { lineId: "3", itemId: "A", quantity: 3 },
    ];
    expect(detect(lines, stock, DEFAULT_SETTINGS)).toEqual([
      { lineId: "1", itemId: "A", quantity: 3, shipNow: 3, backordered: 0, capReached: 0, unmanaged: null },
      { lineId: "2", itemId: "B", quantity: 2, shipNow: 2, backordered: 0, capReached: 0, unmanaged: null },
      { lineId: "3", itemId: "A", quantity: 3, shipNow: 1, backordered: 2, capReached: 0, unmanaged: null },
    ]);
  });

  it("treats a negative available as no stock at all", () => {
    expect(
      detect([{ lineId: "1", itemId: "A", quantity: 2 }], new Map([["A", tracked(-5)]]), DEFAULT_SETTINGS),
    ).toEqual([{ lineId: "1", itemId: "A", quantity: 2, shipNow: 0, backordered: 2, capReached: 0, unmanaged: null }]);
  });

  it("never backorders untracked items or items with policy DENY", () => {
    const stock = new Map<string, StockBefore>([
      ["U", { available: -3, tracked: false, policy: "CONTINUE" }],
      ["D", { available: 0, tracked: true, policy: "DENY" }],
    ]);
    const lines = [
      { lineId: "1", itemId: "U", quantity: 5 },
      { lineId: "2", itemId: "D", quantity: 1 },
    ];
    expect(detect(lines, stock, DEFAULT_SETTINGS)).toEqual([
      { lineId: "1", itemId: "U", quantity: 5, shipNow: 5, backordered: 0, capReached: 0, unmanaged: "untracked" },
      { lineId: "2", itemId: "D", quantity: 1, shipNow: 1, backordered: 0, capReached: 0, unmanaged: "policy_deny" },
    ]);
  });

  it("counts units already on backorder (negative available) against the cap; the excess is cap_reached", () => {
    const settings = { backorderCap: 5, variantCaps: {} };
    const lines = [
      { lineId: "1", itemId: "A", quantity: 2 },
      { lineId: "2", itemId: "A", quantity: 4 },
    ];
    expect(detect(lines, new Map([["A", tracked(-2)]]), settings)).toEqual([
      { lineId: "1", itemId: "A", quantity: 2, shipNow: 0, backordered: 2, capReached: 0, unmanaged: null },
      { lineId: "2", itemId: "A", quantity: 4, shipNow: 0, backordered: 1, capReached: 3, unmanaged: null },
    ]);
  });

  it("uses a per-variant cap over the shop's, and a per-variant null lifts the cap", () => {
    const settings = { backorderCap: 1, variantCaps: { A: 3, B: null } };
    const stock = new Map([
      ["A", tracked(1)],
      ["B", tracked(0)],
      ["C", tracked(0)],
    ]);
    const lines = [
      { lineId: "1", itemId: "A", quantity: 6 },
      { lineId: "2", itemId: "B", quantity: 6 },
      { lineId: "3", itemId: "C", quantity: 6 },
    ];
    expect(detect(lines, stock, settings).map((d) => [d.shipNow, d.backordered, d.capReached])).toEqual([
      [1, 3, 2],
      [0, 6, 0],
      [0, 1, 5],
    ]);
  });

  it("refuses a line whose item has no stock record", () => {
    expect(() => detect([{ lineId: "9", itemId: "X", quantity: 1 }], new Map(), DEFAULT_SETTINGS)).toThrow(
      "detect: no stock given for item X of line 9",
    );
  });
});

describe("placeOrder", () => {
  // One order: a line with stock, a line short of it under a cap of 3, and an untracked line.
  const lines = [
    { lineId: "1", itemId: "A", quantity: 2 },
    { lineId: "2", itemId: "B", quantity: 5 },
    { lineId: "3", itemId: "U", quantity: 1 },
  ];
  const stock = new Map<string, StockBefore>([
    ["A", tracked(4)],
    ["B", tracked(1)],
    ["U", { available: 0, tracked: false, policy: "CONTINUE" }],
  ]);

  it("in the immediate window ships what is in stock now", () => {
    const settings = { ...DEFAULT_SETTINGS, allocationWindow: "immediate" as const, backorderCap: 3 };
    expect(placeOrder(lines, stock, settings)).toEqual([
      { lineId: "1", itemId: "A", quantity: 2, shipNow: 2, backordered: 0, capReached: 0, unmanaged: null },
      { lineId: "2", itemId: "B", quantity: 5, shipNow: 1, backordered: 3, capReached: 1, unmanaged: null },
      { lineId: "3", itemId: "U", quantity: 1, shipNow: 1, backordered: 0, capReached: 0, unmanaged: "untracked" },
    ]);
  });

  it("in a batch window every managed unit waits for the cut-off; the cap and unmanaged lines are as detected", () => {
    const settings = { ...DEFAULT_SETTINGS, allocationWindow: "batch" as const, backorderCap: 3 };
    expect(placeOrder(lines, stock, settings)).toEqual([
      { lineId: "1", itemId: "A", quantity: 2, shipNow: 0, backordered: 2, capReached: 0, unmanaged: null },
      { lineId: "2", itemId: "B", quantity: 5, shipNow: 0, backordered: 4, capReached: 1, unmanaged: null },
      { lineId: "3", itemId: "U", quantity: 1, shipNow: 1, backordered: 0, capReached: 0, unmanaged: "untracked" },
    ]);
  });
});
