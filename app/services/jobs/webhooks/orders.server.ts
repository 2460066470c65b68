import type { z } from "zod";

import { knownOrderIds } from "../../../models/backorders.server";
import { isStale, processOrder } from "../../orders.server";
import type { Pipeline } from "../../pipeline.server";
import { readOrder } from "../../reads/orders.server";
import { parseWebhookPayload, type OrderPayload } from "../../webhook-payloads";
import { scheduleRoutingCheck } from "../routing-check.server";
import type { WebhookTopicWork } from "../work";

/** Only orders with records are read (no Admin call for every order update). */
export const ORDER_WEBHOOKS: Record<string, WebhookTopicWork> = {
  // Fulfillment orders do not exist yet at orders/create; routing_complete (or reconciliation) detects. A check
  // is due a little later in case the routing event is lost; routing_complete settles it first (no Admin call).
  "orders/create": async (p, raw) => {
    await scheduleRoutingCheck(p, parseWebhookPayload("orders/create", raw).admin_graphql_api_id);
    return { kind: "awaiting_routing" };
  },
  "orders/updated": (p, raw) => knownOrderChanged(p, parseWebhookPayload("orders/updated", raw), true),
  // A cancellation is final: never skipped as stale, even within the second of the app's own last change.
  "orders/cancelled": (p, raw) => knownOrderChanged(p, parseWebhookPayload("orders/cancelled", raw), false),
};

async function knownOrderChanged(p: Pipeline, payload: z.infer<typeof OrderPayload>, skipStale: boolean) {
  const orderId = payload.admin_graphql_api_id;
  if (!(await knownOrderIds(p.db, p.shop, [orderId])).has(orderId)) return { kind: "not_backordered" };
  if (skipStale && (await isStale(p, orderId, new Date(payload.updated_at)))) return { kind: "stale" };
  return processOrder(p, await readOrder(p.admin, orderId));
}
