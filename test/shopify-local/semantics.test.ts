import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { ControlError } from "./control/client";
import { adminGraphql, frozenLocalShopify, type Json } from "./testing";

let shopCounter = 0;
let token: string;
let domain: string;
let warehouse: { id: number; gid: string };
let overflow: { id: number; gid: string };
let mug: { gid: string; inventoryItemId: number; inventoryItemGid: string };
let poster: { gid: string; inventoryItemId: number; inventoryItemGid: string };
let productGid: string;

// Real-time delays: routing and jobs happen only when a test settles them.
const stack = frozenLocalShopify({ startAt: new Date("2026-11-20T10:00:00Z"), timeScale: 1 });

beforeEach(async () => {
  const shop = await stack.local.control.createShop({
    domain: `sem-${++shopCounter}.myshopify.com`,
    locations: ["Warehouse", "Overflow"],
  });
  token = shop.accessToken;
  domain = shop.domain;
  warehouse = shop.locations[0]!;
  overflow = shop.locations[1]!;
  const product = await stack.local.control.createProduct(domain, {
    title: "Mug",
    variants: [
      { title: "Backorderable", sku: "MUG", inventoryPolicy: "CONTINUE", available: { [warehouse.id]: 2 } },
      { title: "Poster", sku: "POSTER", inventoryPolicy: "DENY", available: { [overflow.id]: 5 } },
    ],
  });
  productGid = product.gid;
  mug = product.variants[0]!;
  poster = product.variants[1]!;
});

const QUANTITIES = `query($item: ID!, $location: ID!) { inventoryItem(id: $item) {
  tracked inventoryLevel(locationId: $location) { quantities(names: ["available", "on_hand", "committed", "incoming"]) { name quantity } } } }`;

async function quantities(itemGid: string, locationGid: string): Promise<Record<string, number>> {
  const answer = await adminGraphql(stack.local.origin, token, QUANTITIES, { item: itemGid, location: locationGid });
  const level = answer.json.data.inventoryItem.inventoryLevel;
  return Object.fromEntries(level.quantities.map((q: { name: string; quantity: number }) => [q.name, q.quantity]));
}

async function fulfillmentOrders(orderGid: string) {
  const answer = await adminGraphql(
    stack.local.origin,
    token,
    `query($id: ID!) { order(id: $id) { fulfillmentOrders(first: 10) { nodes { id status assignedLocation { name }
      lineItems(first: 10) { nodes { id remainingQuantity lineItem { sku } } } } } } }`,
    { id: orderGid },
  );
  return answer.json.data.order.fulfillmentOrders.nodes;
}

