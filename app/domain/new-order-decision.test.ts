import { describe, expect, it } from "vitest";
import { newOrderDecision, type NewOrderDecisionLine, type NewOrderSnapshot } from "./new-order-decision";
import type { FulfillmentOrderState } from "./operations";

const ORDER = "gid://shopify/Order/1";
const CREATED = Date.UTC(2026, 3, 1, 9);
const PROMISED = Date.UTC(2026, 3, 20);
const SETTINGS = { orderTag: "backordered" };

function line(lineItem: number, plan: Partial<NewOrderDecisionLine["plan"]>): NewOrderDecisionLine {
  const full = { ordered: 2, shipNow: 0, backordered: 0, capReached: 0, hold: 0, release: 0, ...plan };
  return {
    plan: { lineId: `gid://shopify/LineItem/${lineItem}`, ...full },
    variantId: `gid://shopify/ProductVariant/${lineItem}0`,
    quantity: full.ordered,
    unitPriceCents: 2500,
  };
}

function fo(id: number, lines: [number, number][], extra: Partial<FulfillmentOrderState> = {}): FulfillmentOrderState {
  return {
    id: `gid://shopify/FulfillmentOrder/${id}`,
    status: "OPEN",
    requestStatus: "UNSUBMITTED",
    actions: null,
    holds: [],
    lines: lines.map(([lineItem, remaining]) => ({
      id: `gid://shopify/FulfillmentOrderLineItem/${id}${lineItem}`,
      lineItemId: `gid://shopify/LineItem/${lineItem}`,
      remaining,
    })),
    ...extra,
  };
}

function snapshot(order: Partial<NewOrderSnapshot>): NewOrderSnapshot {
  return {
    orderId: ORDER,
    createdAt: CREATED,
    tags: [],
    fulfillmentOrders: [],
    lines: [],
    promisedAt: new Map(),
    variantDates: [],
    ...order,
  };
}

const VARIANT_DATE = {
  ownerId: "gid://shopify/ProductVariant/30",
  namespace: "$app",
  key: "expected_date",
  type: "date",
  value: "2026-04-20",
};

describe("newOrderDecision: the whole of what detection asks of Shopify", () => {
  it("units beyond the cap are refunded before the hold, which carries tag, metafield, dates and trigger", () => {
    const decision = newOrderDecision(
      snapshot({
        fulfillmentOrders: [fo(7, [[3, 3]])],
        lines: [{ ...line(3, { ordered: 3, backordered: 2, capReached: 1, hold: 2 }), quantity: 3 }],
        promisedAt: new Map([["gid://shopify/LineItem/3", PROMISED]]),
        variantDates: [VARIANT_DATE],
      }),
      SETTINGS,
    );
    expect(decision).toEqual({
      holds: [
        {
          fulfillmentOrderId: "gid://shopify/FulfillmentOrder/7",
          holdId: null,
          handle: "backorder-1-7",
          lines: [{ lineItemId: "gid://shopify/LineItem/3", quantity: 2 }],
        },
      ],
      unheld: [],
      promisedAt: PROMISED,
      operations: [
        {
          kind: "remove_units",
          key: "cap:gid://shopify/Order/1",
          orderId: ORDER,
          removals: [
            {
              lineItemId: "gid://shopify/LineItem/3",
              variantId: "gid://shopify/ProductVariant/30",
              quantity: 1,
              targetQuantity: 2,
              unitPriceCents: 2500,
            },
          ],
          note: "Backorder limit reached for this item: the units beyond it were cancelled and refunded.",
        },
        {
          kind: "hold",
          orderId: ORDER,
          fulfillmentOrderId: "gid://shopify/FulfillmentOrder/7",
          handle: "backorder-1-7",
          lines: [{ id: "gid://shopify/FulfillmentOrderLineItem/73", quantity: 2 }],
        },
        {
          kind: "order_detected",
          orderId: ORDER,
          addTags: ["backordered"],
          orderMetafields: [
            {
              ownerId: ORDER,
              namespace: "$app",
              key: "backorder",
              type: "json",
              value: JSON.stringify({
                status: "backordered",
                promisedDate: "2026-04-20",
                lines: [
                  {
                    lineItemId: "gid://shopify/LineItem/3",
                    status: "waiting",
                    backordered: 2,
                    shipped: 0,
                    lost: 1,
                    lostReason: "cap_reached",
                    losses: { cap_reached: 1 },
                    promisedDate: "2026-04-20",
                  },
                ],
              }),
            },
          ],
          variantDates: [VARIANT_DATE],
          created: { order_id: 1, "Backordered units": 2, "Promised date": "2026-04-20" },
          heldBefore: false,
        },
      ],
    });
  });

  it("a retry: the app's hold already there is not asked again, another holder's hold means a whole hold, a fulfillment service's request leaves units unheld", () => {
    const decision = newOrderDecision(
      snapshot({
        tags: ["backordered"],
        fulfillmentOrders: [
          fo(7, [[3, 1]], {
            status: "ON_HOLD",
            holds: [{ id: "gid://shopify/FulfillmentHold/1", handle: "backorder-1-7", ours: true }],
          }),
          fo(8, [[3, 1]], { status: "ON_HOLD", actions: ["HOLD", "RELEASE_HOLD"] }),
          fo(9, [[4, 2]], { requestStatus: "SUBMITTED", actions: ["CANCEL_FULFILLMENT_ORDER"] }),
        ],
        lines: [line(3, { backordered: 2, hold: 2 }), line(4, { shipNow: 2, hold: 2 })],
      }),
      SETTINGS,
    );
    expect(decision.holds).toEqual([
      {
        fulfillmentOrderId: "gid://shopify/FulfillmentOrder/7",
        holdId: "gid://shopify/FulfillmentHold/1",
        handle: "backorder-1-7",
        lines: [{ lineItemId: "gid://shopify/LineItem/3", quantity: 1 }],
      },
      {
        fulfillmentOrderId: "gid://shopify/FulfillmentOrder/8",
        holdId: null,
        handle: "backorder-1-8",
        lines: [{ lineItemId: "gid://shopify/LineItem/3", quantity: 1 }],
      },
    ]);
    expect(decision.unheld).toEqual([
      {
        fulfillmentOrderId: "gid://shopify/FulfillmentOrder/9",
        requestStatus: "SUBMITTED",
        lines: [{ lineItemId: "gid://shopify/LineItem/4", quantity: 2 }],
      },
    ]);
    expect(
      decision.operations.map((op) => (op.kind === "order_detected" ? { ...op, orderMetafields: [] } : op)),
    ).toEqual([
      {
        kind: "hold",
        orderId: ORDER,
        fulfillmentOrderId: "gid://shopify/FulfillmentOrder/8",
        handle: "backorder-1-8",
        lines: null,
      },
      {
        kind: "order_detected",
        orderId: ORDER,
        addTags: null,
        orderMetafields: [],
        variantDates: [],
        created: { order_id: 1, "Backordered units": 2, "Promised date": "2026-04-01" },
        heldBefore: true,
      },
    ]);
  });

  it("nothing waits, only capped units: the refund, then the order's status alone, with no trigger", () => {
    const decision = newOrderDecision(
      snapshot({ lines: [{ ...line(5, { ordered: 1, capReached: 1 }), quantity: 1 }] }),
      SETTINGS,
    );
    expect(decision.holds).toEqual([]);
    expect(decision.operations.map((op) => op.kind)).toEqual(["remove_units", "order_detected"]);
    expect(decision.operations[1]).toMatchObject({ created: null, addTags: ["backordered"], heldBefore: false });
  });
});
