import { createHmac, randomUUID } from "node:crypto";

import type { ActionFunctionArgs } from "@remix-run/node";

export const TEST_SECRET = "test-api-secret";

export interface SignedWebhook {
  topic: string;
  shop: string;
  /** The payload, sent as its JSON; or `raw`, sent byte for byte (a body that is not JSON, a huge one). */
  body?: unknown;
  raw?: string;
  webhookId?: string;
  /** X-Shopify-Event-Id; a fresh one by default. */
  eventId?: string;
  secret?: string;
  /** Path of the route, e.g. /webhooks/app/uninstalled. */
  path: string;
  /** Where the app listens, for a request sent over HTTP; the in-process default otherwise. */
  origin?: string;
}

/** A webhook Request as Shopify sends it: raw JSON body signed with HMAC-SHA256 of the app secret. */
export function signedWebhookRequest(webhook: SignedWebhook): Request {
  const raw = webhook.raw ?? JSON.stringify(webhook.body);
  const hmac = createHmac("sha256", webhook.secret ?? TEST_SECRET)
    .update(raw, "utf8")
    .digest("base64");
  return new Request(`${webhook.origin ?? "https://backorder-keeper.test"}${webhook.path}`, {
    method: "POST",
    body: raw,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": webhook.topic,
      "X-Shopify-Hmac-Sha256": hmac,
      "X-Shopify-Shop-Domain": webhook.shop,
      "X-Shopify-API-Version": "2026-10",
      "X-Shopify-Webhook-Id": webhook.webhookId ?? randomUUID(),
      "X-Shopify-Event-Id": webhook.eventId ?? randomUUID(),
      "X-Shopify-Triggered-At": new Date(0).toISOString(),
    },
  });
}

/**
 * A request as Shopify Flow sends the app's lifecycle callback: a JSON body signed like a webhook
 * (`X-Shopify-Hmac-Sha256`, base64 HMAC-SHA256 of the raw body keyed with the app secret), no topic headers.
 */
export function signedFlowRequest(path: string, body: unknown, secret: string = TEST_SECRET): Request {
  const raw = JSON.stringify(body);
  return new Request(`https://backorder-keeper.test${path}`, {
    method: "POST",
    body: raw,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Hmac-Sha256": createHmac("sha256", secret).update(raw, "utf8").digest("base64"),
    },
  });
}

/** Calls a Remix action and returns its Response, whether it returned or threw one. */
export async function callAction(
  action: (args: ActionFunctionArgs) => Promise<Response>,
  request: Request,
): Promise<Response> {
  try {
    return await action({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const ORDER = {
  id: 450789469,
  admin_graphql_api_id: "gid://shopify/Order/450789469",
  updated_at: "2026-11-02T09:00:00-05:00",
};
const FULFILLMENT_ORDER = { fulfillment_order: { id: "gid://shopify/FulfillmentOrder/1046000778", status: "open" } };

/** The least of each topic's payload that its job reads (Shopify's samples carry much more). */
export const MINIMAL_BODIES: Record<string, unknown> = {
  "orders/create": ORDER,
  "orders/updated": ORDER,
  "orders/cancelled": ORDER,
  "fulfillment_orders/order_routing_complete": FULFILLMENT_ORDER,
  "fulfillment_orders/hold_released": FULFILLMENT_ORDER,
  "fulfillment_orders/fulfillment_request_accepted": FULFILLMENT_ORDER,
  "inventory_levels/update": { inventory_item_id: 271878346596884, location_id: 24826418, available: -2 },
  "products/update": { admin_graphql_api_id: "gid://shopify/Product/788032119674292922", variants: [] },
  "inventory_shipments/mark_in_transit": { id: "gid://shopify/InventoryShipment/3921201", status: "IN_TRANSIT" },
  "inventory_shipments/update_tracking": { shipment_id: "gid://shopify/InventoryShipment/3921201" },
  "inventory_shipments/receive_items": { id: "gid://shopify/InventoryShipment/3921201", items_received: [] },
  "inventory_shipments/delete": { id: "gid://shopify/InventoryShipment/3921201" },
  "inventory_transfers/cancel": { id: "gid://shopify/InventoryTransfer/2921201", status: "CANCELED" },
};
