import {
  BackorderInventoryItemDocument,
  BackorderOrderByFulfillmentOrderDocument,
  BackorderOrderDocument,
  BackorderOrdersDocument,
  type BackorderOrderFieldsFragment,
} from "../shopify/generated/operations";
import type { AdminGateway } from "../shopify/gateway.server";
import { cents } from "./engine-input";

/** An order as Shopify has it now, in the shape the pipeline plans with. */
export interface OrderSnapshot {
  id: string;
  name: string;
  createdAt: Date;
  updatedAt: Date;
  cancelled: boolean;
  tags: string[];
  currency: string;
  customer: { id: string; name: string; tags: string[] } | null;
  lines: SnapshotLine[];
  fulfillmentOrders: SnapshotFulfillmentOrder[];
}

export interface SnapshotLine {
  id: string;
  title: string;
  sku: string | null;
  /** After edits and refunds. */
  quantity: number;
  unfulfilled: number;
  variantId: string | null;
  productId: string | null;
  inventoryItemId: string | null;
  tracked: boolean;
  policy: "CONTINUE" | "DENY";
  /** The variant's `available` summed over locations, after this order committed its units. */
  available: number;
  unitPriceCents: number;
}

export interface SnapshotFulfillmentOrder {
  id: string;
  status: string;
  holds: { id: string; handle: string | null; ours: boolean }[];
  lines: { id: string; lineItemId: string; remaining: number }[];
}

type OrderData = BackorderOrderFieldsFragment;

function snapshot(order: OrderData): OrderSnapshot {
  return {
    id: order.id,
    name: order.name,
    createdAt: new Date(order.createdAt),
    updatedAt: new Date(order.updatedAt),
    cancelled: order.cancelledAt != null,
    tags: order.tags,
    currency: order.currencyCode,
    customer: order.customer
      ? { id: order.customer.id, name: order.customer.displayName, tags: order.customer.tags }
      : null,
    lines: order.lineItems.nodes.map((line) => ({
      id: line.id,
      title: line.title,
      sku: line.sku ?? null,
      quantity: line.currentQuantity,
      unfulfilled: line.unfulfilledQuantity,
      variantId: line.variant?.id ?? null,
      productId: line.variant?.product.id ?? null,
      inventoryItemId: line.variant?.inventoryItem.id ?? null,
      tracked: line.variant?.inventoryItem.tracked ?? false,
      policy: line.variant?.inventoryPolicy === "DENY" ? "DENY" : "CONTINUE",
      available: line.variant?.inventoryQuantity ?? 0,
      unitPriceCents: line.variant ? cents(line.variant.price) : 0,
    })),
    fulfillmentOrders: order.fulfillmentOrders.nodes.map((fo) => ({
      id: fo.id,
      status: fo.status,
      holds: fo.fulfillmentHolds.map((hold) => ({
        id: hold.id,
        handle: hold.handle ?? null,
        ours: hold.heldByRequestingApp,
      })),
      lines: fo.lineItems.nodes.map((line) => ({
        id: line.id,
        lineItemId: line.lineItem.id,
        remaining: line.remainingQuantity,
      })),
    })),
  };
}

export async function readOrder(admin: AdminGateway, orderId: string): Promise<OrderSnapshot | null> {
  const data = await admin.query(BackorderOrderDocument, { id: orderId });
  return data.order ? snapshot(data.order) : null;
}

/** Orders read five per call; an order Shopify no longer has is missing from the map. */
export async function readOrders(
  admin: AdminGateway,
  orderIds: readonly string[],
): Promise<Map<string, OrderSnapshot>> {
  const orders = new Map<string, OrderSnapshot>();
  for (let start = 0; start < orderIds.length; start += 5) {
    const data = await admin.query(BackorderOrdersDocument, { ids: orderIds.slice(start, start + 5) });
    for (const node of data.nodes) {
      if (node && "lineItems" in node) orders.set(node.id, snapshot(node as OrderData));
    }
  }
  return orders;
}

/** Routing and hold webhooks name a fulfillment order only; its order comes in the same request. */
export async function readOrderByFulfillmentOrder(
  admin: AdminGateway,
  fulfillmentOrderId: string,
): Promise<OrderSnapshot | null> {
  const data = await admin.query(BackorderOrderByFulfillmentOrderDocument, { id: fulfillmentOrderId });
  return data.fulfillmentOrder?.order ? snapshot(data.fulfillmentOrder.order) : null;
}

export interface InventorySnapshot {
  inventoryItemId: string;
  tracked: boolean;
  variantId: string | null;
  productId: string | null;
  policy: "CONTINUE" | "DENY";
  /** Summed over the item's locations, by quantity name. */
  available: number;
  onHand: number;
  committed: number;
  incoming: number;
}

export async function readInventory(admin: AdminGateway, inventoryItemId: string): Promise<InventorySnapshot | null> {
  const data = await admin.query(BackorderInventoryItemDocument, { id: inventoryItemId });
  const item = data.inventoryItem;
  if (!item) return null;
  const totals = { available: 0, on_hand: 0, committed: 0, incoming: 0 };
  for (const level of item.inventoryLevels.nodes) {
    for (const quantity of level.quantities) {
      if (quantity.name in totals) totals[quantity.name as keyof typeof totals] += quantity.quantity;
    }
  }
  return {
    inventoryItemId: item.id,
    tracked: item.tracked,
    variantId: item.variant.id,
    productId: item.variant.product.id,
    policy: item.variant.inventoryPolicy === "DENY" ? "DENY" : "CONTINUE",
    available: totals.available,
    onHand: totals.on_hand,
    committed: totals.committed,
    incoming: totals.incoming,
  };
}
