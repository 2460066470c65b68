import { loadDelivery, markDeliveryProcessed } from "../../models/deliveries.server";
import type { Pipeline } from "../pipeline.server";
import { reducedPayload } from "../webhook-payloads";
import { FULFILLMENT_ORDER_WEBHOOKS } from "./webhooks/fulfillment-orders.server";
import { ORDER_WEBHOOKS } from "./webhooks/orders.server";
import { PRODUCT_WEBHOOKS } from "./webhooks/products.server";
import { STOCK_WEBHOOKS } from "./webhooks/stock.server";
import type { WebhookTopicWork } from "./work";

/** Each job takes only ids and timestamps from its delivery and leaves the rest to a fresh read of Shopify. */
export const WEBHOOK_WORK: Record<string, WebhookTopicWork> = {
  ...ORDER_WEBHOOKS,
  ...FULFILLMENT_ORDER_WEBHOOKS,
  ...STOCK_WEBHOOKS,
  ...PRODUCT_WEBHOOKS,
};

export async function runWebhookJob(p: Pipeline, topic: string, deliveryId: string) {
  const work = WEBHOOK_WORK[topic];
  if (!work) throw new Error(`no processing for webhook topic ${topic}`);
  const delivery = await loadDelivery(p.db, p.shop, deliveryId);
  // Gone with shop/redact, or another shop's: nothing to do for this shop.
  if (!delivery) return { kind: "delivery_gone" };
  const outcome = await work(p, delivery.payload);
  // Done with it: only what processing reads stays (routing still looks up an order's lines' products).
  await markDeliveryProcessed(p.db, p.shop, deliveryId, p.now(), reducedPayload(topic, delivery.payload));
  return outcome;
}
