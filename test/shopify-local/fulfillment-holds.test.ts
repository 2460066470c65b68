import { beforeEach, describe, expect, it } from "vitest";
import { adminGraphql, frozenLocalShopify, type Json } from "./testing";

let token: string;
let domain: string;
let shopCounter = 0;
let mugVariant: string;
let capVariant: string;

const stack = frozenLocalShopify({ startAt: new Date("2026-11-20T10:00:00Z"), timeScale: 0.001 });

beforeEach(async () => {
  const shop = await stack.local.control.createShop({ domain: `holds-${++shopCounter}.myshopify.com` });
  token = shop.accessToken;
  domain = shop.domain;
  const location = shop.locations[0]!.id;
  const product = await stack.local.control.createProduct(domain, {
    title: "Mug",
    variants: [
      { title: "Blue", sku: "MUG-B", inventoryPolicy: "CONTINUE", available: { [location]: 1 } },
      { title: "Red", sku: "MUG-R", inventoryPolicy: "DENY", available: { [location]: 10 } },
    ],
  });
  mugVariant = product.variants[0]!.gid;
  capVariant = product.variants[1]!.gid;
});

const FO_FIELDS = `id status lineItems(first: 10) { nodes { id remainingQuantity totalQuantity lineItem { sku } } }
  fulfillmentHolds { id handle reason heldByRequestingApp } supportedActions { action }`;

async function routedFulfillmentOrder() {
  const order = await stack.local.control.placeOrder(domain, {
    customer: { email: "ada@example.com" },
    lines: [
      { variantId: mugVariant, quantity: 3 },
      { variantId: capVariant, quantity: 2 },
    ],
  });
  await stack.local.control.settle();
  const answer = await adminGraphql(
    stack.local.origin,
    token,
    `query($id: ID!) { order(id: $id) { fulfillmentOrders(first: 5) { nodes { ${FO_FIELDS} } } } }`,
    { id: order.gid },
  );
  return answer.json.data.order.fulfillmentOrders.nodes[0];
}

const HOLD = `mutation Hold($id: ID!, $hold: FulfillmentOrderHoldInput!) {
  fulfillmentOrderHold(id: $id, fulfillmentHold: $hold) {
    fulfillmentHold { id handle reason }
    fulfillmentOrder { ${FO_FIELDS} }
    remainingFulfillmentOrder { ${FO_FIELDS} }
    userErrors { field message code }
  }
}`;

const RELEASE = `mutation Release($id: ID!, $holdIds: [ID!]) {
  fulfillmentOrderReleaseHold(id: $id, holdIds: $holdIds) {
    fulfillmentOrder { id status fulfillmentHolds { handle } }
    userErrors { field message code }
  }
}`;

async function hold(id: string, handle: string, lines?: { id: string; quantity: number }[]) {
  const answer = await adminGraphql(stack.local.origin, token, HOLD, {
    id,
    hold: {
      reason: "INVENTORY_OUT_OF_STOCK",
      reasonNotes: "Backordered",
      handle,
      ...(lines ? { fulfillmentOrderLineItems: lines } : {}),
    },
  });
  return answer.json.data.fulfillmentOrderHold;
}

