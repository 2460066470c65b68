import { describe, expect, it } from "vitest";
import type { FulfillmentOrderState } from "./operations";
import { grantToOrder, planShipment, shipGrants, type ShipmentLine, type ShippingLine } from "./shipment";
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

describe("shipGrants: the whole decision for a grant", () => {
  const ORDER = "gid://shopify/Order/1";
  const FO = "gid://shopify/FulfillmentOrder/7";
  const HOLD = "gid://shopify/FulfillmentHold/9";
  const NOW = Date.UTC(2026, 2, 10, 12);
  const PROMISED = Date.UTC(2026, 2, 20);
  const shippingSettings = { ...DEFAULT_SETTINGS, orderTag: "backordered" };

  function waitingLine(backordered: number): ShippingLine {
    return {
      recordId: "rec-1",
      orderId: ORDER,
      lineId: "gid://shopify/LineItem/3",
      productId: "gid://shopify/Product/5",
      title: "Kayak",
      ordered: backordered,
      shipped: 0,
      reserved: 0,
      backordered,
      lost: 0,
      lostReason: null,
      promisedAt: PROMISED,
      fulfillmentOrderId: FO,
      holdId: HOLD,
      holdHandle: "backorder-1-7",
    };
  }

  function heldOrder(remaining: number, holds: FulfillmentOrderState["holds"]): FulfillmentOrderState[] {
    return [
      {
        id: FO,
        status: "ON_HOLD",
        requestStatus: "UNSUBMITTED",
        actions: ["RELEASE_HOLD", "HOLD"],
        holds,
        lines: [{ id: "gid://shopify/FulfillmentOrderLineItem/11", lineItemId: "gid://shopify/LineItem/3", remaining }],
      },
    ];
  }

  const ours = [{ id: HOLD, handle: "backorder-1-7", ours: true }];

  function snapshot(line: ShippingLine, fulfillmentOrders: FulfillmentOrderState[] | null, started: string[] = []) {
    return {
      orders: [{ orderId: ORDER, lines: [line] }],
      fulfillmentOrders: new Map(fulfillmentOrders ? [[ORDER, fulfillmentOrders]] : []),
      partialReleasesStarted: new Set(started),
      losses: new Map(),
    };
  }

  function statusMetafield(line: { status: string; backordered: number; shipped: number }) {
    return {
      ownerId: ORDER,
      namespace: "$app",
      key: "backorder",
      type: "json",
      value: JSON.stringify({
        status: line.backordered > 0 ? "backordered" : "settled",
        promisedDate: line.backordered > 0 ? "2026-03-20" : null,
        lines: [
          {
            lineItemId: "gid://shopify/LineItem/3",
            status: line.status,
            backordered: line.backordered,
            shipped: line.shipped,
            lost: 0,
            lostReason: null,
            losses: {},
            promisedDate: "2026-03-20",
          },
        ],
      }),
    };
  }

  it("a grant of every waiting unit releases the hold, settles the order and fires the trigger", () => {
    const grants = new Map([["gid://shopify/LineItem/3", 2]]);
    expect(shipGrants(snapshot(waitingLine(2), heldOrder(2, ours)), grants, shippingSettings, NOW)).toEqual({
      lineChanges: [
        { recordId: "rec-1", change: { shippedQty: 2, reservedQty: 0, backorderedQty: 0, status: "allocated" } },
      ],
      events: [
        { orderId: ORDER, recordId: "rec-1", kind: "allocated", quantity: 2, at: NOW },
        { orderId: ORDER, recordId: "rec-1", kind: "released", quantity: 2, at: NOW },
      ],
      operations: [
        { kind: "release", fulfillmentOrderId: FO, holdId: HOLD },
        { kind: "set_metafield", metafield: statusMetafield({ status: "allocated", backordered: 0, shipped: 2 }) },
        { kind: "remove_tags", orderId: ORDER, tags: ["backordered"] },
        {
          kind: "flow",
          trigger: "allocated",
          subject: `${ORDER}:2`,
          payload: { order_id: 1, "Released units": 2, "Units still backordered": 0 },
        },
      ],
      messages: [],
      releasedUnits: 2,
    });
  });

  it("a grant of some units releases them and holds the rest again under the same handle", () => {
    const grants = new Map([["gid://shopify/LineItem/3", 2]]);
    expect(shipGrants(snapshot(waitingLine(3), heldOrder(3, ours)), grants, shippingSettings, NOW)).toEqual({
      lineChanges: [
        {
          recordId: "rec-1",
          change: { shippedQty: 2, reservedQty: 0, backorderedQty: 1, status: "partially_allocated" },
          reheldFrom: HOLD,
        },
      ],
      events: [
        { orderId: ORDER, recordId: "rec-1", kind: "allocated", quantity: 2, at: NOW },
        { orderId: ORDER, recordId: "rec-1", kind: "released", quantity: 2, at: NOW },
      ],
      operations: [
        {
          kind: "partial",
          fulfillmentOrderId: FO,
          holdId: HOLD,
          handle: "backorder-1-7",
          keep: [{ id: "gid://shopify/FulfillmentOrderLineItem/11", quantity: 1 }],
          held: true,
        },
        {
          kind: "set_metafield",
          metafield: statusMetafield({ status: "partially_allocated", backordered: 1, shipped: 2 }),
        },
        {
          kind: "flow",
          trigger: "allocated",
          subject: `${ORDER}:2`,
          payload: { order_id: 1, "Released units": 2, "Units still backordered": 1 },
        },
      ],
      messages: [
        {
          kind: "part_shipped",
          orderId: ORDER,
          subject: `${ORDER}:2`,
          facts: { items: [{ title: "Kayak", quantity: 1 }], promisedAt: "2026-03-20" },
        },
      ],
      releasedUnits: 2,
    });
  });

  it("another holder's hold keeps a partial release from splitting: the granted units stay reserved", () => {
    const grants = new Map([["gid://shopify/LineItem/3", 2]]);
    const shared = heldOrder(3, [...ours, { id: "gid://shopify/FulfillmentHold/8", handle: null, ours: false }]);
    expect(shipGrants(snapshot(waitingLine(3), shared), grants, shippingSettings, NOW)).toEqual({
      lineChanges: [
        {
          recordId: "rec-1",
          change: { shippedQty: 0, reservedQty: 2, backorderedQty: 1, status: "partially_allocated" },
        },
      ],
      events: [{ orderId: ORDER, recordId: "rec-1", kind: "allocated", quantity: 2, at: NOW }],
      operations: [
        {
          kind: "set_metafield",
          metafield: statusMetafield({ status: "partially_allocated", backordered: 1, shipped: 0 }),
        },
      ],
      messages: [],
      releasedUnits: 0,
    });
  });

  it("on a retry after Shopify held the waiting units again, asks nothing of Shopify and takes the new hold", () => {
    const grants = new Map([["gid://shopify/LineItem/3", 2]]);
    const reheld = heldOrder(1, [{ id: "gid://shopify/FulfillmentHold/10", handle: "backorder-1-7", ours: true }]);
    const decision = shipGrants(snapshot(waitingLine(3), reheld, [HOLD]), grants, shippingSettings, NOW);
    expect(decision.lineChanges).toEqual([
      {
        recordId: "rec-1",
        change: {
          shippedQty: 2,
          reservedQty: 0,
          backorderedQty: 1,
          status: "partially_allocated",
          holdId: "gid://shopify/FulfillmentHold/10",
        },
      },
    ]);
    expect(decision.operations.map((op) => op.kind)).toEqual(["set_metafield", "flow"]);
    expect(decision.releasedUnits).toBe(2);
  });

  it("a hold released outside the app is the order sync's to record: the grant is reserved, not shipped", () => {
    const grants = new Map([["gid://shopify/LineItem/3", 2]]);
    const released = heldOrder(2, []);
    const decision = shipGrants(snapshot(waitingLine(2), released), grants, shippingSettings, NOW);
    expect(decision.lineChanges).toEqual([
      { recordId: "rec-1", change: { shippedQty: 0, reservedQty: 2, backorderedQty: 0, status: "allocated" } },
    ]);
    expect(decision.operations.map((op) => op.kind)).toEqual(["set_metafield"]);
  });

  it("nothing granted and nothing reserved: nothing to do", () => {
    expect(shipGrants(snapshot(waitingLine(2), null), new Map(), shippingSettings, NOW)).toEqual({
      lineChanges: [],
      events: [],
      operations: [],
      messages: [],
      releasedUnits: 0,
    });
  });
});