describe("orders and inventory (parity rows S1–S4)", () => {
  it("S1: an order commits inventory; a CONTINUE variant's available goes below zero", async () => {
    await stack.local.control.placeOrder(domain, { lines: [{ variantId: mug.gid, quantity: 5 }] });
    expect(await quantities(mug.inventoryItemGid, warehouse.gid)).toEqual({
      available: -3,
      on_hand: 2,
      committed: 5,
      incoming: 0,
    });
  });

  it("S2: a DENY variant refuses the oversell and nothing changes", async () => {
    const refused = await stack.local.control
      .placeOrder(domain, { lines: [{ variantId: poster.gid, quantity: 6 }] })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ControlError);
    expect((refused as ControlError).status).toBe(422);
    expect((refused as ControlError).message).toMatch(
      /^lines\[0\]: only 5 of variant \d+ can be sold \(inventory policy DENY\)$/,
    );
    expect(await quantities(poster.inventoryItemGid, overflow.gid)).toEqual({
      available: 5,
      on_hand: 5,
      committed: 0,
      incoming: 0,
    });
  });

  it("S3: routing creates one fulfillment order per location shortly after the order, then order_routing_complete fires", async () => {
    const order = await stack.local.control.placeOrder(domain, {
      lines: [
        { variantId: mug.gid, quantity: 1 },
        { variantId: poster.gid, quantity: 2 },
      ],
    });
    expect(await fulfillmentOrders(order.gid)).toEqual([]);
    await stack.local.control.settle();
    const fos = await fulfillmentOrders(order.gid);
    expect(
      fos.map((fo: Json) => [
        fo.status,
        fo.assignedLocation.name,
        fo.lineItems.nodes.map((l: Json) => [l.lineItem.sku, l.remainingQuantity]),
      ]),
    ).toEqual([
      ["OPEN", "Warehouse", [["MUG", 1]]],
      ["OPEN", "Overflow", [["POSTER", 2]]],
    ]);
    const routed = await stack.local.control.webhookLog({
      topic: "fulfillment_orders/order_routing_complete",
      shop: domain,
    });
    expect(routed.map((e) => JSON.parse(e.body))).toEqual(
      fos.map((fo: Json) => ({ fulfillment_order: { id: fo.id, status: "open" } })),
    );
  });

  it("S4: fulfilling moves on_hand; cancelling through orderCancel's job restocks the rest", async () => {
    const order = await stack.local.control.placeOrder(domain, { lines: [{ variantId: mug.gid, quantity: 2 }] });
    await stack.local.control.settle();
    const [fo] = await fulfillmentOrders(order.gid);
    await stack.local.control.fulfil(domain, Number(fo.id.split("/").pop()), [
      { id: Number(fo.lineItems.nodes[0].id.split("/").pop()), quantity: 1 },
    ]);
    expect(await quantities(mug.inventoryItemGid, warehouse.gid)).toEqual({
      available: 0,
      on_hand: 1,
      committed: 1,
      incoming: 0,
    });

    const cancel = await adminGraphql(
      stack.local.origin,
      token,
      `mutation($id: ID!) { orderCancel(orderId: $id, reason: INVENTORY, restock: true, refund: false) {
        job { id done } orderCancelUserErrors { field message code } } }`,
      { id: order.gid },
    );
    const { job, orderCancelUserErrors } = cancel.json.data.orderCancel;
    expect(orderCancelUserErrors).toEqual([]);
    expect(job.done).toBe(false);
    await stack.local.control.settle();
    const after = await adminGraphql(
      stack.local.origin,
      token,
      `query($job: ID!, $order: ID!) { job(id: $job) { done } order(id: $order) { cancelReason cancelledAt closed } }`,
      {
        job: job.id,
        order: order.gid,
      },
    );
    expect(after.json.data).toEqual({
      job: { done: true },
      order: { cancelReason: "INVENTORY", cancelledAt: (await stack.local.control.advanceClock(0)).now, closed: true },
    });
    expect(await quantities(mug.inventoryItemGid, warehouse.gid)).toEqual({
      available: 1,
      on_hand: 1,
      committed: 0,
      incoming: 0,
    });
  });
});

