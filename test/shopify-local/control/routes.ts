/**
 * The control API (`/_local/...`): what a merchant, a customer or the platform does, for tests and
 * the demo. Not part of Shopify's Admin API.
 */
import { z } from "zod";
import { gid } from "../ids";
import { setWorkflow, type FlowDeps } from "../flow/lifecycle";
import { fulfil, placeHold, releaseHolds } from "../store/fulfillment";
import {
  acceptFulfillmentRequest,
  rejectFulfillmentRequest,
  submitFulfillmentRequest,
  type RequestResult,
} from "../store/fulfillment-requests";
import { activateLevel, changeQuantity, levelOf } from "../store/inventory";
import {
  cancelTransfer,
  deleteShipment,
  receiveShipment,
  scheduleIncoming,
  shipTransfer,
  updateTracking,
} from "../store/incoming";
import { refundUnfulfilled } from "../store/merchant-refund";
import { cancelOrder, fulfillmentOrdersOf, orderCancelProblem, placeOrder } from "../store/orders";
import type { Runtime } from "../store/runtime";
import { addLocation, createProduct, createShop, findLocation, InputError } from "../store/shops";
import { onHand, QUANTITY_NAMES, type InventoryShipment, type Order, type Product, type Shop } from "../store/state";
import type { WebhookDeliverer, WebhookFaults } from "../webhooks/deliverer";
import { scopesUpdatePayload, shopPayload } from "../webhooks/payloads";
import type { ApiFaults } from "../server";
import type { LeakyBucket } from "../graphql/throttle";
import { appBridgeStandIn } from "../app-bridge";
import { mintSessionToken } from "../session-token";

function requestAnswer(result: RequestResult): ControlAnswer {
  if (!result.ok) throw new InputError(result.error.field?.join(".") ?? "fulfillmentOrder", result.error.message);
  const fo = result.fulfillmentOrder;
  return { status: 200, body: { status: fo.status, requestStatus: fo.requestStatus } };
}

export interface ControlDeps {
  rt: Runtime;
  deliverer: WebhookDeliverer;
  faults: { api: ApiFaults; webhooks: WebhookFaults };
  flow: FlowDeps;
  /** The shop's Admin API rate-limit bucket. */
  bucketOf: (shopId: number) => LeakyBucket;
  /** Every Admin API request answered, oldest first. */
  adminLog: readonly AdminLogEntry[];
}

/**
 * One Admin GraphQL request of a known shop as Local Shopify answered it, injected 429s and 503s included
 * (requests refused before parsing have no operation; a dropped connection leaves no entry).
 */
export interface AdminLogEntry {
  at: string;
  /** The virtual clock to the millisecond (`at` is GraphQL's DateTime, to the second). */
  atMs: number;
  shop: string;
  operation: string | null;
  /** The operation's root fields, answer key (alias) → field name, e.g. `{ item0: "fulfillmentOrderReleaseHold" }`. */
  fields: Record<string, string>;
  variables: unknown;
  status: number;
  answer: unknown;
  /** `extensions.cost.actualQueryCost`; null when throttled or refused. */
  cost: number | null;
}

export interface ControlAnswer {
  status: number;
  body: unknown;
  contentType?: string;
}

const shopSchema = z.object({
  domain: z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, "must look like name.myshopify.com"),
  name: z.string().optional(),
  email: z.string().optional(),
  scopes: z.array(z.string()).optional(),
  locations: z.array(z.string().min(1)).min(1).optional(),
});

const productSchema = z.object({
  title: z.string().min(1),
  handle: z.string().optional(),
  vendor: z.string().optional(),
  productType: z.string().optional(),
  tags: z.array(z.string()).optional(),
  variants: z
    .array(
      z.object({
        title: z.string().optional(),
        sku: z.string().optional(),
        price: z.string().optional(),
        inventoryPolicy: z.enum(["DENY", "CONTINUE"]).optional(),
        tracked: z.boolean().optional(),
        available: z.record(z.string(), z.number().int()).optional(),
      }),
    )
    .min(1),
});

