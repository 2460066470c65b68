/**
 * `npm run bench:detection-floor`: what Local Shopify charges (`extensions.cost.actualQueryCost`) for the
 * routing read and the hold request of one newly backordered one-line order, as the app sends them and as
 * each alternative weighed against the 30-point target would (docs/decisions/0008-backorder-processing.md,
 * "The cost of a backordered order"). The alternatives are documents only, never sent by the app: each row
 * names what it would give up. Every hold request runs on an order of its own.
 */
import { print } from "graphql";

import {
  BackorderHoldDocument,
  BackorderRoutedOrderAtDocument,
  BackorderRoutedOrderDocument,
} from "../../app/shopify/generated/operations";
import { startLocalShopify } from "../shopify-local/server";

interface Answer {
  data?: Record<string, unknown>;
  errors?: unknown[];
  extensions?: { cost?: { actualQueryCost: number | null; requestedQueryCost: number } };
}

const local = await startLocalShopify({
  apiSecret: "bench",
  clock: "frozen",
  startAt: new Date("2026-11-20T10:00:00Z"),
});
const shop = await local.control.createShop({ domain: "floor.myshopify.com" });
const location = shop.locations[0]!;
const product = await local.control.createProduct(shop.domain, {
  title: "Lamp",
  variants: [{ sku: "LAMP", inventoryPolicy: "CONTINUE", tracked: true, available: { [location.id]: 0 } }],
});

