import { describe, expect, it } from "vitest";

import { lineStatus } from "./records-for-engine";
import { holdHandle, releaseAction } from "./apply";
import { inventoryItemGid } from "./webhook-payloads";

const FO = {
  id: "gid://shopify/FulfillmentOrder/7",
  status: "ON_HOLD",
  requestStatus: "UNSUBMITTED",
  actions: ["RELEASE_HOLD", "HOLD", "MOVE"],
  locationId: "gid://shopify/Location/1",
  holds: [{ id: "gid://shopify/FulfillmentHold/9", handle: "backorder-1-7", ours: true }],
  lines: [
    { id: "gid://shopify/FulfillmentOrderLineItem/71", lineItemId: "gid://shopify/LineItem/1", remaining: 3 },
    { id: "gid://shopify/FulfillmentOrderLineItem/72", lineItemId: "gid://shopify/LineItem/2", remaining: 2 },
  ],
};

describe("releaseAction", () => {
  it("releases the hold by id when nothing stays held", () => {
    expect(releaseAction(FO, "gid://shopify/FulfillmentHold/9", "backorder-1-7", new Map())).toEqual({
      kind: "release",
      fulfillmentOrderId: FO.id,
      holdId: "gid://shopify/FulfillmentHold/9",
    });
  });

  it("releases and holds again exactly the units that stay held when some ship (no SPLIT while on hold)", () => {
    expect(
      releaseAction(
        FO,
        "gid://shopify/FulfillmentHold/9",
        "backorder-1-7",
        new Map([
          ["gid://shopify/LineItem/1", 1],
          ["gid://shopify/LineItem/2", 2],
        ]),
      ),
    ).toEqual({
      kind: "partial",
      fulfillmentOrderId: FO.id,
      holdId: "gid://shopify/FulfillmentHold/9",
      handle: "backorder-1-7",
      keep: [
        { id: "gid://shopify/FulfillmentOrderLineItem/71", quantity: 1 },
        { id: "gid://shopify/FulfillmentOrderLineItem/72", quantity: 2 },
      ],
      held: true,
    });
  });

  it("waits when another holder's hold would keep the re-hold from splitting the fulfillment order", () => {
    const shared = { ...FO, holds: [...FO.holds, { id: "gid://shopify/FulfillmentHold/5", handle: "", ours: false }] };
    expect(
      releaseAction(
        shared,
        "gid://shopify/FulfillmentHold/9",
        "backorder-1-7",
        new Map([["gid://shopify/LineItem/1", 1]]),
      ),
    ).toEqual({ kind: "blocked" });
    // A whole release of the app's own hold is fine: the other hold stays.
    expect(releaseAction(shared, "gid://shopify/FulfillmentHold/9", "backorder-1-7", new Map())).toMatchObject({
      kind: "release",
    });
  });

  it("asks for nothing once Shopify already holds only what must stay (a retry after a crash)", () => {
    expect(
      releaseAction(
        FO,
        "gid://shopify/FulfillmentHold/9",
        "backorder-1-7",
        new Map([
          ["gid://shopify/LineItem/1", 3],
          ["gid://shopify/LineItem/2", 5],
        ]),
      ),
    ).toBeNull();
  });
});

describe("holdHandle", () => {
  it("names the order and the fulfillment order, within Shopify's 64 characters", () => {
    const handle = holdHandle("gid://shopify/Order/820982911946154508", "gid://shopify/FulfillmentOrder/1046000787");
    expect(handle).toBe("backorder-820982911946154508-1046000787");
    expect(handle.length).toBeLessThanOrEqual(64);
  });
});

describe("inventoryItemGid", () => {
  it("keeps ids above 2^53 exact by reading the raw payload", () => {
    const raw = '{"inventory_item_id":271878346596884015,"location_id":24826418,"available":10}';
    expect(inventoryItemGid(raw)).toBe("gid://shopify/InventoryItem/271878346596884015");
    expect(String(JSON.parse(raw).inventory_item_id)).not.toBe("271878346596884015");
  });

  it("names the field when it is missing", () => {
    expect(() => inventoryItemGid('{"available":1}')).toThrow(
      "inventory_levels/update payload: inventory_item_id is missing",
    );
  });
});

describe("lineStatus", () => {
  const line = { quantity: 3, shippedQty: 0, reservedQty: 0, backorderedQty: 0, lostQty: 0, lostReason: null };
  it("follows the quantities", () => {
    expect(
      [
        { ...line, backorderedQty: 3 },
        { ...line, shippedQty: 1, backorderedQty: 2 },
        { ...line, reservedQty: 3 },
        { ...line, shippedQty: 3 },
        { ...line, shippedQty: 2, lostQty: 1, lostReason: "deadline" },
        { ...line, lostQty: 3, lostReason: "customer_cancelled" },
      ].map(lineStatus),
    ).toEqual(["waiting", "partially_allocated", "allocated", "allocated", "expired", "cancelled"]);
  });
});