const orderSchema = z.object({
  customer: z
    .object({
      email: z.string().min(3),
      firstName: z.string().optional(),
      lastName: z.string().optional(),
      tags: z.array(z.string()).optional(),
      marketingState: z.enum(["SUBSCRIBED", "UNSUBSCRIBED", "NOT_SUBSCRIBED"]).optional(),
    })
    .optional(),
  locale: z
    .string()
    .regex(/^[a-z]{2}(-[A-Z]{2})?$/)
    .optional(),
  lines: z.array(z.object({ variantId: z.union([z.string(), z.number().int()]), quantity: z.number().int() })).min(1),
  tags: z.array(z.string()).optional(),
  note: z.string().optional(),
  pricing: z
    .object({
      presentmentCurrency: z
        .string()
        .regex(/^[A-Z]{3}$/)
        .optional(),
      exchangeRate: z.number().positive().optional(),
      discountRate: z.number().min(0).max(1).optional(),
      taxRate: z.number().min(0).max(1).optional(),
      shippingPrice: z
        .string()
        .regex(/^\d+(\.\d{1,2})?$/)
        .optional(),
    })
    .strict()
    .optional(),
  payments: z.array(z.object({ gateway: z.string().min(1), amount: z.string() })).optional(),
});

// A restock names the item by inventory item id or by its variant's SKU, and the location by id, gid or name
// (the shop's first location when omitted), so a newcomer need not dig ids out of /_local/state.
const adjustSchema = z
  .object({
    inventoryItemId: z.union([z.string(), z.number().int()]).optional(),
    sku: z.string().min(1).optional(),
    locationId: z.union([z.string(), z.number().int()]).optional(),
    location: z.string().min(1).optional(),
    name: z.enum(QUANTITY_NAMES).default("available"),
    delta: z.number().int(),
  })
  .refine((input) => (input.inventoryItemId === undefined) !== (input.sku === undefined), {
    message: "give exactly one of inventoryItemId or sku",
    path: ["inventoryItemId"],
  })
  .refine((input) => input.locationId === undefined || input.location === undefined, {
    message: "give locationId or location, not both",
    path: ["location"],
  });

const itemRef = z
  .object({ inventoryItemId: z.union([z.string(), z.number().int()]).optional(), sku: z.string().min(1).optional() })
  .refine((input) => (input.inventoryItemId === undefined) !== (input.sku === undefined), {
    message: "give exactly one of inventoryItemId or sku",
    path: ["inventoryItemId"],
  });
const locationRef = z.union([z.string().min(1), z.number().int()]);
const isoTime = z.string().refine((value) => !Number.isNaN(Date.parse(value)), "must be an ISO 8601 time");
const shipmentSchema = z.object({
  origin: locationRef.optional(),
  destination: locationRef,
  arrivesAt: isoTime.nullable(),
  trackingNumber: z.string().optional(),
  company: z.string().optional(),
  lines: z.array(itemRef.and(z.object({ quantity: z.number().int().positive() }))).min(1),
});
const trackingSchema = z.object({ arrivesAt: isoTime.nullable() });
const receiveSchema = z.object({ lines: z.array(itemRef.and(z.object({ quantity: z.number().int() }))).optional() });
const scheduledSchema = itemRef.and(
  z.object({
    location: locationRef.optional(),
    quantity: z.number().int().nonnegative(),
    expectedAt: isoTime,
    ledgerDocumentUri: z.string().min(1),
  }),
);

const fulfilSchema = z.object({
  lines: z.array(z.object({ id: z.union([z.string(), z.number().int()]), quantity: z.number().int() })).optional(),
});

const holdSchema = z.object({
  /** "merchant" (the admin), or another app's id. */
  by: z.union([z.literal("merchant"), z.object({ appId: z.number().int() })]),
  reason: z.string().default("OTHER"),
  handle: z.string().optional(),
  reasonNotes: z.string().optional(),
});

// The service's side of a fulfillment request: `accept` (with the message it sends) or `reject`.
const requestAnswerSchema = z.object({ answer: z.enum(["accept", "reject"]), message: z.string().optional() });

const locationSchema = z.object({
  name: z.string().min(1),
  /** A fulfillment service app's location (Shopify creates one per `fulfillmentServiceCreate`). */
  fulfillmentService: z.object({ serviceName: z.string().min(1).optional(), handle: z.string().optional() }).optional(),
});

const releaseSchema = z.object({
  by: z.union([z.literal("merchant"), z.object({ appId: z.number().int() })]),
  holdIds: z.array(z.union([z.string(), z.number().int()])).optional(),
});