describe("fulfillment holds (parity rows H1–H10)", () => {
  it("H1: a partial hold splits the fulfillment order and returns the unheld part as remainingFulfillmentOrder", async () => {
    const fo = await routedFulfillmentOrder();
    const [mugLine, capLine] = fo.lineItems.nodes;
    const result = await hold(fo.id, "backorder-1", [{ id: mugLine.id, quantity: 2 }]);

    expect(result.userErrors).toEqual([]);
    expect(result.fulfillmentOrder).toEqual({
      id: fo.id,
      status: "ON_HOLD",
      lineItems: { nodes: [{ id: mugLine.id, remainingQuantity: 2, totalQuantity: 2, lineItem: { sku: "MUG-B" } }] },
      fulfillmentHolds: [
        {
          id: result.fulfillmentHold.id,
          handle: "backorder-1",
          reason: "INVENTORY_OUT_OF_STOCK",
          heldByRequestingApp: true,
        },
      ],
      supportedActions: [{ action: "RELEASE_HOLD" }, { action: "HOLD" }, { action: "MOVE" }],
    });
    const remaining = result.remainingFulfillmentOrder;
    expect(remaining.id).not.toBe(fo.id);
    expect(remaining.status).toBe("OPEN");
    expect(remaining.fulfillmentHolds).toEqual([]);
    expect(remaining.lineItems.nodes.map((l: Json) => [l.lineItem.sku, l.remainingQuantity])).toEqual([
      ["MUG-B", 1],
      ["MUG-R", 2],
    ]);
    expect(capLine.remainingQuantity).toBe(2);
  });

  it("H1b: a hold without line items holds the whole fulfillment order and returns no remainder", async () => {
    const fo = await routedFulfillmentOrder();
    const result = await hold(fo.id, "whole");
    expect(result.userErrors).toEqual([]);
    expect(result.remainingFulfillmentOrder).toBeNull();
    expect(result.fulfillmentOrder.status).toBe("ON_HOLD");
    expect(result.fulfillmentOrder.lineItems.nodes.map((l: Json) => l.remainingQuantity)).toEqual([3, 2]);
  });

  it("H1c: line items on an already held fulfillment order are refused as not splittable", async () => {
    const fo = await routedFulfillmentOrder();
    await hold(fo.id, "first");
    const result = await hold(fo.id, "second", [{ id: fo.lineItems.nodes[0].id, quantity: 1 }]);
    expect(result.userErrors).toEqual([
      {
        field: ["fulfillmentHold", "fulfillmentOrderLineItems"],
        message: "The fulfillment order could not be split: it is already on hold.",
        code: "FULFILLMENT_ORDER_NOT_SPLITTABLE",
      },
    ]);
  });

  it("H7: a fulfillment order on hold cannot be split (SPLIT is not among its supportedActions)", async () => {
    const fo = await routedFulfillmentOrder();
    const held = await hold(fo.id, "whole");
    expect(held.fulfillmentOrder.supportedActions.map((a: Json) => a.action)).not.toContain("SPLIT");
    const answer = await adminGraphql(
      stack.local.origin,
      token,
      `mutation($splits: [FulfillmentOrderSplitInput!]!) { fulfillmentOrderSplit(fulfillmentOrderSplits: $splits) {
        fulfillmentOrderSplits { remainingFulfillmentOrder { id } } userErrors { field message code } } }`,
      {
        splits: [
          { fulfillmentOrderId: fo.id, fulfillmentOrderLineItems: [{ id: fo.lineItems.nodes[0].id, quantity: 1 }] },
        ],
      },
    );
    expect(answer.json.data.fulfillmentOrderSplit).toEqual({
      fulfillmentOrderSplits: null,
      userErrors: [
        {
          field: ["fulfillmentOrderSplits", "0", "fulfillmentOrderId"],
          message: "The fulfillment order cannot be split: its status (on_hold) does not support it.",
          code: null,
        },
      ],
    });
  });

  it("H8, H9: beside the merchant's hold, placed_on_hold fires for the first hold only and hold_released for the last", async () => {
    const fo = await routedFulfillmentOrder();
    const foId = Number(fo.id.split("/").pop());
    const merchant = await stack.local.control.holdFulfillmentOrder(domain, foId, {
      by: "merchant",
      reason: "HIGH_RISK_OF_FRAUD",
    });
    const ours = await hold(fo.id, "backorder");
    expect(ours.userErrors).toEqual([]);
    expect(ours.fulfillmentOrder.fulfillmentHolds.map((h: Json) => [h.reason, h.heldByRequestingApp])).toEqual([
      ["HIGH_RISK_OF_FRAUD", false],
      ["INVENTORY_OUT_OF_STOCK", true],
    ]);
    // The app cannot release the merchant's hold by its id.
    const refused = await adminGraphql(stack.local.origin, token, RELEASE, { id: fo.id, holdIds: [merchant.gid] });
    expect(refused.json.data.fulfillmentOrderReleaseHold.userErrors.map((e: Json) => e.code)).toEqual([
      "INVALID_ACCESS",
    ]);
    await stack.local.control.releaseFulfillmentOrder(domain, foId, { by: "merchant", holdIds: [merchant.id] });
    await stack.local.control.settle();
    const count = async (topic: string) => (await stack.local.control.webhookLog({ topic, shop: domain })).length;
    expect(await count("fulfillment_orders/placed_on_hold")).toBe(1);
    expect(await count("fulfillment_orders/hold_released")).toBe(0);
    const released = await adminGraphql(stack.local.origin, token, RELEASE, {
      id: fo.id,
      holdIds: [ours.fulfillmentHold.id],
    });
    expect(released.json.data.fulfillmentOrderReleaseHold.fulfillmentOrder.status).toBe("OPEN");
    await stack.local.control.settle();
    expect(await count("fulfillment_orders/hold_released")).toBe(1);
  });

  it("H10: another app's hold is its own: held_by_app names it, and this app cannot release it", async () => {
    const fo = await routedFulfillmentOrder();
    const foId = Number(fo.id.split("/").pop());
    const other = await stack.local.control.holdFulfillmentOrder(domain, foId, {
      by: { appId: 4242 },
      reason: "AWAITING_PAYMENT",
    });
    const refused = await adminGraphql(stack.local.origin, token, RELEASE, { id: fo.id, holdIds: [other.gid] });
    expect(refused.json.data.fulfillmentOrderReleaseHold.userErrors.map((e: Json) => e.code)).toEqual([
      "INVALID_ACCESS",
    ]);
    await stack.local.control.settle();
    const [entry] = await stack.local.control.webhookLog({ topic: "fulfillment_orders/placed_on_hold", shop: domain });
    expect(JSON.parse(entry!.body).created_fulfillment_hold).toMatchObject({
      held_by_requesting_app: false,
      held_by_app: { id: "gid://shopify/App/4242" },
    });
  });

  it("H2: release with holdIds releases only those holds", async () => {
    const fo = await routedFulfillmentOrder();
    const first = await hold(fo.id, "ours");
    await hold(fo.id, "also-ours");
    const answer = await adminGraphql(stack.local.origin, token, RELEASE, {
      id: fo.id,
      holdIds: [first.fulfillmentHold.id],
    });
    expect(answer.json.data.fulfillmentOrderReleaseHold).toEqual({
      fulfillmentOrder: { id: fo.id, status: "ON_HOLD", fulfillmentHolds: [{ handle: "also-ours" }] },
      userErrors: [],
    });
  });

  it("H3: release without holdIds releases every hold and reopens the fulfillment order", async () => {
    const fo = await routedFulfillmentOrder();
    await hold(fo.id, "one");
    await hold(fo.id, "two");
    const answer = await adminGraphql(stack.local.origin, token, RELEASE, { id: fo.id });
    expect(answer.json.data.fulfillmentOrderReleaseHold).toEqual({
      fulfillmentOrder: { id: fo.id, status: "OPEN", fulfillmentHolds: [] },
      userErrors: [],
    });
    await stack.local.control.settle();
    const released = await stack.local.control.webhookLog({ topic: "fulfillment_orders/hold_released", shop: domain });
    expect(released.map((e) => JSON.parse(e.body))).toEqual([{ fulfillment_order: { id: fo.id, status: "open" } }]);
  });

  it("H4: a handle is unique per app and fulfillment order, at most 64 characters, reusable elsewhere", async () => {
    const fo = await routedFulfillmentOrder();
    expect((await hold(fo.id, "dup")).userErrors).toEqual([]);
    expect((await hold(fo.id, "dup")).userErrors).toEqual([
      {
        field: ["fulfillmentHold", "handle"],
        message:
          "The handle provided for the fulfillment hold is already in use by this app for another hold on this fulfillment order.",
        code: "DUPLICATE_FULFILLMENT_HOLD_HANDLE",
      },
    ]);
    expect((await hold(fo.id, "x".repeat(65))).userErrors).toEqual([
      { field: ["fulfillmentHold", "handle"], message: "Handle is too long (maximum is 64 characters)", code: null },
    ]);
    const other = await routedFulfillmentOrder();
    expect((await hold(other.id, "dup")).userErrors).toEqual([]);
  });

  it("H5: an app may hold one fulfillment order at most 10 times", async () => {
    const fo = await routedFulfillmentOrder();
    for (let i = 1; i <= 10; i++) expect((await hold(fo.id, `hold-${i}`)).userErrors).toEqual([]);
    const eleventh = await hold(fo.id, "hold-11");
    expect(eleventh.userErrors).toEqual([
      {
        field: ["id"],
        message:
          "The maximum number of fulfillment holds for this fulfillment order has been reached for this app. An app can only have up to 10 holds on a single fulfillment order at any one time.",
        code: "FULFILLMENT_ORDER_HOLD_LIMIT_REACHED",
      },
    ]);
    expect(eleventh.fulfillmentHold).toBeNull();
  });

  it("H6: a hold fires fulfillment_orders/placed_on_hold shaped like Shopify's sample", async () => {
    const fo = await routedFulfillmentOrder();
    const result = await hold(fo.id, "backorder", [{ id: fo.lineItems.nodes[0].id, quantity: 1 }]);
    await stack.local.control.settle();
    const [entry] = await stack.local.control.webhookLog({ topic: "fulfillment_orders/placed_on_hold", shop: domain });
    expect(JSON.parse(entry!.body)).toEqual({
      fulfillment_order: {
        id: fo.id,
        status: "on_hold",
        fulfillment_holds: [
          {
            id: result.fulfillmentHold.id,
            reason: "inventory_out_of_stock",
            reason_notes: "Backordered",
            held_by_requesting_app: true,
            handle: "backorder",
            held_by_app: { id: "gid://shopify/App/4000001" },
          },
        ],
      },
      remaining_fulfillment_order: { id: result.remainingFulfillmentOrder.id, status: "open" },
      held_fulfillment_order_line_items: [{ id: fo.lineItems.nodes[0].id, quantity: 1 }],
      created_fulfillment_hold: {
        id: result.fulfillmentHold.id,
        reason: "inventory_out_of_stock",
        reason_notes: "Backordered",
        held_by_requesting_app: true,
        handle: "backorder",
        held_by_app: { id: "gid://shopify/App/4000001" },
      },
    });
  });
});
