import {
  BackorderFulfillmentOrderLinesPageDocument,
  BackorderInventoryItemDocument,
  BackorderOrderPageDocument,
  BackorderItemLevelsDocument,
  BackorderItemLevelsPageDocument,
  type BackorderLevelFieldsFragment,
  BackorderOrderByFulfillmentOrderDocument,
  BackorderOrderDocument,
  BackorderOrdersDocument,
  BackorderRoutedOrderAtDocument,
  BackorderRoutedOrderDocument,
  type BackorderLineFieldsFragment,
  type BackorderOrderFieldsFragment,
  type BackorderRoutedFulfillmentOrderFieldsFragment,
  type BackorderRoutedLineAtFieldsFragment,
  type BackorderRoutedLineFieldsFragment,
} from "../shopify/generated/operations";
import type { AdminGateway } from "../shopify/gateway.server";
import { cents } from "./shopify-values";

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

type OrderData = BackorderOrderFieldsFragment;

export interface StockLevel {
  locationId: string;
  available: number;
  committed: number;
}

function stockLevel(level: BackorderLevelFieldsFragment): StockLevel {
  return {
    locationId: level.location.id,
    available: level.quantities.find((q) => q.name === "available")?.quantity ?? 0,
    committed: level.quantities.find((q) => q.name === "committed")?.quantity ?? 0,
  };
}

/** Five items per call, then page by page where an item has more than ten. */
export async function readItemLevels(
  admin: AdminGateway,
  inventoryItemIds: readonly string[],
): Promise<Map<string, StockLevel[]>> {
  const levels = new Map<string, StockLevel[]>();
  for (let start = 0; start < inventoryItemIds.length; start += 5) {
    const data = await admin.query(BackorderItemLevelsDocument, { ids: inventoryItemIds.slice(start, start + 5) });
    for (const node of data.nodes) {
      if (!node || !("inventoryLevels" in node)) continue;
      const found = node.inventoryLevels.nodes.map(stockLevel);
      let page = node.inventoryLevels.pageInfo;
      while (page.hasNextPage) {
        const next = await admin.query(BackorderItemLevelsPageDocument, { id: node.id, after: page.endCursor ?? null });
        if (!next.inventoryItem) break;
        found.push(...next.inventoryItem.inventoryLevels.nodes.map(stockLevel));
        page = next.inventoryItem.inventoryLevels.pageInfo;
      }
      levels.set(node.id, found);
    }
  }
  return levels;
}

function carriedLevels(line: Parameters<typeof snapshotLine>[0]): StockLevel[] | null {
  if (!line.variant || !("inventoryLevels" in line.variant.inventoryItem)) return null;
  const { inventoryLevels } = line.variant.inventoryItem;
  return inventoryLevels.pageInfo.hasNextPage ? null : inventoryLevels.nodes.map(stockLevel);
}

