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
