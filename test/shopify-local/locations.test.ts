import { beforeEach, describe, expect, it } from "vitest";

import { adminGraphql, frozenLocalShopify, type Json } from "./testing";

let shopCounter = 0;
let token: string;
let domain: string;
let main: { id: number; gid: string };
let backroom: { id: number; gid: string };

const stack = frozenLocalShopify({ startAt: new Date("2026-11-20T10:00:00Z"), timeScale: 1 });

beforeEach(async () => {
  const shop = await stack.local.control.createShop({
    domain: `loc-${++shopCounter}.myshopify.com`,
    locations: ["Main", "Backroom"],
  });
  token = shop.accessToken;
  domain = shop.domain;
  main = shop.locations[0]!;
  backroom = shop.locations[1]!;
});

const gql = (query: string, variables: Record<string, unknown> = {}) =>
  adminGraphql(stack.local.origin, token, query, variables);

async function product(policy: "CONTINUE" | "DENY", atMain: number, atBackroom: number) {
  const created = await stack.local.control.createProduct(domain, {
    title: `Item ${policy}`,
    variants: [
      {
        sku: policy,
        price: "10.00",
        inventoryPolicy: policy,
        available: { [main.id]: atMain, [backroom.id]: atBackroom },
      },
    ],
  });
  return created.variants[0]!;
}

async function available(itemGid: string): Promise<Record<string, number>> {
  const answer = await gql(
    `query($id: ID!) { inventoryItem(id: $id) { inventoryLevels(first: 5) { nodes { location { name }
      quantities(names: ["available", "committed"]) { name quantity } } } } }`,
    { id: itemGid },
  );
  const out: Record<string, number> = {};
  for (const level of answer.json.data.inventoryItem.inventoryLevels.nodes as Json[]) {
    for (const q of level.quantities) out[`${level.location.name}.${q.name}`] = q.quantity;
  }
  return out;
}

async function fulfillmentOrders(
  orderGid: string,
): Promise<{ id: string; at: string; units: number; status: string }[]> {
  const answer = await gql(
    `query($id: ID!) { order(id: $id) { fulfillmentOrders(first: 10) { nodes { id status assignedLocation { name }
      lineItems(first: 10) { nodes { remainingQuantity } } } } } }`,
    { id: orderGid },
  );
  return (answer.json.data.order.fulfillmentOrders.nodes as Json[]).map((fo) => ({
    id: fo.id,
    at: fo.assignedLocation.name,
    status: fo.status,
    units: fo.lineItems.nodes.reduce((n: number, l: Json) => n + l.remainingQuantity, 0),
  }));
}

describe("checkout routing by location (parity rows P1–P3)", () => {
  it("M1: a line one location can ship whole goes there, even when another location comes first", async () => {
    const variant = await product("CONTINUE", 1, 5);
    const order = await stack.local.control.placeOrder(domain, { lines: [{ variantId: variant.gid, quantity: 3 }] });
    await stack.local.control.settle();
    expect((await fulfillmentOrders(order.gid)).map(({ at, units }) => [at, units])).toEqual([["Backroom", 3]]);
    expect(await available(variant.inventoryItemGid)).toEqual({
      "Main.available": 1,
      "Main.committed": 0,
      "Backroom.available": 2,
      "Backroom.committed": 3,
    });
  });

  it("M2: a DENY line no single location can ship is split across locations, none going below zero", async () => {
    const variant = await product("DENY", 2, 3);
    const order = await stack.local.control.placeOrder(domain, { lines: [{ variantId: variant.gid, quantity: 4 }] });
    await stack.local.control.settle();
    expect((await fulfillmentOrders(order.gid)).map(({ at, units }) => [at, units])).toEqual([
      ["Main", 2],
      ["Backroom", 2],
    ]);
    expect(await available(variant.inventoryItemGid)).toEqual({
      "Main.available": 0,
      "Main.committed": 2,
      "Backroom.available": 1,
      "Backroom.committed": 2,
    });
  });

  it("M3: a CONTINUE line no single location can ship is not split: it goes to the first location, below zero there", async () => {
    const variant = await product("CONTINUE", 1, 1);
    const order = await stack.local.control.placeOrder(domain, { lines: [{ variantId: variant.gid, quantity: 2 }] });
    await stack.local.control.settle();
    expect((await fulfillmentOrders(order.gid)).map(({ at, units }) => [at, units])).toEqual([["Main", 2]]);
    expect(await available(variant.inventoryItemGid)).toEqual({
      "Main.available": -1,
      "Main.committed": 2,
      "Backroom.available": 1,
      "Backroom.committed": 0,
    });
  });
});