describe("order changes (parity rows S5–S7)", () => {
  it("S5: an order edit lowers the quantity, restocks and shrinks the fulfillment order without refunding", async () => {
    const order = await stack.local.control.placeOrder(domain, { lines: [{ variantId: mug.gid, quantity: 3 }] });
    await stack.local.control.settle();
    const begin = await adminGraphql(
      stack.local.origin,
      token,
      `mutation($id: ID!) { orderEditBegin(id: $id) { calculatedOrder { id lineItems(first: 5) { nodes { id quantity } } } userErrors { message } } }`,
      { id: order.gid },
    );
    const calculated = begin.json.data.orderEditBegin.calculatedOrder;
    const set = await adminGraphql(
      stack.local.origin,
      token,
      `mutation($id: ID!, $line: ID!) { orderEditSetQuantity(id: $id, lineItemId: $line, quantity: 1, restock: true) {
        calculatedLineItem { quantity editableQuantityBeforeChanges restocking } userErrors { field message } } }`,
      { id: calculated.id, line: calculated.lineItems.nodes[0].id },
    );
    expect(set.json.data.orderEditSetQuantity).toEqual({
      calculatedLineItem: { quantity: 1, editableQuantityBeforeChanges: 3, restocking: true },
      userErrors: [],
    });
    const commit = await adminGraphql(
      stack.local.origin,
      token,
      `mutation($id: ID!) { orderEditCommit(id: $id) { order { edited currentSubtotalLineItemsQuantity displayFinancialStatus refunds { id } } userErrors { message } } }`,
      { id: calculated.id },
    );
    expect(commit.json.data.orderEditCommit.order).toEqual({
      edited: true,
      currentSubtotalLineItemsQuantity: 1,
      displayFinancialStatus: "PARTIALLY_REFUNDED",
      refunds: [],
    });
    expect(await quantities(mug.inventoryItemGid, warehouse.gid)).toEqual({
      available: 1,
      on_hand: 2,
      committed: 1,
      incoming: 0,
    });
    const [fo] = await fulfillmentOrders(order.gid);
    expect(fo.lineItems.nodes.map((l: Json) => l.remainingQuantity)).toEqual([1]);
  });

  it("S6: refundCreate with CANCEL restocks unfulfilled units", async () => {
    const order = await stack.local.control.placeOrder(domain, { lines: [{ variantId: mug.gid, quantity: 2 }] });
    await stack.local.control.settle();
    const refund = await adminGraphql(
      stack.local.origin,
      token,
      `mutation($input: RefundInput!) { refundCreate(input: $input) @idempotent(key: "s6-refund") { refund { totalRefundedSet { shopMoney { amount } } } userErrors { field message } } }`,
      {
        input: {
          orderId: order.gid,
          refundLineItems: [
            { lineItemId: order.lineItems[0]!.gid, quantity: 2, restockType: "CANCEL", locationId: warehouse.gid },
          ],
        },
      },
    );
    expect(refund.json.data.refundCreate).toEqual({
      refund: { totalRefundedSet: { shopMoney: { amount: "20.0" } } },
      userErrors: [],
    });
    expect(await quantities(mug.inventoryItemGid, warehouse.gid)).toEqual({
      available: 2,
      on_hand: 2,
      committed: 0,
      incoming: 0,
    });
  });

  it("S7: tagsAdd bumps updatedAt and fires orders/updated", async () => {
    const order = await stack.local.control.placeOrder(domain, { lines: [{ variantId: mug.gid, quantity: 1 }] });
    // The frozen clock has not moved yet in this file: the order is placed at the start time.
    expect((await stack.local.control.advanceClock(0)).now).toBe("2026-11-20T10:00:00Z");
    await stack.local.control.advanceClock(60_000);
    const answer = await adminGraphql(
      stack.local.origin,
      token,
      `mutation($id: ID!) { tagsAdd(id: $id, tags: ["backorder", "vip"]) { node { ... on Order { tags updatedAt createdAt } } userErrors { message } } }`,
      { id: order.gid },
    );
    expect(answer.json.data.tagsAdd).toEqual({
      node: { tags: ["backorder", "vip"], updatedAt: "2026-11-20T10:01:00Z", createdAt: "2026-11-20T10:00:00Z" },
      userErrors: [],
    });
    await stack.local.control.settle();
    const updates = await stack.local.control.webhookLog({ topic: "orders/updated", shop: domain });
    expect(updates.map((e) => [JSON.parse(e.body).tags, JSON.parse(e.body).updated_at])).toEqual([
      // REST payloads carry the shop's wall time: Eastern, UTC-5 in November.
      ["backorder, vip", "2026-11-20T05:01:00-05:00"],
    ]);
  });
});