const cancelSchema = z.object({
  reason: z.enum(["CUSTOMER", "DECLINED", "FRAUD", "INVENTORY", "OTHER", "STAFF"]).default("CUSTOMER"),
  restock: z.boolean().default(true),
});

const refundSchema = z.object({
  lines: z
    .array(z.object({ lineItemId: z.union([z.string(), z.number().int()]), quantity: z.number().int() }))
    .min(1)
    .optional(),
  note: z.string().max(255).optional(),
});

const protectedDataSchema = z.object({ level: z.union([z.literal(0), z.literal(1), z.literal(2)]) });
const scopesSchema = z.object({ scopes: z.array(z.string()) });
const workflowSchema = z.object({ trigger: z.string().min(1), enabled: z.boolean().default(true) });
const clockSchema = z.object({ ms: z.number().int().nonnegative() });
const throttleSchema = z.object({ currentlyAvailable: z.number().nonnegative() });
const faultsSchema = z.object({
  api: z
    .object({
      latencyMs: z.number().int().nonnegative().optional(),
      serverErrorRate: z.number().min(0).max(1).optional(),
      tooManyRequestsRate: z.number().min(0).max(1).optional(),
      retryAfterSeconds: z.number().positive().optional(),
      slowRate: z.number().min(0).max(1).optional(),
      slowMs: z.number().int().nonnegative().optional(),
      dropRate: z.number().min(0).max(1).optional(),
      mutationFieldFailures: z
        .array(
          z.object({
            field: z.string().min(1),
            operation: z.string().min(1).optional(),
            mode: z.enum(["internal", "userError"]),
            count: z.number().int().positive().optional(),
            skip: z.number().int().nonnegative().optional(),
          }),
        )
        .optional(),
      lateAnswers: z
        .array(
          z.object({
            operation: z.string().min(1),
            ms: z.number().int().positive(),
            count: z.number().int().positive().optional(),
            skip: z.number().int().nonnegative().optional(),
          }),
        )
        .optional(),
    })
    .optional(),
  webhooks: z
    .object({
      dropRate: z.number().min(0).max(1).optional(),
      dropTopics: z.array(z.string().min(1)).optional(),
      duplicateRate: z.number().min(0).max(1).optional(),
      redeliverRate: z.number().min(0).max(1).optional(),
      delayMs: z.number().int().nonnegative().optional(),
      reorderWindowMs: z.number().int().nonnegative().optional(),
      reorderRate: z.number().min(0).max(1).optional(),
    })
    .optional(),
});

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new InputError(issue.path.join(".") || "body", issue.message);
  }
  return result.data;
}

function numericId(value: string | number, type: string): number {
  const id =
    typeof value === "number" ? value : Number(new RegExp(`^(?:gid://shopify/${type}/)?(\\d+)$`).exec(value)?.[1]);
  if (!Number.isInteger(id)) throw new InputError("id", `"${value}" is not a ${type} id or gid`);
  return id;
}

/** The inventory item of the variant with this SKU; an unknown or shared SKU is refused, never guessed. */
function itemOfSku(shop: Shop, sku: string): number {
  const variants = [...shop.variants.values()].filter((v) => v.sku === sku);
  if (variants.length === 0) throw new InputError("sku", `no variant with SKU "${sku}" in ${shop.domain}`);
  if (variants.length > 1)
    throw new InputError(
      "sku",
      `${variants.length} variants share SKU "${sku}" in ${shop.domain}: give inventoryItemId`,
    );
  return variants[0]!.inventoryItemId;
}

function itemOf(shop: Shop, ref: { inventoryItemId?: string | number; sku?: string }): number {
  const id = ref.sku === undefined ? numericId(ref.inventoryItemId!, "InventoryItem") : itemOfSku(shop, ref.sku);
  if (!shop.inventoryItems.has(id)) throw new InputError("inventoryItemId", `no inventory item ${id}`);
  return id;
}

const locationOf = findLocation;

function shipmentOf(shop: Shop, id: string): InventoryShipment {
  const shipment = shop.inventoryShipments.get(numericId(id, "InventoryShipment"));
  if (!shipment) throw new NotFound(`no inventory shipment ${id}`);
  return shipment;
}

