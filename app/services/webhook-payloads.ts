import { z } from "zod";

/**
 * Ids and timestamps only; everything else is re-read from the Admin API. Checked against Shopify's published
 * samples and Local Shopify's deliveries (test/webhooks/payloads.test.ts).
 */
export const OrderPayload = z.object({
  admin_graphql_api_id: z.string().startsWith("gid://shopify/Order/"),
  updated_at: z.string(),
});
export const FulfillmentOrderPayload = z.object({
  fulfillment_order: z.object({ id: z.string().startsWith("gid://shopify/FulfillmentOrder/") }),
});
const FoRef = z.object({ id: z.string().startsWith("gid://shopify/FulfillmentOrder/") });

/** Shopify's samples for 2026-07; the pipeline re-reads their order and relinks its records. */
export const RestructuredPayloads = {
  "fulfillment_orders/moved": z
    .object({ original_fulfillment_order: FoRef, moved_fulfillment_order: FoRef })
    .transform((p) => [p.original_fulfillment_order.id, p.moved_fulfillment_order.id]),
  "fulfillment_orders/split": z
    .object({ fulfillment_order: FoRef, remaining_fulfillment_order: FoRef.nullable().optional() })
    .transform((p) => [
      p.fulfillment_order.id,
      ...(p.remaining_fulfillment_order ? [p.remaining_fulfillment_order.id] : []),
    ]),
  // The sample has one object; a list is read too. merge_intents name every merged one by numeric id.
  "fulfillment_orders/merged": z
    .object({
      merge_intents: z.array(z.object({ fulfillment_order_id: z.union([z.number(), z.string()]) })).default([]),
      fulfillment_order_merges: z.union([
        z.object({ fulfillment_order: FoRef }),
        z.array(z.object({ fulfillment_order: FoRef })).min(1),
      ]),
    })
    .transform((p) => [
      ...(Array.isArray(p.fulfillment_order_merges) ? p.fulfillment_order_merges : [p.fulfillment_order_merges]).map(
        (merge) => merge.fulfillment_order.id,
      ),
      ...p.merge_intents.map((intent) => `gid://shopify/FulfillmentOrder/${String(intent.fulfillment_order_id)}`),
    ]),
  "fulfillment_orders/cancelled": z
    .object({ fulfillment_order: FoRef, replacement_fulfillment_order: FoRef.nullable().optional() })
    .transform((p) => [
      p.fulfillment_order.id,
      ...(p.replacement_fulfillment_order ? [p.replacement_fulfillment_order.id] : []),
    ]),
  // Only the first hold fires it (2026-10 topic description). A hold that is the app's own changes nothing.
  "fulfillment_orders/placed_on_hold": z
    .object({
      fulfillment_order: FoRef.extend({
        fulfillment_holds: z.array(z.object({ held_by_requesting_app: z.boolean() })).default([]),
      }),
    })
    .transform((p) =>
      p.fulfillment_order.fulfillment_holds.every((hold) => hold.held_by_requesting_app)
        ? []
        : [p.fulfillment_order.id],
    ),
} as const;

export type RestructuredTopic = keyof typeof RestructuredPayloads;

export const LevelPayload = z.object({ available: z.number().int().nullable() });

/** Incoming-stock topics name only their shipment or transfer (Shopify's samples for 2026-07). */
export interface IncomingSource {
  shipmentId?: string;
  transferId?: string;
  gone?: boolean;
}
const ShipmentId = z.string().startsWith("gid://shopify/InventoryShipment/");
const byShipment = z.object({ id: ShipmentId }).transform((p): IncomingSource => ({ shipmentId: p.id }));
export const IncomingPayloads = {
  "inventory_shipments/mark_in_transit": byShipment,
  "inventory_shipments/update_tracking": z
    .object({ shipment_id: ShipmentId })
    .transform((p): IncomingSource => ({ shipmentId: p.shipment_id })),
  "inventory_shipments/receive_items": byShipment,
  "inventory_shipments/delete": z
    .object({ id: ShipmentId })
    .transform((p): IncomingSource => ({ shipmentId: p.id, gone: true })),
  "inventory_transfers/cancel": z
    .object({ id: z.string().startsWith("gid://shopify/InventoryTransfer/") })
    .transform((p): IncomingSource => ({ transferId: p.id })),
} satisfies Record<string, z.ZodType<IncomingSource>>;
export type IncomingTopic = keyof typeof IncomingPayloads;
export const incomingPayload = (topic: IncomingTopic): z.ZodType<IncomingSource> => IncomingPayloads[topic];
export const ProductPayload = z.object({
  admin_graphql_api_id: z.string(),
  variants: z
    .array(z.object({ admin_graphql_api_id: z.string(), inventory_policy: z.string().optional() }))
    .default([]),
});