describe("payments (parity row S13)", () => {
  const TRANSACTION = `id kind status gateway amountSet { shopMoney { amount currencyCode } } parentTransaction { id }`;
  const REFUND = `mutation($input: RefundInput!, $key: String!) { refundCreate(input: $input) @idempotent(key: $key) {
    refund { totalRefundedSet { shopMoney { amount } } transactions(first: 5) { nodes { ${TRANSACTION} } } }
    userErrors { field message } } }`;
  const PAYMENTS = `query($id: ID!) { order(id: $id) { displayFinancialStatus
    totalReceivedSet { shopMoney { amount } } totalRefundedSet { shopMoney { amount } } netPaymentSet { shopMoney { amount } }
    transactions(first: 10) { ${TRANSACTION} } refunds { id } } }`;
  const refundInput = (orderGid: string, parentId: string, amount: string) => ({
    orderId: orderGid,
    transactions: [{ orderId: orderGid, parentId, amount, gateway: "bogus", kind: "REFUND" }],
  });

  it("S13: checkout records a SALE of the total; refundCreate refunds amounts against it, never beyond it", async () => {
    const order = await stack.local.control.placeOrder(domain, { lines: [{ variantId: mug.gid, quantity: 3 }] });
    const before = await adminGraphql(stack.local.origin, token, PAYMENTS, { id: order.gid });
    const sale = before.json.data.order.transactions[0];
    expect(before.json.data.order).toEqual({
      displayFinancialStatus: "PAID",
      totalReceivedSet: { shopMoney: { amount: "30.0" } },
      totalRefundedSet: { shopMoney: { amount: "0.0" } },
      netPaymentSet: { shopMoney: { amount: "30.0" } },
      transactions: [
        {
          id: expect.stringMatching(/^gid:\/\/shopify\/OrderTransaction\/\d+$/),
          kind: "SALE",
          status: "SUCCESS",
          gateway: "bogus",
          amountSet: { shopMoney: { amount: "30.0", currencyCode: "USD" } },
          parentTransaction: null,
        },
      ],
      refunds: [],
    });

    const first = await adminGraphql(stack.local.origin, token, REFUND, {
      key: randomUUID(),
      input: refundInput(order.gid, sale.id, "10.00"),
    });
    const refundTransaction = first.json.data.refundCreate.refund.transactions.nodes[0];
    expect(first.json.data.refundCreate).toEqual({
      refund: {
        totalRefundedSet: { shopMoney: { amount: "10.0" } },
        transactions: {
          nodes: [
            {
              id: expect.stringMatching(/^gid:\/\/shopify\/OrderTransaction\/\d+$/),
              kind: "REFUND",
              status: "SUCCESS",
              gateway: "bogus",
              amountSet: { shopMoney: { amount: "10.0", currencyCode: "USD" } },
              parentTransaction: { id: sale.id },
            },
          ],
        },
      },
      userErrors: [],
    });

    // 20.00 is left on the sale: 25.00 is refused whole, and nothing changes.
    const over = await adminGraphql(stack.local.origin, token, REFUND, {
      key: randomUUID(),
      input: refundInput(order.gid, sale.id, "25.00"),
    });
    expect(over.json.data.refundCreate).toEqual({
      refund: null,
      userErrors: [
        {
          field: ["transactions", "0", "amount"],
          message: "Refund amount $25.00 is greater than net payment received $20.00",
        },
      ],
    });
    const notASale = await adminGraphql(stack.local.origin, token, REFUND, {
      key: randomUUID(),
      input: refundInput(order.gid, refundTransaction.id, "1.00"),
    });
    expect(notASale.json.data.refundCreate.userErrors).toEqual([
      { field: ["transactions", "0", "parentId"], message: "Parent transaction does not exist" },
    ]);
    const after = await adminGraphql(stack.local.origin, token, PAYMENTS, { id: order.gid });
    expect(after.json.data.order).toMatchObject({
      displayFinancialStatus: "PARTIALLY_REFUNDED",
      totalRefundedSet: { shopMoney: { amount: "10.0" } },
      netPaymentSet: { shopMoney: { amount: "20.0" } },
      transactions: [{ kind: "SALE" }, { id: refundTransaction.id, kind: "REFUND" }],
      refunds: [{ id: expect.any(String) }],
    });

    await stack.local.control.settle();
    const updates = await stack.local.control.webhookLog({ topic: "orders/updated", shop: domain });
    const payload = JSON.parse(updates.at(-1)!.body);
    expect(payload.financial_status).toBe("partially_refunded");
    expect(
      payload.refunds.map((r: Json) =>
        r.transactions.map((t: Json) => [t.kind, t.status, t.gateway, t.amount, t.parent_id]),
      ),
    ).toEqual([[["refund", "success", "bogus", "10.00", Number(sale.id.split("/").at(-1))]]]);

    const rest = await adminGraphql(stack.local.origin, token, REFUND, {
      key: randomUUID(),
      input: refundInput(order.gid, sale.id, "20.00"),
    });
    expect(rest.json.data.refundCreate.userErrors).toEqual([]);
    const refunded = await adminGraphql(stack.local.origin, token, PAYMENTS, { id: order.gid });
    expect(refunded.json.data.order.displayFinancialStatus).toBe("REFUNDED");
  });
});

