import { describe, expect, it } from "vitest";

import { newLineQuantities, planNewOrder, stockKey } from "./new-order";
import { DEFAULT_SETTINGS, type Settings } from "./types";

const line = (lineId: string, unfulfilled: number, variantId = "V1", locationId: string | null = "L1") => ({
  lineId,
  variantId,
  productId: "P1",
  locationId,
  unfulfilled,
});
const continueSelling = (available: number) => ({ available, tracked: true, policy: "CONTINUE" as const });
const stockOf = (entries: [string, number][]) =>
  new Map(entries.map(([key, available]) => [key, continueSelling(available)]));
const settings = (overrides: Partial<Settings> = {}) => ({ ...DEFAULT_SETTINGS, ...overrides });

describe("planNewOrder", () => {
  it("GIVEN stock for every unit THEN null: the order ships as Shopify routed it", () => {
    expect(planNewOrder([line("A", 2)], stockOf([["V1@L1", 5]]), settings())).toBeNull();
  });

  it("GIVEN the seed's seven orders of 3 against 9 in a batch window THEN each holds all 3, whatever is in stock", () => {
    let available = 9;
    const plans = ["1001", "1002", "1003", "1004", "1005", "1006", "1007"].map((orderId) => {
      const plan = planNewOrder(
        [line(`${orderId}-1`, 3)],
        stockOf([["V1@L1", available]]),
        settings({ allocationPolicy: "fair_share", allocationWindow: "batch" }),
      );
      available -= 3;
      return plan;
    });
    expect(plans).toEqual(
      ["1001", "1002", "1003", "1004", "1005", "1006", "1007"].map((orderId) => [
        { lineId: `${orderId}-1`, ordered: 3, shipNow: 0, backordered: 3, capReached: 0, hold: 3, release: 0 },
      ]),
    );
  });

  it("GIVEN the seed's orders placed one by one in an immediate window THEN the first three ship and the rest wait", () => {
    const plans = [9, 6, 3, 0, -3].map((available, i) =>
      planNewOrder([line(`L${i}`, 3)], stockOf([["V1@L1", available]]), settings()),
    );
    const waiting = { ordered: 3, shipNow: 0, backordered: 3, capReached: 0, hold: 3, release: 0 };
    expect(plans).toEqual([null, null, null, [{ lineId: "L3", ...waiting }], [{ lineId: "L4", ...waiting }]]);
  });

  it("GIVEN a partly short order under ship_available THEN the units in stock are released and the rest held", () => {
    expect(
      planNewOrder(
        [line("A", 3), line("B", 1, "V2")],
        stockOf([
          ["V1@L1", 1],
          ["V2@L1", 4],
        ]),
        settings(),
      ),
    ).toEqual([{ lineId: "A", ordered: 3, shipNow: 1, backordered: 2, capReached: 0, hold: 2, release: 1 }]);
  });

  it("GIVEN ship_complete THEN the order's lines in stock are held beside the waiting ones", () => {
    expect(
      planNewOrder(
        [line("A", 3), line("B", 1, "V2")],
        stockOf([
          ["V1@L1", 1],
          ["V2@L1", 4],
        ]),
        settings({ partialShipment: "ship_complete" }),
      ),
    ).toEqual([
      { lineId: "A", ordered: 3, shipNow: 1, backordered: 2, capReached: 0, hold: 3, release: 0 },
      { lineId: "B", ordered: 1, shipNow: 1, backordered: 0, capReached: 0, hold: 1, release: 0 },
    ]);
  });

  it("GIVEN a variant's cap THEN it applies at each of the variant's locations and the excess is beyond the cap", () => {
    const plans = planNewOrder(
      [line("A", 4, "V1", "L1"), line("B", 4, "V1", "L2")],
      stockOf([
        ["V1@L1", 0],
        ["V1@L2", -1],
      ]),
      settings({ backorderCap: 10, variantCaps: { V1: 2 } }),
    );
    expect(plans).toEqual([
      { lineId: "A", ordered: 4, shipNow: 0, backordered: 2, capReached: 2, hold: 2, release: 0 },
      { lineId: "B", ordered: 4, shipNow: 0, backordered: 1, capReached: 3, hold: 1, release: 0 },
    ]);
    expect(plans!.map(newLineQuantities)).toEqual([
      { quantity: 4, shippedQty: 0, reservedQty: 0, backorderedQty: 2, lostQty: 2, lostReason: "cap_reached" },
      { quantity: 4, shippedQty: 0, reservedQty: 0, backorderedQty: 1, lostQty: 3, lostReason: "cap_reached" },
    ]);
  });

  it("GIVEN a line at no location THEN its stock is the item's at any location", () => {
    expect(stockKey("V1", null)).toBe("V1@any");
    expect(planNewOrder([line("A", 2, "V1", null)], stockOf([["V1@any", 0]]), settings())).toEqual([
      { lineId: "A", ordered: 2, shipNow: 0, backordered: 2, capReached: 0, hold: 2, release: 0 },
    ]);
  });
});