/** customers/data_request and customers/redact: REST ids (the app stores GIDs). */
export const CustomerPayload = z.object({
  customer: z.object({ id: z.number().nullish(), email: z.string().nullish() }),
  orders_to_redact: z.array(z.number()).optional(),
  orders_requested: z.array(z.number()).optional(),
});
export const ScopesPayload = z.object({ current: z.array(z.string()) });

export function parsePayload<T>(schema: z.ZodType<T>, topic: string, raw: string): T {
  const result = schema.safeParse(JSON.parse(raw));
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`${topic} payload: ${issue.path.join(".") || "body"} ${issue.message}`);
  }
  return result.data;
}

/** inventory_item_id is above 2^53: JSON.parse would round it, so it is read from the raw text. */
export function inventoryItemGid(raw: string): string {
  const match = /"inventory_item_id"\s*:\s*"?(\d+)/.exec(raw);
  if (!match) throw new Error("inventory_levels/update payload: inventory_item_id is missing");
  return `gid://shopify/InventoryItem/${match[1]}`;
}

const OrderLinesPayload = z.object({
  line_items: z
    .array(
      z.object({
        admin_graphql_api_id: z.string().startsWith("gid://shopify/LineItem/"),
        product_id: z.string().regex(/^\d+$/).nullable().optional(),
      }),
    )
    .default([]),
});

/**
 * A line item's variant belongs to one product for its whole life, so any delivery about the order tells it;
 * product_id is taken from the source text (ids may pass 2^53).
 */
export function lineProductsFromPayload(raw: string): Map<string, string> {
  const parsed = OrderLinesPayload.safeParse(JSON.parse(raw, keepIdSource));
  const products = new Map<string, string>();
  if (!parsed.success) return products;
  for (const line of parsed.data.line_items) {
    if (line.product_id) products.set(line.admin_graphql_api_id, `gid://shopify/Product/${line.product_id}`);
  }
  return products;
}

/** A JSON.parse reviver that keeps numeric `*_id` values as their exact source text (Node 22's reviver context). */
function keepIdSource(this: unknown, key: string, value: unknown, context?: { source?: string }): unknown {
  return key.endsWith("_id") && typeof value === "number" && context?.source ? context.source : value;
}

/** The order's id is all its job reads (routing has not happened yet). */
export const CreatedOrderPayload = z.object({ admin_graphql_api_id: z.string().startsWith("gid://shopify/Order/") });

/** The one map the intake checks deliveries with and the jobs parse with. */
export const TOPIC_PAYLOADS = {
  "orders/create": CreatedOrderPayload,
  "orders/updated": OrderPayload,
  "orders/cancelled": OrderPayload,
  "fulfillment_orders/order_routing_complete": FulfillmentOrderPayload,
  "fulfillment_orders/hold_released": FulfillmentOrderPayload,
  "fulfillment_orders/fulfillment_request_accepted": FulfillmentOrderPayload,
  ...RestructuredPayloads,
  "inventory_levels/update": LevelPayload,
  "products/update": ProductPayload,
  ...IncomingPayloads,
  "customers/data_request": CustomerPayload,
  "customers/redact": CustomerPayload,
  "app/scopes_update": ScopesPayload,
} as const;
export type PayloadTopic = keyof typeof TOPIC_PAYLOADS;
export type TopicPayload<T extends PayloadTopic> = z.output<(typeof TOPIC_PAYLOADS)[T]>;

export function parseWebhookPayload<T extends PayloadTopic>(topic: T, raw: string): TopicPayload<T> {
  const schema: z.ZodType = TOPIC_PAYLOADS[topic];
  return parsePayload(schema, topic, raw) as TopicPayload<T>;
}

