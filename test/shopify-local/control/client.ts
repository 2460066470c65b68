import type { DeliveryLogEntry, WebhookFaults } from "../webhooks/deliverer";
import type { AdminLogEntry } from "./routes";
import type { ApiFaults } from "../server";
import type { ProductInput, ShopInput } from "../store/shops";
import type { PlaceOrderInput } from "../store/orders";
import type { FlowTrigger, FlowWorkflow, FulfillmentOrder, StoredQuantityName } from "../store/state";

export interface ShopSummary {
  id: number;
  gid: string;
  domain: string;
  accessToken: string;
  locations: { id: number; gid: string; name: string }[];
}

export interface ProductSummary {
  id: number;
  gid: string;
  handle: string;
  variants: { id: number; gid: string; inventoryItemId: number; inventoryItemGid: string; title: string }[];
}

export interface OrderSummary {
  id: number;
  gid: string;
  name: string;
  customerId: number | null;
  lineItems: { id: number; gid: string; variantId: number | null; quantity: number; locationId: number }[];
}

export type ItemRef = { inventoryItemId: number | string } | { sku: string };

export interface ShipmentRequest {
  origin?: string | number;
  destination: string | number;
  arrivesAt: string | null;
  trackingNumber?: string;
  company?: string;
  lines: (ItemRef & { quantity: number })[];
}

export interface ShipmentSummary {
  id: number;
  gid: string;
  transferId: number;
  transferGid: string;
  status: string;
  arrivesAt: string | null;
}

export type Quantities = Record<StoredQuantityName | "on_hand", number>;

/** The control API's answer to bad input: HTTP status and the `field: problem` message. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A typed client of Local Shopify's control API, over HTTP like any other client. */
export class ControlClient {
  constructor(readonly origin: string) {}