async function admin(query: string, variables: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(`${local.origin}/admin/api/2026-10/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": shop.accessToken },
    body: JSON.stringify({ query, variables }),
  });
  const answer = (await response.json()) as Answer;
  if (answer.errors) throw new Error(JSON.stringify(answer.errors));
  return answer;
}

/** A routed order of 2 units on the out-of-stock variant: its fulfillment order and that order's one line. */
async function routedOrder() {
  const order = await local.control.placeOrder(shop.domain, {
    customer: { email: "floor@example.com" },
    lines: [{ variantId: product.variants[0]!.id, quantity: 2 }],
  });
  await local.control.advanceClock(2_000);
  const [fo] = await local.control.fulfillmentOrders(shop.domain, order.id);
  const lines = await admin("query($id: ID!) { fulfillmentOrder(id: $id) { lineItems(first: 1) { nodes { id } } } }", {
    id: fo!.gid,
  });
  const line = (lines.data!.fulfillmentOrder as { lineItems: { nodes: { id: string }[] } }).lineItems.nodes[0]!;
  return { orderId: order.gid, fulfillmentOrderId: fo!.gid, lineId: line.id };
}

const levelAt = `inventoryLevel(locationId: $loc) { quantities(names: ["available", "committed"]) { name quantity } }`;
const variant = `variant { id price inventoryPolicy inventoryQuantity inventoryItem { id tracked ${levelAt} } }`;
const foLines = (line: string) =>
  `lineItems(first: 10) { pageInfo { hasNextPage } nodes { id totalQuantity remainingQuantity ${line} } }`;
const header = "id status requestStatus assignedLocation { location { id } }";
const orderFields =
  "id name createdAt updatedAt cancelledAt cancelReason tags currencyCode currentSubtotalLineItemsQuantity";

const reads: [string, string][] = [
  ["today, first read of a shop (every level, and the shop's locations)", print(BackorderRoutedOrderDocument)],
  ["today, the shop's one location known (BackorderRoutedOrderAt)", print(BackorderRoutedOrderAtDocument)],
  [
    "without lineItem: its id, title, sku from the payload by variant (a stale payload mislinks)",
    `query($id: ID!, $loc: ID!) { fulfillmentOrder(id: $id) { ${header} ${foLines(variant)}
      order { ${orderFields} customer { id firstName lastName tags } } } }`,
  ],
  [
    "… and without customer (from the payload: no customer tags for tiers)",
    `query($id: ID!, $loc: ID!) { fulfillmentOrder(id: $id) { ${header} ${foLines(variant)} order { ${orderFields} } } }`,
  ],
  [
    "… and without order (tags and the order's quantity from the payload)",
    `query($id: ID!, $loc: ID!) { fulfillmentOrder(id: $id) { ${header} orderId orderName ${foLines(variant)} } }`,
  ],
  [
    "no stock per location (variant.inventoryQuantity only, as before it)",
    `query($id: ID!) { fulfillmentOrder(id: $id) { id status requestStatus ${foLines(
      "lineItem { id title sku quantity currentQuantity unfulfilledQuantity variant { id price inventoryPolicy inventoryQuantity inventoryItem { id tracked } } }",
    )} order { ${orderFields} customer { id firstName lastName tags } } } }`,
  ],
];

const metafield = { namespace: "$app", key: "backorder", type: "json", value: '{"status":"backordered"}' };
const holdInput = (lineId: string, handle: string) => ({
  reason: "INVENTORY_OUT_OF_STOCK",
  handle,
  notifyMerchant: false,
  fulfillmentOrderLineItems: [{ id: lineId, quantity: 2 }],
});
const holdField =
  "fulfillmentOrderHold(id: $fo, fulfillmentHold: $hold) { fulfillmentHold { id } userErrors { field message code } }";
type Routed = Awaited<ReturnType<typeof routedOrder>>;
const writes: [string, string, (o: Routed) => Record<string, unknown>][] = [
  [
    "today: hold + tagsAdd + orderUpdate (the metafield)",
    print(BackorderHoldDocument),
    (o) => ({
      fulfillmentOrderId: o.fulfillmentOrderId,
      hold: holdInput(o.lineId, "today"),
      orderId: o.orderId,
      addTags: ["backordered"],
      tagOrder: true,
      order: { id: o.orderId, metafields: [metafield] },
      variantDates: [],
      setVariantDates: false,
      notify: false,
    }),
  ],
  [
    "hold + orderUpdate with tags (replaces the list: a tag added meanwhile is lost)",
    `mutation($fo: ID!, $hold: FulfillmentOrderHoldInput!, $input: OrderInput!) { ${holdField}
      orderUpdate(input: $input) { userErrors { field message } } }`,
    (o) => ({
      fo: o.fulfillmentOrderId,
      hold: holdInput(o.lineId, "replace"),
      input: { id: o.orderId, tags: ["backordered"], metafields: [metafield] },
    }),
  ],
  [
    "hold + tagsAdd, no order metafield at detection",
    `mutation($fo: ID!, $hold: FulfillmentOrderHoldInput!, $order: ID!) { ${holdField}
      tagsAdd(id: $order, tags: ["backordered"]) { userErrors { field message } } }`,
    (o) => ({ fo: o.fulfillmentOrderId, hold: holdInput(o.lineId, "untold"), order: o.orderId }),
  ],
  [
    "hold + tagsAdd + metafieldsSet for the metafield",
    `mutation($fo: ID!, $hold: FulfillmentOrderHoldInput!, $order: ID!, $m: [MetafieldsSetInput!]!) { ${holdField}
      tagsAdd(id: $order, tags: ["backordered"]) { userErrors { field message } }
      metafieldsSet(metafields: $m) { userErrors { field message code } } }`,
    (o) => ({
      fo: o.fulfillmentOrderId,
      hold: holdInput(o.lineId, "set"),
      order: o.orderId,
      m: [{ ...metafield, ownerId: o.orderId }],
    }),
  ],
];

const cost = (answer: Answer) => {
  const figures = answer.extensions!.cost!;
  return `${figures.actualQueryCost} points (${figures.requestedQueryCost} requested)`;
};

console.info("Routing read of one new one-line order:");
const read = await routedOrder();
for (const [label, query] of reads) {
  console.info(
    `  ${label}: ${cost(await admin(query, { id: read.fulfillmentOrderId, learnLocations: true, locationId: location.gid, loc: location.gid }))}`,
  );
}
console.info("Hold request of one new one-line order (Flow off, no storefront date):");
for (const [label, query, variables] of writes) {
  console.info(`  ${label}: ${cost(await admin(query, variables(await routedOrder())))}`);
}
const five = [];
for (let i = 0; i < 5; i++) five.push(await routedOrder());
const batched = await admin(
  "mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { userErrors { field message code } } }",
  { m: five.map((o) => ({ ...metafield, ownerId: o.orderId })) },
);
console.info(`Five orders' metafields in one metafieldsSet: ${cost(batched)} (one orderUpdate each: 10 points)`);
await local.stop();
