import { describe, expect, it } from "vitest";
import { afterRemovalOperations, removeUnfilledDecision, type RemovalLine, type RemovedOrderLine } from "./removal";

const ORDER = "gid://shopify/Order/1";
const NOW = Date.UTC(2026, 3, 1, 9);

function line(recordId: string, lineItem: number, counts: Partial<RemovalLine>): RemovalLine {
  const base = { shipped: 0, reserved: 0, backordered: 0, lost: 0, ...counts };
  return {
    recordId,
    lineId: `gid://shopify/LineItem/${lineItem}`,
    variantId: `gid://shopify/ProductVariant/${lineItem}0`,
    ordered: base.shipped + base.reserved + base.backordered + base.lost,
    lostReason: null,
    unitPriceCents: 2500,
    ...base,
  };
}

describe("removeUnfilledDecision: the whole decision to cancel an order's waiting units", () => {
  it("past the deadline: the units are lost, refunded, and the trigger fires once for the decision", () => {
    const lines = [line("rec-1", 3, { shipped: 1, backordered: 2 }), line("rec-2", 4, { reserved: 1 })];
    expect(removeUnfilledDecision(ORDER, lines, "deadline", NOW)).toEqual({
      kind: "remove",
      key: "deadline:gid://shopify/Order/1:3x2",
      units: 2,
      lineChanges: [
        {
          recordId: "rec-1",
          change: { backorderedQty: 0, lostQty: 2, lostReason: "deadline", expiredAt: NOW, status: "expired" },
        },
      ],
      cancelled: [{ recordId: "rec-1", quantity: 2 }],
      lostSales: [{ recordId: "rec-1", quantity: 2, reason: "deadline" }],
      operations: [
        {
          kind: "remove_units",
          key: "deadline:gid://shopify/Order/1:3x2",
          orderId: ORDER,
          removals: [
            {
              lineItemId: "gid://shopify/LineItem/3",
              variantId: "gid://shopify/ProductVariant/30",
              quantity: 2,
              targetQuantity: 1,
              unitPriceCents: 2500,
            },
          ],
          note: "Backordered units not in stock by the final deadline: cancelled and refunded.",
        },
        {
          kind: "flow",
          trigger: "cancelled",
          subject: "deadline:gid://shopify/Order/1:3x2",
          payload: { order_id: 1, "Cancelled units": 2, Reason: "deadline" },
        },
      ],
    });
  });

  it("the customer's cancellation keeps a line's earlier loss reason and sets no expiry", () => {
    const lines = [line("rec-1", 3, { backordered: 1, lost: 1 })];
    lines[0]!.lostReason = "cap_reached";
    const decision = removeUnfilledDecision(ORDER, lines, "customer_cancelled", NOW);
    expect(decision.kind === "remove" && decision.lineChanges).toEqual([
      { recordId: "rec-1", change: { backorderedQty: 0, lostQty: 2, lostReason: "cap_reached", status: "cancelled" } },
    ]);
  });

  it("nothing waiting: nothing to do", () => {
    expect(removeUnfilledDecision(ORDER, [line("rec-1", 3, { reserved: 2 })], "merchant_cancelled", NOW)).toEqual({
      kind: "nothing_to_do",
      reason: "nothing_waiting",
    });
  });
});

describe("afterRemovalOperations: what Shopify shows of the order once the removal and its shipping are recorded", () => {
  const state = (lineItem: number, more: Partial<RemovedOrderLine>): RemovedOrderLine => ({
    lineItemId: `gid://shopify/LineItem/${lineItem}`,
    status: "expired",
    backordered: 0,
    shipped: 1,
    lost: 2,
    lostReason: "deadline",
    losses: { deadline: 2 },
    promisedAt: null,
    reserved: 0,
    ...more,
  });

  it("nothing waits or is reserved: the status metafield, then the tag off", () => {
    expect(afterRemovalOperations(ORDER, [state(3, {})], "backordered")).toEqual([
      {
        kind: "set_metafield",
        metafield: {
          ownerId: ORDER,
          namespace: "$app",
          key: "backorder",
          type: "json",
          value: JSON.stringify({
            status: "settled",
            promisedDate: null,
            lines: [
              {
                lineItemId: "gid://shopify/LineItem/3",
                status: "expired",
                backordered: 0,
                shipped: 1,
                lost: 2,
                lostReason: "deadline",
                losses: { deadline: 2 },
                promisedDate: null,
              },
            ],
          }),
        },
      },
      { kind: "remove_tags", orderId: ORDER, tags: ["backordered"] },
    ]);
  });

  it("a unit still reserved keeps the tag; an order with no records left only loses its tag", () => {
    const kept = afterRemovalOperations(ORDER, [state(3, {}), state(4, { status: "allocated", reserved: 1 })], "b");
    expect(kept.map((op) => op.kind)).toEqual(["set_metafield"]);
    expect(afterRemovalOperations(ORDER, [], "b")).toEqual([{ kind: "remove_tags", orderId: ORDER, tags: ["b"] }]);
  });
});