  private async call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.origin}/_local/${path}`, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new ControlError(response.status, (JSON.parse(text) as { error?: string }).error ?? text);
    }
    return JSON.parse(text) as T;
  }

  createShop(input: ShopInput): Promise<ShopSummary> {
    return this.call("POST", "shops", input);
  }

  /** A location; with `fulfillmentService`, one that a fulfillment service app fulfils from. */
  addLocation(
    shop: string,
    name: string,
    fulfillmentService?: { serviceName?: string; handle?: string },
  ): Promise<{ id: number; gid: string; name: string }> {
    return this.call("POST", `shops/${shop}/locations`, {
      name,
      ...(fulfillmentService ? { fulfillmentService } : {}),
    });
  }

  createProduct(shop: string, input: ProductInput): Promise<ProductSummary> {
    return this.call("POST", `shops/${shop}/products`, input);
  }

  /** A customer's checkout: commits inventory, fires orders/create, then routing runs. */
  placeOrder(shop: string, input: PlaceOrderInput): Promise<OrderSummary> {
    return this.call("POST", `shops/${shop}/orders`, input);
  }

  /** The merchant cancels from the admin (synchronous, unlike the API's job). */
  cancelOrder(
    shop: string,
    orderId: number,
    input: { reason?: string; restock?: boolean } = {},
  ): Promise<OrderSummary> {
    return this.call("POST", `shops/${shop}/orders/${orderId}/cancel`, input);
  }

  /** The merchant refunds unfulfilled units from the admin (restocked); without lines, all of them. */
  refundUnfulfilled(
    shop: string,
    orderId: number,
    input: { lines?: { lineItemId: number | string; quantity: number }[]; note?: string } = {},
  ): Promise<{ id: number; gid: string; order: OrderSummary }> {
    return this.call("POST", `shops/${shop}/orders/${orderId}/refund-unfulfilled`, input);
  }

  fulfillmentOrders(shop: string, orderId: number): Promise<(FulfillmentOrder & { gid: string })[]> {
    return this.call("GET", `shops/${shop}/orders/${orderId}/fulfillment-orders`);
  }

  /** Every fulfillment order of the shop, or those with this status. */
  shopFulfillmentOrders(shop: string, status?: string): Promise<(FulfillmentOrder & { gid: string })[]> {
    return this.call("GET", `shops/${shop}/fulfillment-orders${status ? `?status=${status}` : ""}`);
  }

  fulfil(
    shop: string,
    fulfillmentOrderId: number,
    lines?: { id: number; quantity: number }[],
  ): Promise<{ id: number; gid: string }> {
    return this.call("POST", `shops/${shop}/fulfillment-orders/${fulfillmentOrderId}/fulfil`, lines ? { lines } : {});
  }

  /** A hold placed by the merchant in the admin, or by another app (its id). */
  holdFulfillmentOrder(
    shop: string,
    fulfillmentOrderId: number,
    input: { by: "merchant" | { appId: number }; reason?: string; handle?: string; reasonNotes?: string },
  ): Promise<{ id: number; gid: string }> {
    return this.call("POST", `shops/${shop}/fulfillment-orders/${fulfillmentOrderId}/hold`, input);
  }

  /** The merchant requests fulfillment from the fulfillment service of the fulfillment order's location. */
  requestFulfillment(shop: string, fulfillmentOrderId: number): Promise<{ status: string; requestStatus: string }> {
    return this.call("POST", `shops/${shop}/fulfillment-orders/${fulfillmentOrderId}/request`, {});
  }

  /** The fulfillment service accepts (IN_PROGRESS) or rejects (OPEN again) the submitted request. */
  answerFulfillmentRequest(
    shop: string,
    fulfillmentOrderId: number,
    answer: "accept" | "reject",
    message?: string,
  ): Promise<{ status: string; requestStatus: string }> {
    return this.call("POST", `shops/${shop}/fulfillment-orders/${fulfillmentOrderId}/request-answer`, {
      answer,
      ...(message === undefined ? {} : { message }),
    });
  }

  /** Releases the named holds as the merchant (any holder's) or as another app (its own only); all without ids. */
  releaseFulfillmentOrder(
    shop: string,
    fulfillmentOrderId: number,
    input: { by: "merchant" | { appId: number }; holdIds?: (number | string)[] },
  ): Promise<{ status: string; holds: unknown[] }> {
    return this.call("POST", `shops/${shop}/fulfillment-orders/${fulfillmentOrderId}/release`, input);
  }

  /**
   * Restock or correct: moves one named quantity (default `available`) by `delta`. The item by `inventoryItemId`
   * or `sku`; the location by `locationId` (id, gid or name) or `location` (name), else the shop's first.
   */
  adjustInventory(
    shop: string,
    input: ({ inventoryItemId: number | string } | { sku: string }) & {
      locationId?: number | string;
      location?: string;
      delta: number;
      name?: StoredQuantityName;
    },
  ): Promise<Quantities> {
    return this.call("POST", `shops/${shop}/inventory/adjust`, input);
  }

  /** The merchant ships a transfer to `destination` (a location name or id): its units are `incoming` there. */
  shipInventory(shop: string, input: ShipmentRequest): Promise<ShipmentSummary> {
    return this.call("POST", `shops/${shop}/inventory-shipments`, input);
  }

  /** The carrier's new estimate: the shipment slips (or comes sooner); `inventory_shipments/update_tracking`. */
  updateShipmentTracking(shop: string, shipmentId: number, arrivesAt: string | null): Promise<ShipmentSummary> {
    return this.call("POST", `shops/${shop}/inventory-shipments/${shipmentId}/tracking`, { arrivesAt });
  }

  /** Units arrive (all unreceived ones without `lines`): `incoming` becomes `available`. */
  receiveShipment(
    shop: string,
    shipmentId: number,
    lines?: (ItemRef & { quantity: number })[],
  ): Promise<ShipmentSummary> {
    return this.call("POST", `shops/${shop}/inventory-shipments/${shipmentId}/receive`, lines ? { lines } : {});
  }

  deleteShipment(shop: string, shipmentId: number): Promise<{ deleted: true }> {
    return this.call("POST", `shops/${shop}/inventory-shipments/${shipmentId}/delete`, {});
  }

  cancelTransfer(shop: string, transferId: number): Promise<{ id: number; gid: string; status: string }> {
    return this.call("POST", `shops/${shop}/inventory-transfers/${transferId}/cancel`, {});
  }

  /** Records (or replaces, by ledger document) a scheduled change from `incoming` to `available`. */
  scheduleIncoming(
    shop: string,
    input: ItemRef & { location?: string | number; quantity: number; expectedAt: string; ledgerDocumentUri: string },
  ): Promise<Quantities> {
    return this.call("POST", `shops/${shop}/inventory/scheduled-changes`, input);
  }

  /** What Shopify lets the app read of customers: 0 no Customer object, 1 no names or contacts, 2 all. */
  setProtectedCustomerData(shop: string, level: 0 | 1 | 2): Promise<{ level: 0 | 1 | 2 }> {
    return this.call("POST", `shops/${shop}/protected-customer-data`, { level });
  }

  updateScopes(shop: string, scopes: string[]): Promise<{ scopes: string[] }> {
    return this.call("POST", `shops/${shop}/scopes`, { scopes });
  }

  uninstall(shop: string): Promise<{ uninstalled: string }> {
    return this.call("POST", `shops/${shop}/uninstall`);
  }

  /** The merchant forwards a customer's data request or erasure (GDPR compliance topics). */
  customerCompliance(shop: string, customerId: number, kind: "data-request" | "redact"): Promise<{ sent: string }> {
    return this.call("POST", `shops/${shop}/customers/${customerId}/${kind}`);
  }

  /** The shop asks to be forgotten (`shop/redact`). */
  redactShop(shop: string): Promise<{ sent: string }> {
    return this.call("POST", `shops/${shop}/redact`);
  }

  /** Installs the app again after an uninstall: same shop data, new access token. */
  reinstall(shop: string): Promise<ShopSummary> {
    return this.call("POST", `shops/${shop}/install`);
  }

  flowTriggers(shop: string): Promise<FlowTrigger[]> {
    return this.call("GET", `shops/${shop}/flow-triggers`);
  }

  /** The merchant creates a Flow workflow from the app's trigger (by handle) and turns it on unless told not to. */
  createWorkflow(shop: string, input: { trigger: string; enabled?: boolean }): Promise<FlowWorkflow> {
    return this.call("POST", `shops/${shop}/flow-workflows`, input);
  }

  setWorkflowEnabled(shop: string, id: number, enabled: boolean): Promise<FlowWorkflow> {
    return this.call("POST", `shops/${shop}/flow-workflows/${id}/${enabled ? "enable" : "disable"}`);
  }

  workflows(shop: string): Promise<FlowWorkflow[]> {
    return this.call("GET", `shops/${shop}/flow-workflows`);
  }

  /** Sets the shop's Admin API bucket to `currentlyAvailable` points; answers its throttle status. */
  setThrottle(
    shop: string,
    currentlyAvailable: number,
  ): Promise<{ maximumAvailable: number; currentlyAvailable: number; restoreRate: number }> {
    return this.call("POST", `shops/${shop}/throttle`, { currentlyAvailable });
  }

  advanceClock(ms: number): Promise<{ now: string }> {
    return this.call("POST", "clock/advance", { ms });
  }

  /** Runs all pending Shopify work (routing, jobs, retries) now and waits for the webhooks it sends. */
  settle(): Promise<{ now: string }> {
    return this.call("POST", "settle");
  }

  setFaults(faults: { api?: ApiFaults; webhooks?: WebhookFaults }): Promise<unknown> {
    return this.call("POST", "faults", faults);
  }

  /** Whether Shopify has work pending (routing, jobs, webhook deliveries and retries); see `GET /_local/pending`. */
  pending(): Promise<{ now: string; idle: boolean; tasks: number; deliveries: number; activity: number }> {
    return this.call("GET", "pending");
  }

  state(): Promise<{ now: string; shops: Record<string, unknown>[] }> {
    return this.call("GET", "state");
  }

  /** The virtual clock as a local app follows it (`GET /_local/clock`). */
  clock(): Promise<{ mode: "real" | "frozen"; now: string; nowMs: number }> {
    return this.call("GET", "clock");
  }

  /** Every Admin API request answered, oldest first: operation, variables, answer, cost. */
  adminLog(filter: { shop?: string; operation?: string } = {}): Promise<AdminLogEntry[]> {
    const query = new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== undefined) as [string, string][]);
    return this.call("GET", `admin-log${query.size ? `?${query}` : ""}`);
  }

  webhookLog(filter: { topic?: string; shop?: string } = {}): Promise<DeliveryLogEntry[]> {
    const query = new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== undefined) as [string, string][]);
    return this.call("GET", `webhooks${query.size ? `?${query}` : ""}`);
  }
}
