import type {
  BackorderLevelFieldsFragment,
  BackorderLineFieldsFragment,
  BackorderOrderFieldsFragment,
  BackorderRoutedFulfillmentOrderFieldsFragment,
  BackorderRoutedLineAtFieldsFragment,
  BackorderRoutedLineFieldsFragment,
} from "../../shopify/generated/operations";
import { cents } from "../shopify-values";

// What the order and stock reads give the services, and how Shopify's answer becomes it; no calls here.

export interface OrderSnapshot {
  id: string;
  name: string;
  createdAt: Date;
  updatedAt: Date;
  cancelled: boolean;
  /** Shopify's OrderCancelReason (CUSTOMER, STAFF, INVENTORY, …) of a cancelled order. */
  cancelReason: string | null;
  tags: string[];
  currency: string;
  /** Null when Shopify withholds the Customer object (no protected customer data access); `name` null at level 1. */
  customer: { id: string; name: string | null; tags: string[] } | null;
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
  /** After this order committed its units. */
  available: number;
  /** `committed` includes this order's units; null when the read reached none, or only some (`readItemLevels`). */
  levels: StockLevel[] | null;
  unitPriceCents: number;
}

export interface SnapshotFulfillmentOrder {
  id: string;
  status: string;
  /** UNSUBMITTED unless a fulfillment service's location has (or had) the fulfillment request. */
  requestStatus: string;
  /**
   * Shopify's `supportedActions`: the app attempts nothing else. Null where routing's read left it out: an OPEN
   * fulfillment order with an UNSUBMITTED request, which Shopify lets the app hold.
   */
  actions: string[] | null;
  locationId: string | null;
  holds: { id: string; handle: string | null; ours: boolean }[];
  lines: { id: string; lineItemId: string; remaining: number }[];
}

export type OrderData = BackorderOrderFieldsFragment;

export type RoutedOrderData = BackorderRoutedFulfillmentOrderFieldsFragment["order"];

export interface StockLevel {
  locationId: string;
  available: number;
  committed: number;
}

export function stockLevel(level: BackorderLevelFieldsFragment): StockLevel {
  return {
    locationId: level.location.id,
    available: level.quantities.find((q) => q.name === "available")?.quantity ?? 0,
    committed: level.quantities.find((q) => q.name === "committed")?.quantity ?? 0,
  };
}

function carriedLevels(line: Parameters<typeof snapshotLine>[0]): StockLevel[] | null {
  if (!line.variant || !("inventoryLevels" in line.variant.inventoryItem)) return null;
  const { inventoryLevels } = line.variant.inventoryItem;
  return inventoryLevels.pageInfo.hasNextPage ? null : inventoryLevels.nodes.map(stockLevel);
}

export function snapshotLine(
  line: BackorderLineFieldsFragment | BackorderRoutedLineFieldsFragment | BackorderRoutedLineAtFieldsFragment,
  productId: string | null = line.variant && "product" in line.variant ? line.variant.product.id : null,
  levelsAt?: StockLevel[] | null,
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
    levels: levelsAt !== undefined ? levelsAt : carriedLevels(line),
    unitPriceCents: line.variant ? cents(line.variant.price) : 0,
  };
}

export function orderHeader(order: OrderData | RoutedOrderData) {
  return {
    id: order.id,
    name: order.name,
    createdAt: new Date(order.createdAt),
    updatedAt: new Date(order.updatedAt),
    cancelled: order.cancelledAt != null,
    cancelReason: order.cancelReason ?? null,
    tags: order.tags,
    currency: order.currencyCode,
    customer: order.customer
      ? {
          id: order.customer.id,
          name: [order.customer.firstName, order.customer.lastName].filter(Boolean).join(" ") || null,
          tags: order.customer.tags,
        }
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

export function snapshot(order: OrderData): OrderSnapshot {
  return {
    ...orderHeader(order),
    lines: order.lineItems.nodes.map((line) => snapshotLine(line)),
    fulfillmentOrders: order.fulfillmentOrders.nodes.map((fo) => ({
      id: fo.id,
      status: fo.status,
      requestStatus: fo.requestStatus,
      actions: fo.supportedActions.map((supported) => supported.action),
      locationId: fo.assignedLocation.location?.id ?? null,
      holds: holdsOf(fo),
      lines: fo.lineItems.nodes.map((line) => ({
        id: line.id,
        lineItemId: line.lineItem.id,
        remaining: line.remainingQuantity,
      })),
    })),
  };
}

export { offers } from "../../domain";
