import type { Db } from "../db.server";
import { recordDeliveryWithJob, type RecordedDelivery } from "../models/deliveries.server";

/** The topics that go through the inbox and the job queue, as in shopify.app.toml. */
export const INTAKE_TOPICS = [
  "orders/create",
  "orders/updated",
  "orders/cancelled",
  "fulfillment_orders/order_routing_complete",
  "fulfillment_orders/hold_released",
  "fulfillment_orders/fulfillment_request_accepted",
  "inventory_levels/update",
  "products/update",
] as const;

export type IntakeTopic = (typeof INTAKE_TOPICS)[number];

export function jobTypeFor(topic: IntakeTopic): string {
  return `webhook:${topic}`;
}

/** What authenticate.webhook hands over, plus the raw body read before it. */
export interface VerifiedWebhook {
  shop: string;
  topic: string;
  webhookId: string;
  apiVersion: string;
  triggeredAt?: string;
  eventId?: string;
  /** The body as the library parsed it (ids above 2^53 are rounded there: only strings are taken from it). */
  payload?: unknown;
}

/**
 * The whole request-time work of a webhook: record the delivery and enqueue its job, atomically. Stock-touching
 * jobs of one shop share one lock key, so they never run at once (docs/decisions/0007-job-runner.md). No Admin
 * API call here: Shopify gives the request 5 seconds.
 */
export async function receiveWebhook(
  db: Db,
  topic: IntakeTopic,
  webhook: VerifiedWebhook,
  rawPayload: string,
): Promise<RecordedDelivery> {
  // The library reports the topic as ORDERS_CREATE; Shopify's header says orders/create.
  if (enumName(webhook.topic) !== enumName(topic)) {
    throw new Error(`webhook topic ${webhook.topic} delivered to the ${topic} route: check shopify.app.toml`);
  }
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
      resourceId: resourceIdOf(webhook.payload),
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

/** The lock key of every job that reads or changes a shop's stock and backorders. */
export function shopLockKey(shop: string): string {
  return `stock:${shop}`;
}

/** The payload's own `admin_graphql_api_id` (an orders/* delivery's order), kept so the inbox can be searched by it. */
function resourceIdOf(payload: unknown): string | null {
  const id = (payload as { admin_graphql_api_id?: unknown } | null | undefined)?.admin_graphql_api_id;
  return typeof id === "string" && id.startsWith("gid://shopify/") ? id : null;
}

function enumName(topic: string): string {
  return topic.toUpperCase().replace(/[/.]/g, "_");
}
