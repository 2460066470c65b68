import { findHeldLinesOnFulfillmentOrder, findOrderLines } from "../../../models/backorders.server";
import { findLatestOrderPayload } from "../../../models/deliveries.server";
import { allocateFreeStock, allocateItem } from "../../allocation.server";
import { fulfillmentOrdersRestructured, processOrder } from "../../orders.server";
import type { Pipeline } from "../../pipeline.server";
import { readOrder, readOrderByFulfillmentOrder } from "../../reads/orders.server";
import { readRoutedOrder } from "../../reads/routing.server";
import {
  lineProductsFromPayload,
  parseWebhookPayload,
  RestructuredPayloads,
  type RestructuredTopic,
} from "../../webhook-payloads";
import { settleRoutingCheck } from "../routing-check.server";
import type { WebhookTopicWork } from "../work";

export const FULFILLMENT_ORDER_WEBHOOKS: Record<string, WebhookTopicWork> = {
  "fulfillment_orders/order_routing_complete": routingComplete,

  // The app's own releases fire this too; only a hold the records still count as holding units can have
  // been released by someone else (the merchant, another app), and only then is the order read.
  "fulfillment_orders/hold_released": async (p, raw) => {
    const { fulfillment_order } = parseWebhookPayload("fulfillment_orders/hold_released", raw);
    const held = await findHeldLinesOnFulfillmentOrder(p.db, p.shop, fulfillment_order.id);
    if (held.length === 0) return { kind: "up_to_date" };
    return processOrder(p, await readOrderByFulfillmentOrder(p.admin, fulfillment_order.id));
  },

  "fulfillment_orders/fulfillment_request_accepted": async () => ({ kind: "nothing_to_do" }),

  // A merchant (or another app) moved, split, merged, cancelled or held fulfillment orders: the records follow
  // the order's fulfillment orders as Shopify has them now, before anything is taken as released.
  ...Object.fromEntries(
    (Object.keys(RestructuredPayloads) as RestructuredTopic[]).map((topic) => [
      topic,
      async (p: Pipeline, raw: string) => {
        const outcome = await fulfillmentOrdersRestructured(p, parseWebhookPayload(topic, raw));
        // Units now waiting at another location may ship from its stock.
        if (outcome.kind === "relinked" && p.settings.allocationWindow === "immediate") {
          for (const item of outcome.movedItems) await allocateItem(p, item, "manual");
        }
        return outcome;
      },
    ]),
  ),
};

async function routingComplete(p: Pipeline, raw: string) {
  const { fulfillment_order } = parseWebhookPayload("fulfillment_orders/order_routing_complete", raw);
  const routed = await readRoutedOrder(p.admin, fulfillment_order.id, async (orderId) => {
    // The order's own create/update payload, if the inbox has one by now: its lines' products never change.
    const payload = await findLatestOrderPayload(p.db, p.shop, orderId);
    return payload ? lineProductsFromPayload(payload) : new Map<string, string>();
  });
  // The routing read is cut to what detection needs; an order the app already knows (another location's
  // routing, a redelivery) is read whole for the sync.
  const known = routed !== null && (await findOrderLines(p.db, p.shop, routed.id)).length > 0;
  if (routed) await settleRoutingCheck(p, routed.id);
  const order = known ? await readOrder(p.admin, routed.id) : routed;
  const outcome = await processOrder(p, order);
  if (outcome.kind === "detected" && order) await allocateFreeStock(p, order);
  return outcome;
}