const MOVE = `mutation($id: ID!, $to: ID!, $lines: [FulfillmentOrderLineItemInput!]) {
  fulfillmentOrderMove(id: $id, newLocationId: $to, fulfillmentOrderLineItems: $lines) {
    movedFulfillmentOrder { id status assignedLocation { name } }
    originalFulfillmentOrder { id status }
    userErrors { field message }
  } }`;

describe("fulfillmentOrderMove (parity row P4)", () => {
  it("M4: moving a whole fulfillment order keeps its id and holds, moves the committed units and fires moved", async () => {
    const variant = await product("CONTINUE", 0, 0);
    const order = await stack.local.control.placeOrder(domain, { lines: [{ variantId: variant.gid, quantity: 2 }] });
    await stack.local.control.settle();
    const [fo] = await fulfillmentOrders(order.gid);
    const hold = await gql(
      `mutation($id: ID!) { fulfillmentOrderHold(id: $id, fulfillmentHold: { reason: INVENTORY_OUT_OF_STOCK, handle: "h" }) { userErrors { message } } }`,
      { id: fo!.id },
    );
    expect(hold.json.data.fulfillmentOrderHold.userErrors).toEqual([]);
    const moved = await gql(MOVE, { id: fo!.id, to: backroom.gid });
    expect(moved.json.data.fulfillmentOrderMove).toEqual({
      movedFulfillmentOrder: { id: fo!.id, status: "ON_HOLD", assignedLocation: { name: "Backroom" } },
      originalFulfillmentOrder: { id: fo!.id, status: "ON_HOLD" },
      userErrors: [],
    });
    expect(await available(variant.inventoryItemGid)).toEqual({
      "Main.available": 0,
      "Main.committed": 0,
      "Backroom.available": -2,
      "Backroom.committed": 2,
    });
    await stack.local.control.settle();
    const log = await stack.local.control.webhookLog({ shop: domain, topic: "fulfillment_orders/moved" });
    expect(log.map((entry) => JSON.parse(entry.body))).toEqual([
      {
        original_fulfillment_order: { id: fo!.id, status: "on_hold", assigned_location_id: backroom.gid },
        moved_fulfillment_order: { id: fo!.id, status: "on_hold", assigned_location_id: backroom.gid },
        destination_location_id: backroom.gid,
        fulfillment_order_line_items_requested: [expect.objectContaining({ quantity: 2 })],
        source_location: { id: main.gid },
      },
    ]);
  });

  it("M4b: moving some units creates a fulfillment order at the destination; a location not stocking the item is refused", async () => {
    const variant = await product("CONTINUE", 0, 3);
    const order = await stack.local.control.placeOrder(domain, { lines: [{ variantId: variant.gid, quantity: 4 }] });
    await stack.local.control.settle();
    const [fo] = await fulfillmentOrders(order.gid);
    expect(fo!.at).toBe("Main");
    const lines = await gql(`query($id: ID!) { fulfillmentOrder(id: $id) { lineItems(first: 1) { nodes { id } } } }`, {
      id: fo!.id,
    });
    const lineId = lines.json.data.fulfillmentOrder.lineItems.nodes[0].id;
    const moved = await gql(MOVE, { id: fo!.id, to: backroom.gid, lines: [{ id: lineId, quantity: 3 }] });
    expect(moved.json.data.fulfillmentOrderMove.userErrors).toEqual([]);
    expect((await fulfillmentOrders(order.gid)).map(({ at, units, status }) => [at, units, status])).toEqual([
      ["Main", 1, "OPEN"],
      ["Backroom", 3, "OPEN"],
    ]);
    expect(await available(variant.inventoryItemGid)).toEqual({
      "Main.available": -1,
      "Main.committed": 1,
      "Backroom.available": 0,
      "Backroom.committed": 3,
    });

    const third = await stack.local.control.addLocation(domain, "Pop-up");
    const refused = await gql(MOVE, { id: fo!.id, to: third.gid });
    expect(refused.json.data.fulfillmentOrderMove.userErrors).toEqual([
      { field: ["newLocationId"], message: `The destination location doesn't stock Item CONTINUE.` },
    ]);
  });
});