function snapshotLine(
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

function orderHeader(order: OrderData | RoutedOrderData) {
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

function snapshot(order: OrderData): OrderSnapshot {
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

type RoutedOrderData = BackorderRoutedFulfillmentOrderFieldsFragment["order"];

interface RoutedFulfillmentOrder extends BackorderRoutedFulfillmentOrderFieldsFragment {
  lineItems: {
    pageInfo: { hasNextPage: boolean };
    nodes: {
      id: string;
      totalQuantity: number;
      remainingQuantity: number;
      lineItem: BackorderRoutedLineFieldsFragment | BackorderRoutedLineAtFieldsFragment;
    }[];
  };
}

/**
 * Per shop: its only location, null when it has several. A hint for routing's read, never taken on trust: each
 * read checks the fulfillment order's assigned location, so a stale hint costs one more call, not a wrong figure.
 */
const soleLocations = new Map<string, string | null>();

/** None there means nothing stocked there. */
function levelsAt(line: BackorderRoutedLineAtFieldsFragment, locationId: string): StockLevel[] {
  const level = line.variant?.inventoryItem.inventoryLevel;
  return level ? [stockLevel({ location: { id: locationId }, quantities: level.quantities })] : [];
}

type RoutedLine = RoutedFulfillmentOrder["lineItems"]["nodes"][number]["lineItem"];

interface RoutedRead {
  routed: RoutedFulfillmentOrder | null;
  /** A line's levels; undefined: those the line carries itself (its item's levels connection). */
  levelsOf: (line: RoutedLine) => StockLevel[] | null | undefined;
}

async function readRouted(admin: AdminGateway, fulfillmentOrderId: string): Promise<RoutedRead> {
  const key = `${admin.origin}|${admin.shop}`;
  const sole = soleLocations.get(key);
  if (typeof sole === "string") {
    const data = await admin.query(BackorderRoutedOrderAtDocument, { id: fulfillmentOrderId, locationId: sole });
    const routed: RoutedFulfillmentOrder | null = data.fulfillmentOrder ?? null;
    const assigned = routed?.assignedLocation.location?.id ?? null;
    // Assigned elsewhere: a location was added. Its levels are read apart (levels null) and the hint dropped.
    if (routed && assigned !== sole) soleLocations.set(key, null);
    return {
      routed,
      levelsOf: (line) => (assigned === sole ? levelsAt(line as BackorderRoutedLineAtFieldsFragment, sole) : null),
    };
  }
  const data = await admin.query(BackorderRoutedOrderDocument, {
    id: fulfillmentOrderId,
    learnLocations: sole === undefined,
  });
  if (data.locations) {
    const ids = data.locations.nodes.map((location) => location.id);
    soleLocations.set(key, ids.length === 1 ? ids[0]! : null);
  }
  const routed: RoutedFulfillmentOrder | null = data.fulfillmentOrder ?? null;
  return { routed, levelsOf: () => undefined };
}

/**
 * The routed fulfillment order holds every line when its units add up to the order's current quantity; each line's
 * product comes from `lineProducts` (immutable facts of an orders/* payload). Any other order is read whole.
 */
export async function readRoutedOrder(
  admin: AdminGateway,
  fulfillmentOrderId: string,
  lineProducts: (orderId: string) => Promise<ReadonlyMap<string, string>>,
): Promise<OrderSnapshot | null> {
  const { routed, levelsOf } = await readRouted(admin, fulfillmentOrderId);
  if (!routed) return null;
  const order = routed.order;
  if (routed.status !== "OPEN" || routed.requestStatus !== "UNSUBMITTED" || routed.lineItems.pageInfo.hasNextPage)
    return readOrder(admin, order.id);
  const units = routed.lineItems.nodes.reduce((n, line) => n + line.totalQuantity, 0);
  if (units !== order.currentSubtotalLineItemsQuantity) return readOrder(admin, order.id);
  const products = await lineProducts(order.id);
  if (routed.lineItems.nodes.some((line) => line.lineItem.variant && !products.has(line.lineItem.id))) {
    return readOrder(admin, order.id);
  }
  return {
    ...orderHeader(order),
    lines: routed.lineItems.nodes.map((line) =>
      snapshotLine(line.lineItem, products.get(line.lineItem.id) ?? null, levelsOf(line.lineItem)),
    ),
    fulfillmentOrders: [
      {
        id: routed.id,
        status: routed.status,
        requestStatus: routed.requestStatus,
        actions: null,
        locationId: routed.assignedLocation.location?.id ?? null,
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

export { offers } from "../domain";

export async function readOrderByFulfillmentOrder(
  admin: AdminGateway,
  fulfillmentOrderId: string,
): Promise<OrderSnapshot | null> {
  const data = await admin.query(BackorderOrderByFulfillmentOrderDocument, { id: fulfillmentOrderId });
  return data.fulfillmentOrder?.order ? snapshot(await complete(admin, data.fulfillmentOrder.order)) : null;
}

export interface InventorySnapshot {
  inventoryItemId: string;
  tracked: boolean;
  variantId: string | null;
  productId: string | null;
  policy: "CONTINUE" | "DENY";
  available: number;
  availableAt: Map<string, number>;
  onHand: number;
  committed: number;
  incoming: number;
}

export async function readInventory(admin: AdminGateway, inventoryItemId: string): Promise<InventorySnapshot | null> {
  const data = await admin.query(BackorderInventoryItemDocument, { id: inventoryItemId });
  const item = data.inventoryItem;
  if (!item) return null;
  const totals = { available: 0, on_hand: 0, committed: 0, incoming: 0 };
  const availableAt = new Map<string, number>();
  for (const level of item.inventoryLevels.nodes) {
    availableAt.set(level.location.id, level.quantities.find((q) => q.name === "available")?.quantity ?? 0);
    for (const quantity of level.quantities) {
      if (quantity.name in totals) totals[quantity.name as keyof typeof totals] += quantity.quantity;
    }
  }
  if (item.inventoryLevels.pageInfo.hasNextPage) {
    // Per-location stock must see every location: the rest of the levels, paged. Only `available` and
    // `committed` of those are added to the totals (`on_hand` and `incoming` stay the first page's).
    const all = (await readItemLevels(admin, [item.id])).get(item.id) ?? [];
    for (const level of all.slice(item.inventoryLevels.nodes.length)) {
      totals.available += level.available;
      totals.committed += level.committed;
    }
    for (const level of all) availableAt.set(level.locationId, level.available);
  }
  return {
    inventoryItemId: item.id,
    tracked: item.tracked,
    variantId: item.variant.id,
    productId: item.variant.product.id,
    policy: item.variant.inventoryPolicy === "DENY" ? "DENY" : "CONTINUE",
    available: totals.available,
    availableAt,
    onHand: totals.on_hand,
    committed: totals.committed,
    incoming: totals.incoming,
  };
}