const KeptOrder = z.object({
  admin_graphql_api_id: z.string(),
  updated_at: z.string().optional(),
  line_items: z
    .array(z.object({ admin_graphql_api_id: z.string(), product_id: z.union([z.string(), z.null()]).optional() }))
    .optional(),
});
const KeptFulfillmentOrder = z.object({ fulfillment_order: z.object({ id: z.string() }) });
const KeptLevel = z.object({
  inventory_item_id: z.union([z.string(), z.number()]),
  available: z.number().nullable().optional(),
});
const KeptIncoming = z.object({ id: z.string().optional(), shipment_id: z.string().optional() });
const KeptProduct = z.object({
  admin_graphql_api_id: z.string(),
  variants: z.array(z.object({ admin_graphql_api_id: z.string(), inventory_policy: z.string().optional() })).optional(),
});

/**
 * After the dead-letter retention and on customers/redact: exactly the fields the pipeline reads, nothing about
 * the customer, still processing as the raw payload did. "{}" when the payload is not JSON or lacks them.
 */
export function reducedPayload(topic: string, raw: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw, keepIdSource);
  } catch {
    return "{}";
  }
  const keep = <T>(schema: z.ZodType<T>, pick: (value: T) => unknown) => {
    const result = schema.safeParse(parsed);
    return result.success ? JSON.stringify(pick(result.data)) : "{}";
  };
  if (topic.startsWith("orders/")) {
    return keep(KeptOrder, (order) => ({
      admin_graphql_api_id: order.admin_graphql_api_id,
      ...(order.updated_at === undefined ? {} : { updated_at: order.updated_at }),
      line_items: (order.line_items ?? []).map((line) => ({
        admin_graphql_api_id: line.admin_graphql_api_id,
        product_id: line.product_id ?? null,
      })),
    }));
  }
  if (topic.startsWith("fulfillment_orders/")) {
    return keep(KeptFulfillmentOrder, (fo) => ({ fulfillment_order: { id: fo.fulfillment_order.id } }));
  }
  if (topic === "inventory_levels/update") {
    return keep(KeptLevel, (level) => ({
      inventory_item_id: String(level.inventory_item_id),
      available: level.available ?? null,
    }));
  }
  if (topic in IncomingPayloads) {
    return keep(KeptIncoming, (payload) => ({
      ...(payload.id === undefined ? {} : { id: payload.id }),
      ...(payload.shipment_id === undefined ? {} : { shipment_id: payload.shipment_id }),
    }));
  }
  if (topic === "products/update") {
    return keep(KeptProduct, (product) => ({
      admin_graphql_api_id: product.admin_graphql_api_id,
      variants: (product.variants ?? []).map((variant) => ({
        admin_graphql_api_id: variant.admin_graphql_api_id,
        ...(variant.inventory_policy === undefined ? {} : { inventory_policy: variant.inventory_policy }),
      })),
    }));
  }
  return "{}";
}

/** Like keepIdSource, for `id` too: customer ids pass 2^53. */
function keepEveryIdSource(this: unknown, key: string, value: unknown, context?: { source?: string }): unknown {
  return (key === "id" || key.endsWith("_id")) && typeof value === "number" && context?.source ? context.source : value;
}

export interface PayloadCustomer {
  customerIds: string[];
  /** Lower-cased. */
  emails: string[];
  orderId: string | null;
}

export function customerOfPayload(raw: string): PayloadCustomer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw, keepEveryIdSource);
  } catch {
    return { customerIds: [], emails: [], orderId: null };
  }
  const record = (value: unknown): Record<string, unknown> =>
    value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const top = record(parsed);
  const customer = record(top.customer);
  const text = (value: unknown) => (typeof value === "string" && value !== "" ? [value] : []);
  const orderId = typeof top.admin_graphql_api_id === "string" ? top.admin_graphql_api_id : null;
  return {
    customerIds: [...text(customer.id), ...(typeof customer.id === "number" ? [String(customer.id)] : [])],
    emails: [...text(top.email), ...text(top.contact_email), ...text(customer.email)].map((e) => e.toLowerCase()),
    orderId: orderId?.startsWith("gid://shopify/Order/") ? orderId : null,
  };
}