describe("protected customer data (parity row P5)", () => {
  const READ = `query($id: ID!) { order(id: $id) { id customer { id tags firstName lastName } } }`;

  it("M5: without approval Shopify withholds the Customer object (level 0) or its names (level 1): null and ACCESS_DENIED", async () => {
    const variant = await product("CONTINUE", 5, 0);
    const order = await stack.local.control.placeOrder(domain, {
      customer: { email: "ada@example.com", firstName: "Ada", lastName: "Lovelace" },
      lines: [{ variantId: variant.gid, quantity: 1 }],
    });
    const full = await gql(READ, { id: order.gid });
    expect(full.json.errors).toBeUndefined();
    expect(full.json.data.order.customer).toMatchObject({ firstName: "Ada", lastName: "Lovelace", tags: [] });

    await stack.local.control.setProtectedCustomerData(domain, 1);
    const names = await gql(READ, { id: order.gid });
    expect(names.json.data.order.customer).toMatchObject({ firstName: null, lastName: null, tags: [] });
    expect(names.json.errors.map((e: Json) => [e.path, e.extensions.code])).toEqual([
      [["order", "customer", "firstName"], "ACCESS_DENIED"],
      [["order", "customer", "lastName"], "ACCESS_DENIED"],
    ]);

    await stack.local.control.setProtectedCustomerData(domain, 0);
    const none = await gql(READ, { id: order.gid });
    expect(none.json.data.order).toEqual({ id: order.gid, customer: null });
    expect(none.json.errors.map((e: Json) => [e.path, e.extensions.code])).toEqual([
      [["order", "customer"], "ACCESS_DENIED"],
    ]);
  });

  it("M6: the order's e-mail is level 2 like the customer's; its checkout language and the customer's marketing state are served", async () => {
    await stack.local.control.setProtectedCustomerData(domain, 2);
    const variant = await product("CONTINUE", 5, 0);
    const order = await stack.local.control.placeOrder(domain, {
      customer: { email: "grace@example.com", marketingState: "UNSUBSCRIBED" },
      lines: [{ variantId: variant.gid, quantity: 1 }],
      locale: "fr-CA",
    });
    const contact = `query($id: ID!) { order(id: $id) { email customerLocale customer { defaultEmailAddress { marketingState } } } }`;
    const full = await gql(contact, { id: order.gid });
    expect(full.json).toEqual({
      data: {
        order: {
          email: "grace@example.com",
          customerLocale: "fr-CA",
          customer: { defaultEmailAddress: { marketingState: "UNSUBSCRIBED" } },
        },
      },
      extensions: expect.anything(),
    });
    await stack.local.control.setProtectedCustomerData(domain, 1);
    const withheld = await gql(contact, { id: order.gid });
    expect(withheld.json.data.order).toMatchObject({ email: null, customerLocale: "fr-CA" });
    expect(withheld.json.errors.map((e: Json) => [e.path, e.extensions.code])).toEqual([
      [["order", "email"], "ACCESS_DENIED"],
      [["order", "customer", "defaultEmailAddress"], "ACCESS_DENIED"],
    ]);
    await stack.local.control.setProtectedCustomerData(domain, 2);
  });
});
