/**
 * The in-memory state of Local Shopify: plain records per shop, named after Shopify's resources.
 * Every record carries `__typename` so graphql-js resolves interfaces (Node, HasMetafields) by itself.
 */
import type { LineMoney, LineRefundMoney, Pair } from "./money";

export const QUANTITY_NAMES = [
  "available",
  "committed",
  "reserved",
  "damaged",
  "safety_stock",
  "quality_control",
  "incoming",
] as const;
export type StoredQuantityName = (typeof QUANTITY_NAMES)[number];
/** `on_hand` is derived: every state but `incoming` (Shopify's inventory state model). */
export type QuantityName = StoredQuantityName | "on_hand";

export interface Location {
  __typename: "Location";
  id: number;
  name: string;
  isActive: boolean;
  fulfillsOnlineOrders: boolean;
  address1: string;
  city: string;
  zip: string;
  countryCode: string;
  /**
   * Set on a location a fulfillment service app registered (Shopify creates one per `fulfillmentServiceCreate`):
   * its fulfillment orders are fulfilled by the service, after a fulfillment request (`requestStatus`).
   */
  fulfillmentService: FulfillmentService | null;
  createdAt: string;
  updatedAt: string;
}

export interface FulfillmentService {
  __typename: "FulfillmentService";
  id: number;
  handle: string;
  serviceName: string;
}

export interface Product {
  __typename: "Product";
  id: number;
  title: string;
  handle: string;
  vendor: string;
  productType: string;
  status: "ACTIVE" | "DRAFT" | "ARCHIVED";
  tags: string[];
  variantIds: number[];
  createdAt: string;
  updatedAt: string;
}

export interface Variant {
  __typename: "ProductVariant";
  id: number;
  productId: number;
  title: string;
  sku: string | null;
  priceCents: number;
  inventoryPolicy: "DENY" | "CONTINUE";
  inventoryItemId: number;
  position: number;
  createdAt: string;
  updatedAt: string;
}

