import { readFileSync } from "node:fs";

import { beforeEach, describe, expect, it } from "vitest";

import { adminGraphql, frozenLocalShopify, type Json } from "./testing";
import { shapeDifferences } from "./webhooks/shape";

/**
 * Fulfillment orders assigned to a fulfillment service location (a third-party warehouse's app), whose work
 * starts with a fulfillment request: while the service has the request, the merchant's apps may neither hold,
 * move nor split them (parity rows T1–T5).
 */
let token: string;
let domain: string;
let warehouse: { id: number; gid: string };
let shopLocation: { id: number; gid: string };
let variant: string;
let shopVariant: string;
let shopCounter = 0;

const stack = frozenLocalShopify({ startAt: new Date("2026-11-20T10:00:00Z"), timeScale: 0.001 });

beforeEach(async () => {
  const shop = await stack.local.control.createShop({ domain: `services-${++shopCounter}.myshopify.com` });
  token = shop.accessToken;
  domain = shop.domain;
  shopLocation = shop.locations[0]!;
  warehouse = await stack.local.control.addLocation(domain, "Warehouse", { serviceName: "Acme Fulfilment" });
  // Only the warehouse can ship three: checkout routes such lines there (the shop's location stocks none, so a
  // fulfillment order can be moved to it).
  const product = await stack.local.control.createProduct(domain, {
    title: "Kettle",
    variants: [
      {
        sku: "KETTLE",
        price: "40.00",
        inventoryPolicy: "CONTINUE",
        available: { [shopLocation.id]: 0, [warehouse.id]: 5 },
      },
    ],
  });
  variant = product.variants[0]!.gid;
  const atShop = await stack.local.control.createProduct(domain, {
    title: "Kettle at the shop",
    variants: [{ sku: "KETTLE-S", inventoryPolicy: "CONTINUE", available: { [shopLocation.id]: 5 } }],
  });
  shopVariant = atShop.variants[0]!.gid;
});

const FO = `id status requestStatus supportedActions { action }
  assignedLocation { location { id isFulfillmentService fulfillmentService { serviceName handle } } }
  lineItems(first: 5) { nodes { id remainingQuantity } }`;

async function warehouseOrder(quantity = 3): Promise<{ id: number; gid: string; fo: Json }> {
  const order = await stack.local.control.placeOrder(domain, {
    customer: { email: "ada@example.com" },
    lines: [{ variantId: variant, quantity }],
  });
  await stack.local.control.settle();
  return { ...order, fo: await fulfillmentOrder(order.gid) };
}

async function fulfillmentOrder(orderGid: string): Promise<Json> {
  const answer = await adminGraphql(
    stack.local.origin,
    token,
    `query($id: ID!) { order(id: $id) { fulfillmentOrders(first: 5) { nodes { ${FO} } } } }`,
    { id: orderGid },
  );
  return answer.json.data.order.fulfillmentOrders.nodes[0];
}

const actions = (fo: Json) => fo.supportedActions.map((a: Json) => a.action);
const numeric = (id: string) => Number(/(\d+)$/.exec(id)![1]);

async function hold(fo: Json, lines?: Json[]) {
  const answer = await adminGraphql(
    stack.local.origin,
    token,
    `mutation($id: ID!, $hold: FulfillmentOrderHoldInput!) {
      fulfillmentOrderHold(id: $id, fulfillmentHold: $hold) {
        fulfillmentHold { id } fulfillmentOrder { id status } userErrors { field message code }
      }
    }`,
    {
      id: fo.id,
      hold: {
        reason: "INVENTORY_OUT_OF_STOCK",
        handle: "backorder",
        ...(lines ? { fulfillmentOrderLineItems: lines } : {}),
      },
    },
  );
  return answer.json.data.fulfillmentOrderHold;
}

async function move(fo: Json) {
  const answer = await adminGraphql(
    stack.local.origin,
    token,
    `mutation($id: ID!, $to: ID!) {
      fulfillmentOrderMove(id: $id, newLocationId: $to) { movedFulfillmentOrder { id } userErrors { field message } }
    }`,
    { id: fo.id, to: shopLocation.gid },
  );
  return answer.json.data.fulfillmentOrderMove;
}

async function split(fo: Json) {
  const answer = await adminGraphql(
    stack.local.origin,
    token,
    `mutation($splits: [FulfillmentOrderSplitInput!]!) {
      fulfillmentOrderSplit(fulfillmentOrderSplits: $splits) { userErrors { field message code } }
    }`,
    {
      splits: [
        { fulfillmentOrderId: fo.id, fulfillmentOrderLineItems: [{ id: fo.lineItems.nodes[0].id, quantity: 1 }] },
      ],
    },
  );
  return answer.json.data.fulfillmentOrderSplit;
}

