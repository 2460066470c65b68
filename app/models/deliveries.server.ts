import { randomUUID } from "node:crypto";

import { clock } from "../clock.server";
import { containsText, sqlTransaction, type Db, type SqlTransaction, type SqlValue } from "../db.server";
import type { EnqueueJob } from "./job-types";
import { JOB_INSERT_COLUMNS, jobInsertValues } from "./jobs.server";
import { DAY_MS } from "../domain";

export interface DeliveryRecord {
  shop: string;
  topic: string;
  webhookId: string;
  apiVersion: string | null;
  eventId: string | null;
  triggeredAt: Date | null;
  /** orders/*: the order. */
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

interface IntakeState {
  queue: PendingDelivery[];
  flushing: boolean;
  lastCommitAt: number;
}

const intakeByDb = new WeakMap<Db, IntakeState>();
const MAX_BATCH = 250;

/**
 * The delivery and its job both exist or neither. A redelivery (same shop and X-Shopify-Webhook-Id), or the same
 * event under another webhook id (same shop, topic and X-Shopify-Event-Id: shopify.dev "Ignore duplicate webhooks"),
 * is a duplicate and enqueues nothing. Deliveries arriving while a commit is in flight share the next one; every
 * caller answers only after its rows are committed.
 */
export function recordDeliveryWithJob(
  db: Db,
  delivery: DeliveryRecord,
  job: (deliveryId: string) => EnqueueJob,
): Promise<RecordedDelivery> {
  let state = intakeByDb.get(db);
  if (!state) intakeByDb.set(db, (state = { queue: [], flushing: false, lastCommitAt: 0 }));
  const pending = state;
  return new Promise((resolve, reject) => {
    pending.queue.push({ delivery, job, resolve, reject });
    if (!pending.flushing) void flush(db, pending);
  });
}

const INTAKE_QUIET_MS = 100;

/** While webhooks come in the job runner keeps to one job at a time (app/jobs/runner.server.ts, `yieldWhile`). */
export function intakeBusy(db: Db, now: number = Date.now()): boolean {
  const state = intakeByDb.get(db);
  if (!state) return false;
  return state.flushing || state.queue.length > 0 || now - state.lastCommitAt < INTAKE_QUIET_MS;
}

async function flush(db: Db, state: IntakeState): Promise<void> {
  state.flushing = true;
  while (state.queue.length > 0) {
    // One turn of the event loop, so requests already received join this commit.
    await new Promise((resolve) => setImmediate(resolve));
    let batch: PendingDelivery[] = [];
    try {
      const recorded = await writeBatch(db, () => (batch = state.queue.splice(0, MAX_BATCH)));
      state.lastCommitAt = Date.now();
      batch.forEach((pending, index) => pending.resolve(recorded[index]!));
    } catch (error) {
      batch.forEach((pending) => pending.reject(error));
    }
  }
  state.flushing = false;
}

/**
 * Plain SQL, not Prisma: docs/decisions/0010-webhook-intake-path.md. The batch is taken once the transaction holds
 * the connection, and the insert comes first, so the transaction holds SQLite's write lock before it reads: a
 * delivery recorded meanwhile by another process is seen, never raced.
 */
async function writeBatch(db: Db, take: () => PendingDelivery[]): Promise<RecordedDelivery[]> {
  return sqlTransaction(db, async (sql) => {
    const batch = take();
    const now = clock.now();
    const rows = batch.map(({ delivery }) => ({ id: randomUUID(), delivery }));
    const inserted = await insertDeliveries(sql, rows, now);
    const recordedIds = await recordedIdsOf(sql, rows, inserted);
    const recorded: RecordedDelivery[] = [];
    const jobs: (readonly SqlValue[])[] = [];
    batch.forEach((pending, index) => {
      const { id } = rows[index]!;
      if (!inserted.has(id)) {
        const deliveryId =
          recordedIds.get(keyOf(pending.delivery)) ??
          (pending.delivery.eventId ? recordedIds.get(eventKeyOf(pending.delivery)) : undefined);
        recorded.push({ duplicate: true, deliveryId: deliveryId! });
        return;
      }
      const jobId = randomUUID();
      jobs.push(jobInsertValues(jobId, pending.job(id), now));
      recorded.push({ duplicate: false, deliveryId: id, jobId });
    });
    if (jobs.length > 0) await insertJobs(sql, jobs);
    return recorded;
  });
}

interface DeliveryRow {
  id: string;
  delivery: DeliveryRecord;
}

/** The ids of the rows that were new; a redelivery's row is not inserted. */
async function insertDeliveries(sql: SqlTransaction, rows: DeliveryRow[], now: Date): Promise<Set<string>> {
  const count = await sql.execute(
    `INSERT INTO "WebhookDelivery" ("id", "shop", "webhookId", "topic", "resourceId", "apiVersion", "eventId", "triggeredAt", "payload", "receivedAt")
     VALUES ${rows.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}
     ON CONFLICT DO NOTHING`,
    rows.flatMap(({ id, delivery: d }) => [
      id,
      d.shop,
      d.webhookId,
      d.topic,
      d.resourceId,
      d.apiVersion,
      d.eventId,
      d.triggeredAt,
      d.rawPayload,
      now,
    ]),
  );
  // Usually every row is new; only a batch with a redelivery asks which ones were.
  if (count === rows.length) return new Set(rows.map(({ id }) => id));
  const found = await sql.query<{ id: string }>(
    `SELECT "id" FROM "WebhookDelivery" WHERE "id" IN (${rows.map(() => "?").join(", ")})`,
    rows.map(({ id }) => id),
  );
  return new Set(found.map((row) => row.id));
}

/** Redeliveries (earlier, or twice in this batch) answer with the id already recorded. */
async function recordedIdsOf(
  sql: SqlTransaction,
  rows: DeliveryRow[],
  inserted: Set<string>,
): Promise<Map<string, string>> {
  const recordedIds = await idsOf(
    sql,
    rows.filter(({ id }) => !inserted.has(id)).map(({ delivery }) => delivery),
  );
  for (const { id, delivery } of rows) {
    if (!inserted.has(id)) continue;
    recordedIds.set(keyOf(delivery), id);
    if (delivery.eventId) recordedIds.set(eventKeyOf(delivery), id);
  }
  return recordedIds;
}

async function insertJobs(sql: SqlTransaction, jobs: (readonly SqlValue[])[]): Promise<void> {
  await sql.execute(
    `INSERT INTO "Job" (${JOB_INSERT_COLUMNS.map((column) => `"${column}"`).join(", ")})
     VALUES ${jobs.map(() => `(${JOB_INSERT_COLUMNS.map(() => "?").join(", ")})`).join(", ")}`,
    jobs.flat(),
  );
}

const keyOf = (delivery: Pick<DeliveryRecord, "shop" | "webhookId">) => `${delivery.shop}\n${delivery.webhookId}`;
const eventKeyOf = (delivery: Pick<DeliveryRecord, "shop" | "topic" | "eventId">) =>
  `${delivery.shop}\n${delivery.topic}\n${delivery.eventId}\nevent`;

async function idsOf(sql: SqlTransaction, deliveries: DeliveryRecord[]): Promise<Map<string, string>> {
  if (deliveries.length === 0) return new Map();
  const rows = await sql.query<{ id: string; shop: string; webhookId: string; topic: string; eventId: string | null }>(
    `SELECT "id", "shop", "webhookId", "topic", "eventId" FROM "WebhookDelivery"
     WHERE ${deliveries
       .map((d) =>
         d.eventId
           ? `("shop" = ? AND ("webhookId" = ? OR ("topic" = ? AND "eventId" = ?)))`
           : `("shop" = ? AND "webhookId" = ?)`,
       )
       .join(" OR ")}`,
    deliveries.flatMap((d) => (d.eventId ? [d.shop, d.webhookId, d.topic, d.eventId] : [d.shop, d.webhookId])),
  );
  const ids = new Map<string, string>();
  for (const row of rows) {
    ids.set(keyOf(row), row.id);
    if (row.eventId) ids.set(eventKeyOf(row), row.id);
  }
  return ids;
}

/** Null when it is gone (shop/redact) or belongs to another shop. */
export async function loadDelivery(db: Db, shop: string, deliveryId: string) {
  return db.webhookDelivery.findFirst({ where: { id: deliveryId, shop } });
}

/** The raw payload gives way to its reduced form, so no customer data outlives the work. */
export async function markDeliveryProcessed(
  db: Db,
  shop: string,
  deliveryId: string,
  now: Date,
  reduced: string,
): Promise<void> {
  await db.webhookDelivery.updateMany({
    where: { id: deliveryId, shop },
    data: { processedAt: now, payload: reduced, payloadReducedAt: now },
  });
}

/** A delivery whose job has not succeeded keeps its raw payload this long, for diagnosis and the merchant's retry. */
export const DEAD_LETTER_RETENTION_DAYS = 14;

export type PayloadReducer = (topic: string, raw: string) => string;

export async function reduceExpiredPayloads(db: Db, shop: string, now: Date, reduce: PayloadReducer): Promise<number> {
  const before = new Date(now.getTime() - DEAD_LETTER_RETENTION_DAYS * DAY_MS);
  let reduced = 0;
  for (;;) {
    const rows = await db.webhookDelivery.findMany({
      where: { shop, payloadReducedAt: null, receivedAt: { lt: before } },
      select: { id: true, topic: true, payload: true },
      take: 200,
    });
    if (rows.length === 0) return reduced;
    reduced += await reduceDeliveryPayloads(db, shop, rows, now, reduce);
  }
}

export async function reduceDeliveryPayloads(
  db: Db,
  shop: string,
  rows: readonly { id: string; topic: string; payload: string }[],
  now: Date,
  reduce: PayloadReducer,
): Promise<number> {
  if (rows.length === 0) return 0;
  const updates = await db.$transaction(
    rows.map((row) =>
      db.webhookDelivery.updateMany({
        where: { id: row.id, shop },
        data: { payload: reduce(row.topic, row.payload), payloadReducedAt: now },
      }),
    ),
  );
  return updates.reduce((n, update) => n + update.count, 0);
}

/** A coarse filter (any mention, ignoring case); the caller checks each payload exactly. */
export async function rawDeliveriesMentioning(
  db: Db,
  shop: string,
  match: { orderIds: readonly string[]; needles: readonly string[] },
) {
  const or = [
    ...(match.orderIds.length > 0 ? [{ resourceId: { in: [...match.orderIds] } }] : []),
    ...match.needles.filter((needle) => needle !== "").map((needle) => ({ payload: containsText(db, needle) })),
  ];
  if (or.length === 0) return [];
  return db.webhookDelivery.findMany({
    where: { shop, payloadReducedAt: null, OR: or },
    select: { id: true, topic: true, payload: true, receivedAt: true, resourceId: true },
    orderBy: { receivedAt: "asc" },
  });
}

export async function rawPayloadSummary(db: Db, shop: string) {
  const [count, oldest] = await Promise.all([
    db.webhookDelivery.count({ where: { shop, payloadReducedAt: null } }),
    db.webhookDelivery.findFirst({
      where: { shop, payloadReducedAt: null },
      orderBy: { receivedAt: "asc" },
      select: { receivedAt: true },
    }),
  ]);
  return { count, oldestReceivedAt: oldest?.receivedAt ?? null };
}

/** Webhooks come in any order, so callers must cope without it. */
export async function findLatestOrderPayload(db: Db, shop: string, orderId: string): Promise<string | null> {
  const row = await db.webhookDelivery.findFirst({
    where: { shop, resourceId: orderId, topic: { startsWith: "orders/" } },
    orderBy: { receivedAt: "desc" },
    select: { payload: true },
  });
  return row?.payload ?? null;
}