describe("orderUpdate (parity row S14)", () => {
  it("S14: orderUpdate replaces the tags, sets the order's metafields, costs one mutation and fires orders/updated", async () => {
    const order = await stack.local.control.placeOrder(domain, {
      lines: [{ variantId: mug.gid, quantity: 1 }],
      tags: ["vip", "gift"],
    });
    const { now } = await stack.local.control.advanceClock(60_000);
    const update = `mutation($input: OrderInput!) { orderUpdate(input: $input) {
      order { tags updatedAt metafield(namespace: "$app", key: "backorder") { type jsonValue } } userErrors { field message } } }`;
    const answer = await adminGraphql(stack.local.origin, token, update, {
      input: {
        id: order.gid,
        tags: ["vip", "Backorder, vip"],
        metafields: [{ namespace: "$app", key: "backorder", type: "json", value: '{"status":"backordered"}' }],
      },
    });
    expect(answer.json.data.orderUpdate).toEqual({
      order: {
        // Replaced, not added to: "gift" is gone; split on commas and kept once, as Shopify does.
        tags: ["vip", "Backorder"],
        updatedAt: now,
        metafield: { type: "json", jsonValue: { status: "backordered" } },
      },
      userErrors: [],
    });
    expect(answer.json.extensions.cost.actualQueryCost).toBe(10);
    const bad = await adminGraphql(stack.local.origin, token, update, {
      input: { id: order.gid, tags: [], metafields: [{ namespace: "$app", key: "backorder", value: "{" }] },
    });
    expect(bad.json.data.orderUpdate.userErrors).toEqual([
      { field: ["metafields", "0", "value"], message: expect.any(String) },
    ]);
    await stack.local.control.settle();
    const updates = await stack.local.control.webhookLog({ topic: "orders/updated", shop: domain });
    expect(updates.map((e) => JSON.parse(e.body).tags)).toEqual(["vip, Backorder"]);
  });
});