describe("fulfillment service locations (parity rows T1–T5)", () => {
  it("T1: a fulfillment service's location and its fulfillment orders, UNSUBMITTED until the merchant requests fulfillment", async () => {
    const { fo } = await warehouseOrder();
    expect(fo.assignedLocation.location).toEqual({
      id: warehouse.gid,
      isFulfillmentService: true,
      fulfillmentService: { serviceName: "Acme Fulfilment", handle: "acme-fulfilment" },
    });
    expect([fo.status, fo.requestStatus, actions(fo)]).toEqual([
      "OPEN",
      "UNSUBMITTED",
      ["REQUEST_FULFILLMENT", "HOLD", "MOVE", "SPLIT"],
    ]);
    // A merchant-managed location's fulfillment order has no request to make: "the only valid request status for
    // fulfillment orders that aren't assigned to a fulfillment service".
    const own = await stack.local.control.placeOrder(domain, {
      customer: { email: "bob@example.com" },
      lines: [{ variantId: shopVariant, quantity: 1 }],
    });
    await stack.local.control.settle();
    const ownFo = await fulfillmentOrder(own.gid);
    expect([ownFo.requestStatus, actions(ownFo)[0], ownFo.assignedLocation.location.isFulfillmentService]).toEqual([
      "UNSUBMITTED",
      "CREATE_FULFILLMENT",
      false,
    ]);
    await expect(stack.local.control.requestFulfillment(domain, numeric(ownFo.id))).rejects.toThrow(
      /not assigned to a fulfillment service/,
    );
  });

  it("T2: once SUBMITTED or ACCEPTED, HOLD, MOVE and SPLIT are refused; what ends the request is offered instead", async () => {
    const order = await warehouseOrder();
    const id = numeric(order.fo.id);
    expect(await stack.local.control.requestFulfillment(domain, id)).toEqual({
      status: "OPEN",
      requestStatus: "SUBMITTED",
    });
    const submitted = await fulfillmentOrder(order.gid);
    expect(actions(submitted)).toEqual(["CANCEL_FULFILLMENT_ORDER"]);
    expect((await hold(submitted)).userErrors).toEqual([
      {
        field: ["id"],
        message: "The fulfillment order's fulfillment request is submitted: it cannot be put on hold.",
        code: null,
      },
    ]);
    expect((await move(submitted)).userErrors).toEqual([
      { field: ["id"], message: "Cannot move a fulfillment order that has a fulfillment request in progress." },
    ]);
    expect((await split(submitted)).userErrors[0].code).toBeNull();

    expect(await stack.local.control.answerFulfillmentRequest(domain, id, "accept", "Ships tomorrow.")).toEqual({
      status: "IN_PROGRESS",
      requestStatus: "ACCEPTED",
    });
    const accepted = await fulfillmentOrder(order.gid);
    expect([accepted.status, actions(accepted)]).toEqual(["IN_PROGRESS", ["REQUEST_CANCELLATION"]]);
    expect((await hold(accepted, [{ id: accepted.lineItems.nodes[0].id, quantity: 1 }])).userErrors[0].message).toBe(
      "The fulfillment order's fulfillment request is accepted: it cannot be put on hold.",
    );
    expect((await fulfillmentOrder(order.gid)).status).toBe("IN_PROGRESS");
  });

  it("T3: a held fulfillment order cannot be requested until its holds are released (FulfillmentOrderStatus.ON_HOLD)", async () => {
    const order = await warehouseOrder();
    const held = await hold(order.fo);
    expect(held.userErrors).toEqual([]);
    await expect(stack.local.control.requestFulfillment(domain, numeric(order.fo.id))).rejects.toThrow(/on hold/);
    await stack.local.control.releaseFulfillmentOrder(domain, numeric(order.fo.id), {
      by: "merchant",
      holdIds: [held.fulfillmentHold.id],
    });
    expect((await stack.local.control.requestFulfillment(domain, numeric(order.fo.id))).requestStatus).toBe(
      "SUBMITTED",
    );
  });

  it("T4: a rejected request leaves the fulfillment order OPEN, to be held, moved or requested again", async () => {
    const order = await warehouseOrder();
    const id = numeric(order.fo.id);
    await stack.local.control.requestFulfillment(domain, id);
    expect(await stack.local.control.answerFulfillmentRequest(domain, id, "reject")).toEqual({
      status: "OPEN",
      requestStatus: "REJECTED",
    });
    const rejected = await fulfillmentOrder(order.gid);
    expect(actions(rejected)).toEqual(["REQUEST_FULFILLMENT", "HOLD", "MOVE", "SPLIT"]);
    expect((await move(rejected)).userErrors).toEqual([]);
  });

  it("T5: fulfillment_orders/fulfillment_request_accepted fires on acceptance, shaped like Shopify's sample", async () => {
    const order = await warehouseOrder();
    const id = numeric(order.fo.id);
    await stack.local.control.requestFulfillment(domain, id);
    await stack.local.control.answerFulfillmentRequest(domain, id, "accept", "We will ship the item tomorrow.");
    await stack.local.control.settle();
    const log = await stack.local.control.webhookLog({
      shop: domain,
      topic: "fulfillment_orders/fulfillment_request_accepted",
    });
    expect(log).toHaveLength(1);
    const body = JSON.parse(log[0]!.body) as Json;
    expect(body).toEqual({
      fulfillment_order: { id: order.fo.id, status: "in_progress", request_status: "accepted" },
      message: "We will ship the item tomorrow.",
    });
    const sample = JSON.parse(
      readFileSync(
        new URL("../fixtures/webhooks/fulfillment_orders-fulfillment_request_accepted.2026-07.json", import.meta.url),
        "utf8",
      ),
    );
    expect(shapeDifferences(sample, body)).toEqual([]);
  });
});
