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
  /** The payload's own admin_graphql_api_id, when it has one (orders/*: the order). */
  resourceId: string | null;
  /** The body exactly as Shopify sent it: JSON.parse would round its ids above 2^53. */
  rawPayload: string;
}

export type RecordedDelivery =
  { duplicate: false; deliveryId: string; jobId: string } | { duplicate: true; deliveryId: string };

interface PendingDelivery {
  delivery: DeliveryRecord;
  job: (deliveryId: string) => EnqueueJob;
  resolve: (recorded: RecordedDelivery) => void;
  reject: (error: unknown) => void;
}

/** Deliveries waiting for the next commit, per client. */
const pendingByDb = new WeakMap<Db, { queue: PendingDelivery[]; flushing: boolean }>();
const MAX_BATCH = 250;

/**
 * Records a delivery and enqueues its job: both exist or neither. A redelivery (same shop and
 * X-Shopify-Webhook-Id) is reported as a duplicate and enqueues nothing.
 *
 * Group commit: deliveries that arrive while a commit is in flight are written together in the next
 * transaction, so a burst pays for one SQLite commit instead of one each; a lone delivery is written at once.
 * Every caller still answers only after its own rows are committed.
 */
export function recordDeliveryWithJob(
  db: Db,
  delivery: DeliveryRecord,
  job: (deliveryId: string) => EnqueueJob,
): Promise<RecordedDelivery> {
  let state = pendingByDb.get(db);
  if (!state) pendingByDb.set(db, (state = { queue: [], flushing: false }));
  const pending = state;
  return new Promise((resolve, reject) => {
    pending.queue.push({ delivery, job, resolve, reject });
    if (!pending.flushing) void flush(db, pending);
  });
}

/** True while deliveries wait for their commit: the job runner steps aside meanwhile. */
export function hasPendingDeliveries(db: Db): boolean {
  const state = pendingByDb.get(db);
  return state !== undefined && (state.flushing || state.queue.length > 0);
}

async function flush(db: Db, state: { queue: PendingDelivery[]; flushing: boolean }): Promise<void> {
  state.flushing = true;
  while (state.queue.length > 0) {
    // One turn of the event loop, so requests already received join this commit. (A fixed 2 ms window only
    // delayed a lone delivery: the session read it waited for is now kept in memory.)
    await new Promise((resolve) => setImmediate(resolve));
    let batch: PendingDelivery[] = [];
    try {
      const recorded = await writeBatch(db, () => (batch = state.queue.splice(0, MAX_BATCH)));
      batch.forEach((pending, index) => pending.resolve(recorded[index]!));
    } catch (error) {
      batch.forEach((pending) => pending.reject(error));
    }
  }
  state.flushing = false;
}

/**
 * Writes one batch in one transaction. The batch is taken only once the transaction has started, so
 * everything that queued while it waited for the database joins it.
 */
async function writeBatch(db: Db, take: () => PendingDelivery[]): Promise<RecordedDelivery[]> {
  const keyOf = (shop: string, webhookId: string) => `${shop}\n${webhookId}`;
  let batch: PendingDelivery[] = [];
  try {
    return await db.$transaction(
      async (tx) => {
        batch = take();
        const existing = await tx.webhookDelivery.findMany({
          where: { OR: batch.map(({ delivery }) => ({ shop: delivery.shop, webhookId: delivery.webhookId })) },
          select: { id: true, shop: true, webhookId: true },
        });
        const known = new Map(existing.map((row) => [keyOf(row.shop, row.webhookId), row.id]));
        const deliveries = [];
        const jobs = [];
        const recorded: RecordedDelivery[] = [];
        for (const { delivery, job } of batch) {
          const key = keyOf(delivery.shop, delivery.webhookId);
          const knownId = known.get(key);
          if (knownId) {
            recorded.push({ duplicate: true, deliveryId: knownId });
            continue;
          }
          const deliveryId = randomUUID();
          const jobId = randomUUID();
          known.set(key, deliveryId);
          const { rawPayload, ...fields } = delivery;
          deliveries.push({ id: deliveryId, ...fields, payload: rawPayload });
          jobs.push({ id: jobId, ...jobCreateInput(job(deliveryId)) });
          recorded.push({ duplicate: false, deliveryId, jobId });
        }
        if (deliveries.length > 0) {
          await tx.webhookDelivery.createMany({ data: deliveries });
          await tx.job.createMany({ data: jobs });
        }
        return recorded;
      },
      { maxWait: 10_000, timeout: 30_000 },
    );
  } catch (error) {
    // Another process recorded one of these deliveries meanwhile: settle them one by one.
    if (!isUniqueViolation(error) || batch.length <= 1) throw error;
    const recorded: RecordedDelivery[] = [];
    for (const pending of batch) recorded.push(...(await writeBatch(db, () => [pending])));
    return recorded;
  }
}

/** A delivery of this shop, for its job; null when it is gone (shop/redact) or belongs to another shop. */
export async function loadDelivery(db: Db, shop: string, deliveryId: string) {
  return db.webhookDelivery.findFirst({ where: { id: deliveryId, shop } });
}

export async function markDeliveryProcessed(db: Db, shop: string, deliveryId: string, now: Date): Promise<void> {
  await db.webhookDelivery.updateMany({ where: { id: deliveryId, shop }, data: { processedAt: now } });
}

/**
 * The raw payload of the latest orders/* delivery about an order (create, updated, cancelled), or null when
 * none has been received (yet): webhooks come in any order, so callers must cope without it.
 */
export async function findLatestOrderPayload(db: Db, shop: string, orderId: string): Promise<string | null> {
  const row = await db.webhookDelivery.findFirst({
    where: { shop, resourceId: orderId, topic: { startsWith: "orders/" } },
    orderBy: { receivedAt: "desc" },
    select: { payload: true },
  });
  return row?.payload ?? null;
}
