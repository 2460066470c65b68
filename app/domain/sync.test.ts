import { describe, expect, it } from "vitest";
import { holdsToConfirm, orderChanged, type OrderOnShopify, type RecordedLine } from "./sync";

const NOW = Date.parse("2026-12-04T10:00:00Z");

// Two recorded lines of one order, both held by the app on fulfillment order F1: line a (4 units: 1 reserved,
// 3 waiting), line b (2 units waiting).
const recorded: RecordedLine[] = [
  {
    recordId: "ra",
    lineItemId: "a",
    ordered: 4,
    shipped: 0,
    reserved: 1,
    backordered: 3,
    lost: 0,
    lostReason: null,
    fulfillmentOrderId: "F1",
    holdId: "H1",
    holdHandle: "backorder-1-F1",
  },
  {
    recordId: "rb",
    lineItemId: "b",
    ordered: 2,
    shipped: 0,
    reserved: 0,
    backordered: 2,
    lost: 0,
    lostReason: null,
    fulfillmentOrderId: "F1",
    holdId: "H1",
    holdHandle: "backorder-1-F1",
  },
];
const ourHold = { id: "H1", handle: "backorder-1-F1", ours: true };
const order = (quantities: { a: number; b: number }, holds: OrderOnShopify["fulfillmentOrders"][number]["holds"]) => ({
  lines: [
    { id: "a", quantity: quantities.a },
    { id: "b", quantity: quantities.b },
  ],
  fulfillmentOrders: [{ id: "F1", holds }],
});

describe("orderChanged", () => {
  it("is up to date when Shopify still has every unit and the app's hold", () => {
    expect(orderChanged(recorded, order({ a: 4, b: 2 }, [ourHold]), new Set(), NOW)).toEqual({ kind: "up_to_date" });
  });

  it("takes units the merchant edited off out of the waiting ones first, as lost sales; the hold stays", () => {
    expect(orderChanged(recorded, order({ a: 0, b: 2 }, [ourHold]), new Set(), NOW)).toEqual({
      kind: "changed_outside_app",
      lines: [
        {
          recordId: "ra",
          shipped: 0,
          reserved: 0,
          backordered: 0,
          lost: 4,
          lostReason: "merchant_cancelled",
          holdGone: false,
        },
      ],
      events: [{ recordId: "ra", kind: "cancelled", quantity: 4, at: NOW, by: "outside_app" }],
      lostSales: [{ recordId: "ra", quantity: 4, reason: "merchant_cancelled", at: NOW }],
      releasedUnits: 0,
      removedUnits: 4,
    });
  });

  it("counts the units of a hold released outside the app as shipped, after those edited off", () => {
    expect(orderChanged(recorded, order({ a: 3, b: 2 }, []), new Set(), NOW)).toEqual({
      kind: "changed_outside_app",
      lines: [
        {
          recordId: "ra",
          shipped: 3,
          reserved: 0,
          backordered: 0,
          lost: 1,
          lostReason: "merchant_cancelled",
          holdGone: true,
        },
        { recordId: "rb", shipped: 2, reserved: 0, backordered: 0, lost: 0, lostReason: null, holdGone: true },
      ],
      events: [
        { recordId: "ra", kind: "cancelled", quantity: 1, at: NOW, by: "outside_app" },
        { recordId: "ra", kind: "released", quantity: 3, at: NOW, by: "outside_app" },
        { recordId: "rb", kind: "released", quantity: 2, at: NOW, by: "outside_app" },
      ],
      lostSales: [{ recordId: "ra", quantity: 1, reason: "merchant_cancelled", at: NOW }],
      releasedUnits: 5,
      removedUnits: 1,
    });
  });

  it("keeps a first loss's reason, and ignores lines with nothing open", () => {
    const lines: RecordedLine[] = [
      { ...recorded[0]!, reserved: 0, backordered: 3, lost: 1, lostReason: "cap_reached" },
      { ...recorded[1]!, backordered: 0, shipped: 2 },
    ];
    expect(orderChanged(lines, order({ a: 1, b: 0 }, [ourHold]), new Set(), NOW)).toEqual({
      kind: "changed_outside_app",
      lines: [
        {
          recordId: "ra",
          shipped: 0,
          reserved: 0,
          backordered: 1,
          lost: 3,
          lostReason: "cap_reached",
          holdGone: false,
        },
      ],
      events: [{ recordId: "ra", kind: "cancelled", quantity: 2, at: NOW, by: "outside_app" }],
      lostSales: [{ recordId: "ra", quantity: 2, reason: "merchant_cancelled", at: NOW }],
      releasedUnits: 0,
      removedUnits: 2,
    });
  });

  it("does not count as released a hold the app's own partial release took away (held again under its handle, or begun in the ledger)", () => {
    const reheld = { id: "H2", handle: "backorder-1-F1", ours: true };
    expect(holdsToConfirm(recorded, order({ a: 4, b: 2 }, [reheld]))).toEqual([]);
    expect(orderChanged(recorded, order({ a: 4, b: 2 }, [reheld]), new Set(), NOW)).toEqual({ kind: "up_to_date" });

    expect(holdsToConfirm(recorded, order({ a: 4, b: 2 }, []))).toEqual(["H1"]);
    expect(orderChanged(recorded, order({ a: 4, b: 2 }, []), new Set(["H1"]), NOW)).toEqual({ kind: "up_to_date" });
  });

  it("does not take another app's hold with the app's handle for its own", () => {
    const theirs = { id: "H9", handle: "backorder-1-F1", ours: false };
    expect(holdsToConfirm(recorded, order({ a: 4, b: 2 }, [theirs]))).toEqual(["H1"]);
  });
});