/** GraphQL's DateTime form: UTC to the second. */
function graphqlTime(value: string): string {
  return new Date(value).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function describeShipment(shipment: InventoryShipment) {
  return {
    id: shipment.id,
    gid: gid("InventoryShipment", shipment.id),
    transferId: shipment.transferId,
    transferGid: gid("InventoryTransfer", shipment.transferId),
    status: shipment.status,
    arrivesAt: shipment.tracking?.arrivesAt ?? null,
  };
}

export function describeShop(shop: Shop) {
  return {
    id: shop.id,
    gid: gid("Shop", shop.id),
    domain: shop.domain,
    accessToken: shop.accessToken,
    locations: shop.locations.map((l) => ({ id: l.id, gid: gid("Location", l.id), name: l.name })),
  };
}

function describeProduct(shop: Shop, product: Product) {
  return {
    id: product.id,
    gid: gid("Product", product.id),
    handle: product.handle,
    variants: product.variantIds.map((id) => {
      const v = shop.variants.get(id)!;
      return {
        id: v.id,
        gid: gid("ProductVariant", v.id),
        inventoryItemId: v.inventoryItemId,
        inventoryItemGid: gid("InventoryItem", v.inventoryItemId),
        title: v.title,
      };
    }),
  };
}

function describeOrder(order: Order) {
  return {
    id: order.id,
    gid: gid("Order", order.id),
    name: order.name,
    customerId: order.customerId,
    lineItems: order.lineItems.map((l) => ({
      id: l.id,
      gid: gid("LineItem", l.id),
      variantId: l.variantId,
      quantity: l.quantity,
      locationId: l.locationId,
    })),
  };
}

/** Every shop with its records as plain JSON (Maps as arrays), for assertions and the demo. */
export function dumpState(rt: Runtime) {
  return {
    now: rt.clock.iso(),
    shops: [...rt.shopsByDomain.values()].map((shop) => ({
      ...describeShop(shop),
      products: [...shop.products.values()],
      variants: [...shop.variants.values()],
      inventoryItems: [...shop.inventoryItems.values()],
      inventoryLevels: [...shop.levels.values()].map((l) => ({
        ...l,
        quantities: { ...l.quantities, on_hand: onHand(l) },
      })),
      customers: [...shop.customers.values()],
      orders: [...shop.orders.values()],
      fulfillmentOrders: [...shop.fulfillmentOrders.values()],
      fulfillments: [...shop.fulfillments.values()],
      refunds: [...shop.refunds.values()],
      transactions: [...shop.transactions.values()],
      metafields: [...shop.metafields.values()],
      jobs: [...shop.jobs.values()],
      bulkOperations: [...shop.bulkOperations.values()].map(({ jsonl: _jsonl, ...rest }) => rest),
      inventoryAdjustmentGroups: [...shop.adjustmentGroups.values()],
      inventoryTransfers: [...shop.inventoryTransfers.values()],
      inventoryShipments: [...shop.inventoryShipments.values()],
      flowTriggers: shop.flowTriggers,
      flowWorkflows: shop.flowWorkflows,
    })),
  };
}

export async function answerControl(
  deps: ControlDeps,
  method: string,
  pathname: string,
  query: URLSearchParams,
  body: unknown,
): Promise<ControlAnswer> {
  const { rt, deliverer } = deps;
  const parts = pathname
    .replace(/^\/_local\/?/, "")
    .split("/")
    .filter(Boolean);
  const shopOf = (domain: string | undefined): Shop => {
    const shop = domain ? rt.shopsByDomain.get(domain) : undefined;
    if (!shop) throw new NotFound(`no shop ${domain ?? ""}`);
    return shop;
  };
  const route = `${method} ${parts.map((p, i) => paramName(parts[0], i, p)).join("/")}`;

  switch (route) {
    case "POST shops":
      return { status: 201, body: describeShop(createShop(rt, parseBody(shopSchema, body))) };
    case "GET shops/:shop":
      return { status: 200, body: describeShop(shopOf(parts[1])) };
    case "POST shops/:shop/locations": {
      const { name, fulfillmentService } = parseBody(locationSchema, body);
      const location = addLocation(rt, shopOf(parts[1]), name, fulfillmentService);
      return { status: 201, body: { id: location.id, gid: gid("Location", location.id), name } };
    }
    case "POST shops/:shop/products": {
      const shop = shopOf(parts[1]);
      return { status: 201, body: describeProduct(shop, createProduct(rt, shop, parseBody(productSchema, body))) };
    }
    case "POST shops/:shop/orders": {
      const shop = shopOf(parts[1]);
      return { status: 201, body: describeOrder(placeOrder(rt, shop, parseBody(orderSchema, body))) };
    }
    case "POST shops/:shop/orders/:id/cancel": {
      const shop = shopOf(parts[1]);
      const order = shop.orders.get(numericId(parts[3]!, "Order"));
      const problem = orderCancelProblem(order);
      if (problem || !order) throw new InputError("orderId", problem ?? "no such order");
      cancelOrder(rt, shop, order, parseBody(cancelSchema, body));
      return { status: 200, body: describeOrder(order) };
    }
    case "POST shops/:shop/orders/:id/refund-unfulfilled": {
      const shop = shopOf(parts[1]);
      const order = shop.orders.get(numericId(parts[3]!, "Order"));
      if (!order) throw new NotFound(`no order ${parts[3]}`);
      const { lines, note } = parseBody(refundSchema, body);
      const refund = refundUnfulfilled(rt, shop, order, {
        lines: lines?.map((l) => ({ lineItemId: numericId(l.lineItemId, "LineItem"), quantity: l.quantity })),
        note,
      });
      return { status: 201, body: { id: refund.id, gid: gid("Refund", refund.id), order: describeOrder(order) } };
    }
    case "GET shops/:shop/orders/:id/fulfillment-orders": {
      const shop = shopOf(parts[1]);
      const fos = fulfillmentOrdersOf(shop, numericId(parts[3]!, "Order"));
      return { status: 200, body: fos.map((fo) => ({ ...fo, gid: gid("FulfillmentOrder", fo.id) })) };
    }
    case "GET shops/:shop/fulfillment-orders": {
      // The merchant's fulfillment queue: every fulfillment order, or those of one status (`?status=OPEN`).
      const status = query.get("status");
      const fos = [...shopOf(parts[1]).fulfillmentOrders.values()].filter((fo) => !status || fo.status === status);
      return { status: 200, body: fos.map((fo) => ({ ...fo, gid: gid("FulfillmentOrder", fo.id) })) };
    }
    case "POST shops/:shop/fulfillment-orders/:id/fulfil": {
      const shop = shopOf(parts[1]);
      const { lines } = parseBody(fulfilSchema, body);
      const fo = shop.fulfillmentOrders.get(numericId(parts[3]!, "FulfillmentOrder"));
      const result = fulfil(
        rt,
        shop,
        fo,
        lines?.map((l) => ({ id: numericId(l.id, "FulfillmentOrderLineItem"), quantity: l.quantity })) ?? null,
      );
      if (!result.ok) throw new InputError(result.error.field?.join(".") ?? "fulfillmentOrder", result.error.message);
      return { status: 201, body: { id: result.fulfillment.id, gid: gid("Fulfillment", result.fulfillment.id) } };
    }
    case "POST shops/:shop/fulfillment-orders/:id/hold": {
      const shop = shopOf(parts[1]);
      const input = parseBody(holdSchema, body);
      const fo = shop.fulfillmentOrders.get(numericId(parts[3]!, "FulfillmentOrder"));
      const result = placeHold(rt, shop, input.by === "merchant" ? null : input.by.appId, fo, input);
      if (!result.ok) throw new InputError(result.error.field?.join(".") ?? "fulfillmentOrder", result.error.message);
      return { status: 201, body: { id: result.hold.id, gid: gid("FulfillmentHold", result.hold.id) } };
    }
    case "POST shops/:shop/fulfillment-orders/:id/request": {
      const shop = shopOf(parts[1]);
      const fo = shop.fulfillmentOrders.get(numericId(parts[3]!, "FulfillmentOrder"));
      return requestAnswer(submitFulfillmentRequest(shop, fo, rt.clock.iso()));
    }
    case "POST shops/:shop/fulfillment-orders/:id/request-answer": {
      const shop = shopOf(parts[1]);
      const { answer, message } = parseBody(requestAnswerSchema, body);
      const fo = shop.fulfillmentOrders.get(numericId(parts[3]!, "FulfillmentOrder"));
      return requestAnswer(
        answer === "accept"
          ? acceptFulfillmentRequest(rt, shop, fo, message ?? null)
          : rejectFulfillmentRequest(fo, rt.clock.iso()),
      );
    }
    case "POST shops/:shop/fulfillment-orders/:id/release": {
      const shop = shopOf(parts[1]);
      const input = parseBody(releaseSchema, body);
      const fo = shop.fulfillmentOrders.get(numericId(parts[3]!, "FulfillmentOrder"));
      const ids = input.holdIds?.map((id) => numericId(id, "FulfillmentHold")) ?? null;
      const result = releaseHolds(rt, shop, input.by === "merchant" ? "merchant" : input.by.appId, fo, ids);
      if (!result.ok) throw new InputError(result.error.field?.join(".") ?? "fulfillmentOrder", result.error.message);
      return { status: 200, body: { status: result.fulfillmentOrder.status, holds: result.fulfillmentOrder.holds } };
    }
    case "POST shops/:shop/inventory/adjust": {
      const shop = shopOf(parts[1]);
      const input = parseBody(adjustSchema, body);
      const itemId =
        input.sku === undefined ? numericId(input.inventoryItemId!, "InventoryItem") : itemOfSku(shop, input.sku);
      if (!shop.inventoryItems.has(itemId)) throw new InputError("inventoryItemId", `no inventory item ${itemId}`);
      const locationRef = input.locationId ?? input.location;
      const location = locationRef === undefined ? shop.locations[0] : findLocation(shop, locationRef);
      if (!location) throw new InputError("location", `${shop.domain} has no location`);
      const level = levelOf(shop, itemId, location.id) ?? activateLevel(rt, shop, itemId, location.id);
      changeQuantity(rt, shop, level, input.name, input.delta);
      return { status: 200, body: { ...level.quantities, on_hand: onHand(level) } };
    }
    case "POST shops/:shop/inventory-shipments": {
      const shop = shopOf(parts[1]);
      const input = parseBody(shipmentSchema, body);
      const shipment = shipTransfer(rt, shop, {
        originLocationId: input.origin === undefined ? null : locationOf(shop, input.origin).id,
        destinationLocationId: locationOf(shop, input.destination).id,
        lines: input.lines.map((line) => ({ inventoryItemId: itemOf(shop, line), quantity: line.quantity })),
        arrivesAt: input.arrivesAt === null ? null : graphqlTime(input.arrivesAt),
        trackingNumber: input.trackingNumber ?? null,
        company: input.company ?? null,
      });
      return { status: 201, body: describeShipment(shipment) };
    }
    case "POST shops/:shop/inventory-shipments/:id/tracking": {
      const shop = shopOf(parts[1]);
      const shipment = shipmentOf(shop, parts[3]!);
      const { arrivesAt } = parseBody(trackingSchema, body);
      updateTracking(rt, shop, shipment, arrivesAt === null ? null : graphqlTime(arrivesAt));
      return { status: 200, body: describeShipment(shipment) };
    }
    case "POST shops/:shop/inventory-shipments/:id/receive": {
      const shop = shopOf(parts[1]);
      const shipment = shipmentOf(shop, parts[3]!);
      const { lines } = parseBody(receiveSchema, body);
      receiveShipment(rt, shop, shipment, lines ? new Map(lines.map((l) => [itemOf(shop, l), l.quantity])) : null);
      return { status: 200, body: describeShipment(shipment) };
    }
    case "POST shops/:shop/inventory-shipments/:id/delete": {
      const shop = shopOf(parts[1]);
      deleteShipment(rt, shop, shipmentOf(shop, parts[3]!));
      return { status: 200, body: { deleted: true } };
    }
    case "POST shops/:shop/inventory-transfers/:id/cancel": {
      const shop = shopOf(parts[1]);
      const transfer = shop.inventoryTransfers.get(numericId(parts[3]!, "InventoryTransfer"));
      if (!transfer) throw new NotFound(`no inventory transfer ${parts[3]}`);
      cancelTransfer(rt, shop, transfer);
      return {
        status: 200,
        body: { id: transfer.id, gid: gid("InventoryTransfer", transfer.id), status: transfer.status },
      };
    }
    case "POST shops/:shop/inventory/scheduled-changes": {
      const shop = shopOf(parts[1]);
      const input = parseBody(scheduledSchema, body);
      const location = input.location === undefined ? shop.locations[0]! : locationOf(shop, input.location);
      const inventoryItemId = itemOf(shop, input);
      scheduleIncoming(rt, shop, {
        inventoryItemId,
        locationId: location.id,
        quantity: input.quantity,
        expectedAt: graphqlTime(input.expectedAt),
        ledgerDocumentUri: input.ledgerDocumentUri,
      });
      const level = levelOf(shop, inventoryItemId, location.id)!;
      return {
        status: 200,
        body: { ...level.quantities, on_hand: onHand(level), scheduledChanges: level.scheduledChanges },
      };
    }
    case "POST shops/:shop/scopes": {
      const shop = shopOf(parts[1]);
      const previous = shop.scopes;
      shop.scopes = parseBody(scopesSchema, body).scopes;
      const at = rt.clock.iso();
      rt.emit(shop, "app/scopes_update", () => scopesUpdatePayload(shop, previous, at));
      return { status: 200, body: { scopes: shop.scopes } };
    }
    case "POST shops/:shop/protected-customer-data": {
      // The level of protected customer data Shopify has approved for the app on this shop (0, 1 or 2).
      const shop = shopOf(parts[1]);
      shop.protectedCustomerData = parseBody(protectedDataSchema, body).level;
      return { status: 200, body: { level: shop.protectedCustomerData } };
    }
    case "POST shops/:shop/uninstall": {
      const shop = shopOf(parts[1]);
      rt.emit(shop, "app/uninstalled", () => shopPayload(shop));
      rt.shopsByToken.delete(shop.accessToken);
      return { status: 200, body: { uninstalled: shop.domain } };
    }
    case "POST shops/:shop/install": {
      // Reinstalling after an uninstall: the shop's data stays, the app gets a new token.
      const shop = shopOf(parts[1]);
      if (rt.shopsByToken.has(shop.accessToken))
        throw new InputError("shop", `the app is already installed on ${shop.domain}`);
      shop.accessToken = rt.token("shpat_");
      rt.shopsByToken.set(shop.accessToken, shop);
      return { status: 200, body: describeShop(shop) };
    }
    case "POST shops/:shop/redact": {
      const shop = shopOf(parts[1]);
      rt.emit(shop, "shop/redact", () => ({ shop_id: shop.id, shop_domain: shop.domain }));
      return { status: 200, body: { sent: "shop/redact" } };
    }
    case "POST shops/:shop/customers/:id/data-request":
    case "POST shops/:shop/customers/:id/redact": {
      const shop = shopOf(parts[1]);
      const customer = shop.customers.get(numericId(parts[3]!, "Customer"));
      if (!customer) throw new NotFound(`no customer ${parts[3]}`);
      const orders = [...shop.orders.values()].filter((o) => o.customerId === customer.id).map((o) => o.id);
      const base = {
        shop_id: shop.id,
        shop_domain: shop.domain,
        customer: { id: customer.id, email: customer.email, phone: null },
      };
      if (parts[4] === "redact") rt.emit(shop, "customers/redact", () => ({ ...base, orders_to_redact: orders }));
      else
        rt.emit(shop, "customers/data_request", () => ({
          ...base,
          orders_requested: orders,
          data_request: { id: rt.id() },
        }));
      return { status: 200, body: { sent: parts[4] === "redact" ? "customers/redact" : "customers/data_request" } };
    }
    case "GET shops/:shop/flow-triggers":
      return { status: 200, body: shopOf(parts[1]).flowTriggers };
    case "GET shops/:shop/flow-workflows":
      return { status: 200, body: shopOf(parts[1]).flowWorkflows };
    case "POST shops/:shop/flow-workflows": {
      // The merchant creates a workflow from one of the app's triggers and (by default) turns it on.
      const { trigger, enabled } = parseBody(workflowSchema, body);
      return { status: 201, body: await setWorkflow(deps.flow, shopOf(parts[1]), null, trigger, enabled) };
    }
    case "POST shops/:shop/flow-workflows/:id/enable":
    case "POST shops/:shop/flow-workflows/:id/disable": {
      const id = numericId(parts[3]!, "FlowWorkflow");
      const enabled = parts[4] === "enable";
      return { status: 200, body: await setWorkflow(deps.flow, shopOf(parts[1]), id, null, enabled) };
    }
    case "GET bulk/:shop/:id": {
      const shop = [...rt.shopsByDomain.values()].find((s) => String(s.id) === parts[1]);
      const operation = shop?.bulkOperations.get(Number(parts[2]?.replace(/\.jsonl$/, "")));
      if (typeof operation?.jsonl !== "string") throw new NotFound("no such bulk operation result");
      return { status: 200, body: operation.jsonl, contentType: "application/jsonl" };
    }
    case "POST shops/:shop/throttle": {
      // The bucket as a shop's other apps and traffic would have left it (benchmarks start from steady state).
      const bucket = deps.bucketOf(shopOf(parts[1]).id);
      bucket.setAvailable(parseBody(throttleSchema, body).currentlyAvailable);
      return { status: 200, body: bucket.status() };
    }
    case "POST clock/advance": {
      rt.advance(parseBody(clockSchema, body).ms);
      return { status: 200, body: { now: rt.clock.iso() } };
    }
    case "POST settle": {
      // Runs every pending Shopify task now and waits for the webhooks they send.
      do {
        rt.flush();
        await deliverer.idle();
      } while (rt.pendingTasks() > 0);
      return { status: 200, body: { now: rt.clock.iso() } };
    }
    case "POST faults": {
      const input = parseBody(faultsSchema, body);
      Object.assign(deps.faults.api, input.api ?? {});
      Object.assign(deps.faults.webhooks, input.webhooks ?? {});
      return { status: 200, body: deps.faults };
    }
    case "POST shops/:shop/session-token": {
      // What Shopify admin hands App Bridge: a fresh session token for the app on this shop (the admin frame asks).
      const shop = shopOf(parts[1]);
      const idToken = mintSessionToken({ apiKey: rt.app.apiKey, apiSecret: deps.flow.apiSecret, shop: shop.domain });
      return { status: 200, body: { idToken } };
    }
    case "GET app-bridge.js":
      return { status: 200, body: appBridgeStandIn(), contentType: "text/javascript; charset=utf-8" };
    case "GET pending":
      // Half of the live stack's idle signal: Shopify has no work scheduled (routing, jobs, webhook (re)tries) and
      // no delivery waiting for an answer. `activity` counts Admin requests and delivery attempts: unchanged
      // between two reads, nothing reached Shopify in between.
      return {
        status: 200,
        body: {
          now: rt.clock.iso(),
          idle: rt.pendingTasks() === 0 && deliverer.pending === 0,
          tasks: rt.pendingTasks(),
          deliveries: deliverer.pending,
          activity: deps.adminLog.length + deliverer.log.length,
        },
      };
    case "GET state":
      return { status: 200, body: dumpState(rt) };
    case "GET clock":
      // What a local app follows: `real` = wall time plus the advances so far; `frozen` = only advances.
      return { status: 200, body: { mode: rt.clock.mode, now: rt.clock.iso(), nowMs: rt.clock.nowMs() } };
    case "GET admin-log": {
      const shop = query.get("shop");
      const operation = query.get("operation");
      return {
        status: 200,
        body: deps.adminLog.filter((e) => (!shop || e.shop === shop) && (!operation || e.operation === operation)),
      };
    }
    case "GET webhooks": {
      const topic = query.get("topic");
      const shop = query.get("shop");
      return {
        status: 200,
        body: deliverer.log.filter((e) => (!topic || e.topic === topic) && (!shop || e.shop === shop)),
      };
    }
    default:
      throw new NotFound(`no control route ${method} ${pathname}`);
  }
}

/** `shops/{domain}/orders/{id}/…` and `bulk/{shopId}/{id}.jsonl` → route patterns. */
function paramName(resource: string | undefined, index: number, part: string): string {
  if (resource === "shops" && index === 1) return ":shop";
  if (resource === "shops" && index === 3 && /^\d+$/.test(part)) return ":id";
  if (resource === "bulk" && index === 1) return ":shop";
  if (resource === "bulk" && index === 2) return ":id";
  return part;
}

export class NotFound extends Error {}
