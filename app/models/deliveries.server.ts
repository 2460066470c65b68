import { randomUUID } from "node:crypto";

import type { Db } from "../db.server";
import type { EnqueueJob } from "../jobs/types";
import { isUniqueViolation, jobCreateInput } from "./jobs.server";

export interface DeliveryRecord {
  shop: string;
  topic: string;
  webhookId: string;
  apiVersion: string | null;
  eventId: string | null;
  triggeredAt: Date | null;
  /** The body exactly as Shopify sent it: JSON.parse would round its ids above 2^53. */
  rawPayload: string;
}

export type RecordedDelivery =
  { duplicate: false; deliveryId: string; jobId: string } | { duplicate: true; deliveryId: string };

/**
 * Records a delivery and enqueues its job in one transaction: both exist or neither. A redelivery (same
 * shop and X-Shopify-Webhook-Id) violates the unique key, rolls back, and is reported as a duplicate.
 */
export async function recordDeliveryWithJob(
  db: Db,
  delivery: DeliveryRecord,
  job: (deliveryId: string) => EnqueueJob,
): Promise<RecordedDelivery> {
  const deliveryId = randomUUID();
  const jobId = randomUUID();
  const { rawPayload, ...fields } = delivery;
  try {
    await db.$transaction([
      db.webhookDelivery.create({ data: { id: deliveryId, ...fields, payload: rawPayload } }),
      db.job.create({ data: { id: jobId, ...jobCreateInput(job(deliveryId)) } }),
    ]);
    return { duplicate: false, deliveryId, jobId };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const existing = await db.webhookDelivery.findUnique({
      where: { shop_webhookId: { shop: delivery.shop, webhookId: delivery.webhookId } },
      select: { id: true },
    });
    if (!existing) throw error;
    return { duplicate: true, deliveryId: existing.id };
  }
}

/** A delivery of this shop, for its job; null when it is gone (shop/redact) or belongs to another shop. */
export async function loadDelivery(db: Db, shop: string, deliveryId: string) {
  return db.webhookDelivery.findFirst({ where: { id: deliveryId, shop } });
}

export async function markDeliveryProcessed(db: Db, shop: string, deliveryId: string, now: Date): Promise<void> {
  await db.webhookDelivery.updateMany({ where: { id: deliveryId, shop }, data: { processedAt: now } });
}