describe("app data (parity rows S8–S11)", () => {
  it("S8: $app metafield namespaces resolve to app--{appId}", async () => {
    const order = await stack.local.control.placeOrder(domain, { lines: [{ variantId: mug.gid, quantity: 1 }] });
    const set = await adminGraphql(
      stack.local.origin,
      token,
      `mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { namespace key type value } userErrors { field message code } } }`,
      {
        m: [
          { ownerId: order.gid, namespace: "$app:backorder", key: "promise", type: "date", value: "2026-12-01" },
          { ownerId: order.gid, key: "state", type: "single_line_text_field", value: "waiting" },
        ],
      },
    );
    expect(set.json.data.metafieldsSet).toEqual({
      metafields: [
        { namespace: "app--4000001--backorder", key: "promise", type: "date", value: "2026-12-01" },
        { namespace: "app--4000001", key: "state", type: "single_line_text_field", value: "waiting" },
      ],
      userErrors: [],
    });
    const read = await adminGraphql(
      stack.local.origin,
      token,
      `query($id: ID!) { order(id: $id) { metafield(namespace: "$app:backorder", key: "promise") { value } } }`,
      { id: order.gid },
    );
    expect(read.json.data.order.metafield).toEqual({ value: "2026-12-01" });
    const bad = await adminGraphql(
      stack.local.origin,
      token,
      `mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { id } userErrors { field message code } } }`,
      {
        m: [{ ownerId: order.gid, namespace: "$app", key: "n", type: "number_integer", value: "many" }],
      },
    );
    expect(bad.json.data.metafieldsSet).toEqual({
      metafields: null,
      userErrors: [
        { field: ["metafields", "0", "value"], message: "Value must be an integer.", code: "INVALID_VALUE" },
      ],
    });
  });

  it("S9: productVariantsBulkUpdate switches the inventory policy", async () => {
    const answer = await adminGraphql(
      stack.local.origin,
      token,
      `mutation($p: ID!, $v: [ProductVariantsBulkInput!]!) { productVariantsBulkUpdate(productId: $p, variants: $v) { productVariants { id inventoryPolicy } userErrors { field message code } } }`,
      { p: productGid, v: [{ id: poster.gid, inventoryPolicy: "CONTINUE" }] },
    );
    expect(answer.json.data.productVariantsBulkUpdate).toEqual({
      productVariants: [{ id: poster.gid, inventoryPolicy: "CONTINUE" }],
      userErrors: [],
    });
    await stack.local.control.placeOrder(domain, { lines: [{ variantId: poster.gid, quantity: 7 }] });
    expect((await quantities(poster.inventoryItemGid, overflow.gid)).available).toBe(-2);
  });

  it("S10: flowTriggerReceive is recorded", async () => {
    const { now } = await stack.local.control.advanceClock(0);
    const answer = await adminGraphql(
      stack.local.origin,
      token,
      `mutation { flowTriggerReceive(handle: "backorder-delayed", payload: { order_id: 7 }) { userErrors { field message } } }`,
    );
    expect(answer.json.data.flowTriggerReceive).toEqual({ userErrors: [] });
    expect(await stack.local.control.flowTriggers(domain)).toEqual([
      { handle: "backorder-delayed", payload: { order_id: 7 }, body: null, receivedAt: now, startedWorkflows: 0 },
    ]);
  });

  it("S11: bulkOperationRunQuery completes with a JSONL file served by the local server", async () => {
    await stack.local.control.placeOrder(domain, { lines: [{ variantId: mug.gid, quantity: 1 }] });
    const run = await adminGraphql(
      stack.local.origin,
      token,
      `mutation($q: String!) { bulkOperationRunQuery(query: $q, groupObjects: false) { bulkOperation { id status } userErrors { field message code } } }`,
      {
        q: "{ orders { edges { node { id name lineItems { edges { node { id sku } } } } } } }",
      },
    );
    expect(run.json.data.bulkOperationRunQuery.bulkOperation.status).toBe("CREATED");
    await stack.local.control.settle();
    const done = await adminGraphql(
      stack.local.origin,
      token,
      `{ currentBulkOperation { status objectCount rootObjectCount url } }`,
    );
    const operation = done.json.data.currentBulkOperation;
    expect(operation).toMatchObject({ status: "COMPLETED", objectCount: "2", rootObjectCount: "1" });
    const lines = (await (await fetch(operation.url)).text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { id: expect.stringMatching(/^gid:\/\/shopify\/Order\/\d+$/), name: "#1001" },
      { id: expect.stringMatching(/^gid:\/\/shopify\/LineItem\/\d+$/), sku: "MUG", __parentId: lines[0].id },
    ]);
  });

  it("S12: inventoryAdjustQuantities with @idempotent applies once per key", async () => {
    const mutation = `mutation($input: InventoryAdjustQuantitiesInput!, $key: String!) {
      inventoryAdjustQuantities(input: $input) @idempotent(key: $key) {
        inventoryAdjustmentGroup { id reason changes { name delta quantityAfterChange } } userErrors { field message code } } }`;
    const input = {
      name: "available",
      reason: "restock",
      changes: [{ delta: 4, inventoryItemId: mug.inventoryItemGid, locationId: warehouse.gid }],
    };
    const first = await adminGraphql(stack.local.origin, token, mutation, { input, key: "restock-1" });
    const again = await adminGraphql(stack.local.origin, token, mutation, { input, key: "restock-1" });
    expect(first.json.data.inventoryAdjustQuantities.inventoryAdjustmentGroup.changes).toEqual([
      { name: "available", delta: 4, quantityAfterChange: 6 },
      { name: "on_hand", delta: 4, quantityAfterChange: 6 },
    ]);
    expect(again.json.data).toEqual(first.json.data);
    expect((await quantities(mug.inventoryItemGid, warehouse.gid)).available).toBe(6);
    const mismatch = await adminGraphql(stack.local.origin, token, mutation, {
      input: { ...input, reason: "correction" },
      key: "restock-1",
    });
    expect(mismatch.json.data.inventoryAdjustQuantities.userErrors).toEqual([
      {
        field: ["input"],
        message: "The same idempotency key cannot be used with different operation parameters.",
        code: "IDEMPOTENCY_KEY_PARAMETER_MISMATCH",
      },
    ]);
  });
});