export interface InventoryItem {
  __typename: "InventoryItem";
  id: number;
  variantId: number;
  tracked: boolean;
  requiresShipping: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface InventoryLevel {
  __typename: "InventoryLevel";
  locationId: number;
  inventoryItemId: number;
  quantities: Record<StoredQuantityName, number>;
  /** Units expected to move between states on a date (`InventoryLevel.scheduledChanges`, deprecated in 2026-10). */
  scheduledChanges?: ScheduledChange[];
  createdAt: string;
  updatedAt: string;
}

export interface ScheduledChange {
  __typename: "InventoryScheduledChange";
  expectedAt: string;
  fromName: string;
  toName: string;
  quantity: number;
  ledgerDocumentUri: string;
}

/** An inventory transfer between locations (or from a supplier: no origin) and its line items. */
export interface InventoryTransfer {
  __typename: "InventoryTransfer";
  id: number;
  name: string;
  status: "DRAFT" | "READY_TO_SHIP" | "IN_PROGRESS" | "TRANSFERRED" | "CANCELED";
  originLocationId: number | null;
  destinationLocationId: number;
  lineItems: { id: number; inventoryItemId: number; quantity: number }[];
  shipmentIds: number[];
  dateCreated: string;
}

/** A shipment of a transfer: its units are `incoming` at the destination while in transit. */
export interface InventoryShipment {
  __typename: "InventoryShipment";
  id: number;
  transferId: number;
  name: string;
  status: "DRAFT" | "IN_TRANSIT" | "PARTIALLY_RECEIVED" | "RECEIVED";
  tracking: { arrivesAt: string | null; company: string | null; trackingNumber: string | null } | null;
  lineItems: { id: number; inventoryItemId: number; quantity: number; accepted: number; rejected: number }[];
  dateCreated: string;
  dateShipped: string | null;
  dateReceived: string | null;
}

export interface Customer {
  __typename: "Customer";
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  tags: string[];
  /** The e-mail marketing state (`defaultEmailAddress.marketingState`); transactional mail ignores it. */
  marketingState: "SUBSCRIBED" | "UNSUBSCRIBED" | "NOT_SUBSCRIBED";
  createdAt: string;
  updatedAt: string;
}

export interface LineItem {
  __typename: "LineItem";
  id: number;
  orderId: number;
  variantId: number | null;
  productId: number | null;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  vendor: string | null;
  priceCents: number;
  /** As ordered; edits and refunds lower `currentQuantity` only. */
  quantity: number;
  currentQuantity: number;
  fulfilledQuantity: number;
  requiresShipping: boolean;
  /** Where routing committed the inventory (the first location when the line was split). */
  locationId: number;
  /** Price, allocated discount and tax of the whole line, in shop and presentment money (store/money.ts). */
  money: LineMoney;
  /** Units given back by refundCreate line items: later refunds of the line take their share after these. */
  refundedQuantity: number;
  /**
   * Set only when checkout split the line across locations (a DENY variant no single location can ship):
   * the units committed at each, in the order routing took them.
   */
  allocations?: { locationId: number; quantity: number }[];
}

export interface Order {
  __typename: "Order";
  id: number;
  number: number;
  name: string;
  token: string;
  email: string;
  /** `Order.customerLocale`: the storefront language of the checkout ("en", "fr-CA"). */
  customerLocale: string;
  customerId: number | null;
  lineItems: LineItem[];
  tags: string[];
  note: string | null;
  currency: string;
  /** The customer's currency; the shop's own when checkout had no other. */
  presentmentCurrency: string;
  shipping: { price: Pair; tax: Pair; refunded: { price: Pair; tax: Pair } };
  createdAt: string;
  updatedAt: string;
  processedAt: string;
  cancelledAt: string | null;
  cancelReason: string | null;
  closedAt: string | null;
  /** True once routing has created the fulfillment orders. */
  routed: boolean;
  edited: boolean;
}

export interface FulfillmentOrderLineItem {
  __typename: "FulfillmentOrderLineItem";
  id: number;
  fulfillmentOrderId: number;
  lineItemId: number;
  totalQuantity: number;
  remainingQuantity: number;
}

export type FulfillmentOrderStatus =
  "OPEN" | "IN_PROGRESS" | "ON_HOLD" | "CLOSED" | "CANCELLED" | "INCOMPLETE" | "SCHEDULED";

/** The 2026-10 `FulfillmentOrderRequestStatus`; only fulfillment service locations leave UNSUBMITTED. */
export type FulfillmentOrderRequestStatus =
  | "UNSUBMITTED"
  | "SUBMITTED"
  | "ACCEPTED"
  | "REJECTED"
  | "CANCELLATION_REQUESTED"
  | "CANCELLATION_ACCEPTED"
  | "CANCELLATION_REJECTED"
  | "CLOSED";

export interface FulfillmentHold {
  __typename: "FulfillmentHold";
  id: number;
  fulfillmentOrderId: number;
  handle: string;
  reason: string;
  reasonNotes: string | null;
  /** The app that placed it; null for the merchant's own hold (placed in the admin). */
  appId: number | null;
  externalId: string | null;
}

export interface FulfillmentOrder {
  __typename: "FulfillmentOrder";
  id: number;
  orderId: number;
  locationId: number;
  status: FulfillmentOrderStatus;
  requestStatus: FulfillmentOrderRequestStatus;
  lineItems: FulfillmentOrderLineItem[];
  holds: FulfillmentHold[];
  createdAt: string;
  updatedAt: string;
}

export interface Fulfillment {
  __typename: "Fulfillment";
  id: number;
  orderId: number;
  fulfillmentOrderId: number;
  lines: { lineItemId: number; quantity: number }[];
  createdAt: string;
}

export interface Refund {
  __typename: "Refund";
  id: number;
  orderId: number;
  note: string | null;
  lines: {
    lineItemId: number;
    quantity: number;
    restockType: string;
    locationId: number | null;
    /** What these units gave back (their subtotal, discount and tax shares). */
    money: LineRefundMoney;
  }[];
  /** The REFUND transactions that moved money back; a refund of line items alone moves none. */
  transactionIds: number[];
  /** Shipping given back (price and tax). */
  shipping: Pair;
  createdAt: string;
}

/** A payment: checkout's SALE for the order total, and the REFUNDs against it. */
export interface OrderTransaction {
  __typename: "OrderTransaction";
  id: number;
  orderId: number;
  kind: "SALE" | "REFUND";
  status: "SUCCESS";
  gateway: string;
  amountCents: number;
  /** The same amount in the order's presentment currency (equal when it is the shop's). */
  presentmentAmountCents: number;
  parentId: number | null;
  createdAt: string;
}

export interface Metafield {
  __typename: "Metafield";
  id: number;
  ownerId: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
  createdAt: string;
  updatedAt: string;
}

export interface Job {
  __typename: "Job";
  id: string;
  done: boolean;
}

export interface BulkOperation {
  __typename: "BulkOperation";
  id: number;
  query: string;
  status: "CREATED" | "RUNNING" | "COMPLETED" | "FAILED";
  createdAt: string;
  completedAt: string | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  jsonl: string | null;
  errorCode: string | null;
}

export interface InventoryChange {
  name: string;
  delta: number;
  inventoryItemId: number;
  locationId: number;
  quantityAfterChange: number;
  ledgerDocumentUri: string | null;
}

export interface InventoryAdjustmentGroup {
  __typename: "InventoryAdjustmentGroup";
  id: number;
  reason: string;
  referenceDocumentUri: string | null;
  changes: InventoryChange[];
  createdAt: string;
}

/** An order edit in progress: `orderEditBegin` opens it, `orderEditCommit` applies it. */
export interface CalculatedOrder {
  __typename: "CalculatedOrder";
  id: number;
  orderId: number;
  quantities: Map<number, { quantity: number; restock: boolean }>;
  committed: boolean;
}

export interface FlowTrigger {
  handle: string | null;
  payload: unknown;
  body: string | null;
  receivedAt: string;
  /** How many turned-on workflows of the shop start from this trigger: 0 means the call started nothing. */
  startedWorkflows: number;
}

/** A merchant's Shopify Flow workflow that starts from one of the app's triggers (by its handle). */
export interface FlowWorkflow {
  id: number;
  trigger: string;
  enabled: boolean;
}

export interface Shop {
  __typename: "Shop";
  id: number;
  domain: string;
  name: string;
  email: string;
  currency: string;
  accessToken: string;
  scopes: string[];
  /**
   * The app's protected customer data access on this shop: 0 none (no Customer object), 1 (the object, no
   * name or contact fields), 2 (names, emails, phones, addresses too). Unset: 2.
   */
  protectedCustomerData?: 0 | 1 | 2;
  installationId: number;
  createdAt: string;
  nextOrderNumber: number;
  locations: Location[];
  products: Map<number, Product>;
  variants: Map<number, Variant>;
  inventoryItems: Map<number, InventoryItem>;
  /** Keyed `${inventoryItemId}:${locationId}`. */
  levels: Map<string, InventoryLevel>;
  customers: Map<number, Customer>;
  orders: Map<number, Order>;
  fulfillmentOrders: Map<number, FulfillmentOrder>;
  /** Fulfillment orders of each order, in creation order (an index: orders are looked up often). */
  fulfillmentOrdersByOrder: Map<number, FulfillmentOrder[]>;
  fulfillments: Map<number, Fulfillment>;
  refunds: Map<number, Refund>;
  transactions: Map<number, OrderTransaction>;
  metafields: Map<number, Metafield>;
  jobs: Map<string, Job>;
  bulkOperations: Map<number, BulkOperation>;
  adjustmentGroups: Map<number, InventoryAdjustmentGroup>;
  inventoryTransfers: Map<number, InventoryTransfer>;
  inventoryShipments: Map<number, InventoryShipment>;
  calculatedOrders: Map<number, CalculatedOrder>;
  idempotency: Map<string, { fingerprint: string; result: unknown }>;
  flowTriggers: FlowTrigger[];
  flowWorkflows: FlowWorkflow[];
  /** The last lifecycle callback's timestamp (ms): each one is strictly later, as Flow's are. */
  lastFlowCallbackMs: number;
}

export interface AppIdentity {
  id: number;
  apiKey: string;
  handle: string;
  title: string;
}

export function levelKey(inventoryItemId: number, locationId: number): string {
  return `${inventoryItemId}:${locationId}`;
}

export function onHand(level: InventoryLevel): number {
  const q = level.quantities;
  return q.available + q.committed + q.reserved + q.damaged + q.safety_stock + q.quality_control;
}

export function quantityOf(level: InventoryLevel, name: QuantityName): number {
  return name === "on_hand" ? onHand(level) : level.quantities[name];
}

export function emptyQuantities(): Record<StoredQuantityName, number> {
  return { available: 0, committed: 0, reserved: 0, damaged: 0, safety_stock: 0, quality_control: 0, incoming: 0 };
}
