import {
  BackorderFulfillmentOrderLinesPageDocument,
  BackorderOrderByFulfillmentOrderDocument,
  BackorderOrderDocument,
  BackorderOrderPageDocument,
  BackorderOrdersDocument,
} from "../../shopify/generated/operations";
import type { AdminGateway } from "../../shopify/gateway.server";
import { snapshot, type OrderData, type OrderSnapshot } from "./snapshot";

export async function readOrder(admin: AdminGateway, orderId: string): Promise<OrderSnapshot | null> {
  const data = await admin.query(BackorderOrderDocument, { id: orderId });
  return data.order ? snapshot(await complete(admin, data.order)) : null;
}

/** An order Shopify no longer has is missing from the map. */
export async function readOrders(
  admin: AdminGateway,
  orderIds: readonly string[],
): Promise<Map<string, OrderSnapshot>> {
  const orders = new Map<string, OrderSnapshot>();
  for (let start = 0; start < orderIds.length; start += 5) {
    const data = await admin.query(BackorderOrdersDocument, { ids: orderIds.slice(start, start + 5) });
    for (const node of data.nodes) {
      if (node && "lineItems" in node) orders.set(node.id, snapshot(await complete(admin, node as OrderData)));
    }
  }
  return orders;
}

export async function readOrderByFulfillmentOrder(
  admin: AdminGateway,
  fulfillmentOrderId: string,
): Promise<OrderSnapshot | null> {
  const data = await admin.query(BackorderOrderByFulfillmentOrderDocument, { id: fulfillmentOrderId });
  return data.fulfillmentOrder?.order ? snapshot(await complete(admin, data.fulfillmentOrder.order)) : null;
}

/** The read's `first:` sizes keep its requested cost down; an order with more is read on page by page. */
async function complete(admin: AdminGateway, order: OrderData): Promise<OrderData> {
  const lines = [...order.lineItems.nodes];
  let linePage = order.lineItems.pageInfo;
  while (linePage.hasNextPage) {
    const data = await admin.query(BackorderOrderPageDocument, {
      id: order.id,
      linesAfter: linePage.endCursor,
      lines: true,
    });
    if (!data.order?.lineItems) break;
    lines.push(...data.order.lineItems.nodes);
    linePage = data.order.lineItems.pageInfo;
  }
  const fulfillmentOrders = [...order.fulfillmentOrders.nodes];
  let foPage = order.fulfillmentOrders.pageInfo;
  while (foPage.hasNextPage) {
    const data = await admin.query(BackorderOrderPageDocument, {
      id: order.id,
      fulfillmentOrdersAfter: foPage.endCursor,
      lines: false,
    });
    if (!data.order?.fulfillmentOrders) break;
    fulfillmentOrders.push(...data.order.fulfillmentOrders.nodes);
    foPage = data.order.fulfillmentOrders.pageInfo;
  }
  const completed = [];
  for (const fo of fulfillmentOrders) {
    const foLines = [...fo.lineItems.nodes];
    let page = fo.lineItems.pageInfo;
    while (page.hasNextPage) {
      const data = await admin.query(BackorderFulfillmentOrderLinesPageDocument, { id: fo.id, after: page.endCursor });
      if (!data.fulfillmentOrder) break;
      foLines.push(...data.fulfillmentOrder.lineItems.nodes);
      page = data.fulfillmentOrder.lineItems.pageInfo;
    }
    completed.push({ ...fo, lineItems: { ...fo.lineItems, nodes: foLines } });
  }
  return {
    ...order,
    lineItems: { ...order.lineItems, nodes: lines },
    fulfillmentOrders: { ...order.fulfillmentOrders, nodes: completed },
  };
}
