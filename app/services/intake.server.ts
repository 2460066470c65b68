import type { Db } from "../db.server";
import { recordDeliveryWithJob, type RecordedDelivery } from "../models/deliveries.server";
import type { VerifiedWebhook } from "../shopify/webhook-request.server";

/** The topics that go through the inbox and the job queue, as in shopify.app.toml. */
export const INTAKE_TOPICS = [
  "orders/create",
  "orders/updated",
  "orders/cancelled",
  "fulfillment_orders/order_routing_complete",
  "fulfillment_orders/hold_released",
  "fulfillment_orders/fulfillment_request_accepted",
  "fulfillment_orders/moved",
  "fulfillment_orders/split",
  "fulfillment_orders/merged",
  "fulfillment_orders/cancelled",
  "fulfillment_orders/placed_on_hold",
  "inventory_levels/update",
  "products/update",
  "inventory_shipments/mark_in_transit",
  "inventory_shipments/update_tracking",
  "inventory_shipments/receive_items",
  "inventory_shipments/delete",
  "inventory_transfers/cancel",
] as const;

export type IntakeTopic = (typeof INTAKE_TOPICS)[number];

export function jobTypeFor(topic: IntakeTopic): string {
  return `webhook:${topic}`;
}

/** The delivery and its job are recorded atomically; no Admin API call here: Shopify gives the request 5 seconds. */
export async function receiveWebhook(
  db: Db,
  topic: IntakeTopic,
  webhook: VerifiedWebhook,
  rawPayload: string,
): Promise<RecordedDelivery> {
  if (!webhook.webhookId) throw new Error(`${topic} delivery for ${webhook.shop} has no X-Shopify-Webhook-Id`);
  const triggeredAt = webhook.triggeredAt ? new Date(webhook.triggeredAt) : null;
  return recordDeliveryWithJob(
    db,
    {
      shop: webhook.shop,
      topic,
      webhookId: webhook.webhookId,
      apiVersion: webhook.apiVersion || null,
      eventId: webhook.eventId ?? null,
      triggeredAt: triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt : null,
      resourceId: resourceIdOf(rawPayload),
      rawPayload,
    },
    (deliveryId) => ({
      shop: webhook.shop,
      type: jobTypeFor(topic),
      payload: { deliveryId },
      lockKey: shopLockKey(webhook.shop),
    }),
  );
}

/** Stock-touching jobs of one shop share it, so they never run at once (docs/decisions/0007-job-runner.md). */
export function shopLockKey(shop: string): string {
  return `stock:${shop}`;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Read from the raw text without parsing the whole body: Shopify puts the key among the first ones. */
export function resourceIdOf(raw: string): string | null {
  let depth = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(raw, i);
      if (depth === 1 && raw.slice(i + 1, end) === "admin_graphql_api_id") {
        let j = end + 1;
        while (/\s/.test(raw[j] ?? "")) j++;
        if (raw[j] === ":") {
          j++;
          while (/\s/.test(raw[j] ?? "")) j++;
          if (raw.charCodeAt(j) !== QUOTE) return null;
          const value = JSON.parse(raw.slice(j, stringEnd(raw, j) + 1)) as string;
          return value.startsWith("gid://shopify/") ? value : null;
        }
      }
      i = end;
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return null;
}

function stringEnd(raw: string, start: number): number {
  for (let i = start + 1; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) return i;
  }
  return raw.length;
}
