import {
  BackorderRoutedOrderAtDocument,
  BackorderRoutedOrderDocument,
  type BackorderRoutedFulfillmentOrderFieldsFragment,
  type BackorderRoutedLineAtFieldsFragment,
  type BackorderRoutedLineFieldsFragment,
} from "../../shopify/generated/operations";
import type { AdminGateway } from "../../shopify/gateway.server";
import { readOrder } from "./orders.server";
import { orderHeader, snapshotLine, stockLevel, type OrderSnapshot, type StockLevel } from "./snapshot";

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
