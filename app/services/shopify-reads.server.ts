import {
  BackorderInventoryItemDocument,
  BackorderOrderByFulfillmentOrderDocument,
  BackorderOrderDocument,
  BackorderOrdersDocument,
  BackorderRoutedOrderDocument,
  type BackorderLineFieldsFragment,
  type BackorderOrderFieldsFragment,
  type BackorderRoutedLineFieldsFragment,
  type BackorderRoutedOrderQuery,
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

function snapshotLine(
  line: BackorderLineFieldsFragment | BackorderRoutedLineFieldsFragment,
  productId: string | null = line.variant && "product" in line.variant ? line.variant.product.id : null,
): SnapshotLine {
  return {
    id: line.id,
    title: line.title,
    sku: line.sku ?? null,
    quantity: line.currentQuantity,
    unfulfilled: line.unfulfilledQuantity,
    variantId: line.variant?.id ?? null,
    productId: line.variant ? productId : null,
    inventoryItemId: line.variant?.inventoryItem.id ?? null,
    tracked: line.variant?.inventoryItem.tracked ?? false,
    policy: line.variant?.inventoryPolicy === "DENY" ? "DENY" : "CONTINUE",
    available: line.variant?.inventoryQuantity ?? 0,
    unitPriceCents: line.variant ? cents(line.variant.price) : 0,
  };
}

function orderHeader(order: OrderData | RoutedOrderData) {
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
  };
}

function holdsOf(fo: { fulfillmentHolds: { id: string; handle?: string | null; heldByRequestingApp: boolean }[] }) {
  return fo.fulfillmentHolds.map((hold) => ({
    id: hold.id,
    handle: hold.handle ?? null,
    ours: hold.heldByRequestingApp,
  }));
}

function snapshot(order: OrderData): OrderSnapshot {
  return {
    ...orderHeader(order),
    lines: order.lineItems.nodes.map((line) => snapshotLine(line)),
    fulfillmentOrders: order.fulfillmentOrders.nodes.map((fo) => ({
      id: fo.id,
      status: fo.status,
      holds: holdsOf(fo),
      lines: fo.lineItems.nodes.map((line) => ({
        id: line.id,
        lineItemId: line.lineItem.id,
        remaining: line.remainingQuantity,
      })),
    })),
  };
}

type RoutedOrderData = NonNullable<BackorderRoutedOrderQuery["fulfillmentOrder"]>["order"];

/**
 * A new order as routing reads it (BackorderRoutedOrder): its lines are those of the routed fulfillment
 * order, which holds every line when its units add up to the order's current quantity; an OPEN fulfillment
 * order has no holds; each line's product comes from `lineProducts` (the immutable facts of an orders/*
 * payload of the same order). Enough to detect; any other order is read whole.
 */
export async function readRoutedOrder(
  admin: AdminGateway,
  fulfillmentOrderId: string,
  lineProducts: (orderId: string) => Promise<ReadonlyMap<string, string>>,
): Promise<OrderSnapshot | null> {
  const data = await admin.query(BackorderRoutedOrderDocument, { id: fulfillmentOrderId });
  const routed = data.fulfillmentOrder;
  if (!routed) return null;
  const order = routed.order;
  if (routed.status !== "OPEN") return readOrder(admin, order.id);
  const units = routed.lineItems.nodes.reduce((n, line) => n + line.totalQuantity, 0);
  if (units !== order.currentSubtotalLineItemsQuantity) return readOrder(admin, order.id);
  const products = await lineProducts(order.id);
  if (routed.lineItems.nodes.some((line) => line.lineItem.variant && !products.has(line.lineItem.id))) {
    return readOrder(admin, order.id);
  }
  return {
    ...orderHeader(order),
    lines: routed.lineItems.nodes.map((line) => snapshotLine(line.lineItem, products.get(line.lineItem.id) ?? null)),
    fulfillmentOrders: [
      {
        id: routed.id,
        status: routed.status,
        holds: [],
        lines: routed.lineItems.nodes.map((line) => ({
          id: line.id,
          lineItemId: line.lineItem.id,
          remaining: line.remainingQuantity,
        })),
      },
    ],
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
