import { z } from "zod";

/**
 * The parts of Shopify's REST-shaped webhook payloads the pipeline uses: ids and timestamps only; everything
 * else is re-read from the Admin API. Checked against Shopify's published samples and Local Shopify's
 * deliveries (test/webhooks/payloads.test.ts).
 */
export const OrderPayload = z.object({
  admin_graphql_api_id: z.string().startsWith("gid://shopify/Order/"),
  updated_at: z.string(),
});
export const FulfillmentOrderPayload = z.object({
  fulfillment_order: z.object({ id: z.string().startsWith("gid://shopify/FulfillmentOrder/") }),
});
export const LevelPayload = z.object({ available: z.number().int().nullable() });
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
 * The product of each line of an order, from an orders/* payload: a line item's variant belongs to one
 * product for its whole life, so any delivery about the order tells it, whenever it arrived. product_id is
 * taken from the source text (ids may pass 2^53); lines without a product (custom items) are left out.
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

/** Every payload the pipeline reads, parsed as the pipeline parses it, by topic. */
export function parseWebhookPayload(topic: string, raw: string): unknown {
  switch (topic) {
    case "orders/updated":
    case "orders/cancelled":
      return parsePayload(OrderPayload, topic, raw);
    case "fulfillment_orders/order_routing_complete":
    case "fulfillment_orders/hold_released":
      return parsePayload(FulfillmentOrderPayload, topic, raw);
    case "inventory_levels/update":
      return { inventoryItemId: inventoryItemGid(raw), ...parsePayload(LevelPayload, topic, raw) };
    case "products/update":
      return parsePayload(ProductPayload, topic, raw);
    default:
      throw new Error(`the pipeline reads no payload of ${topic}`);
  }
}
