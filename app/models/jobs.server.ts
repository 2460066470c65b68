import { clock } from "../clock.server";
import { providerOf, sqlTransaction, type Db, type SqlTransaction, type SqlValue } from "../db.server";
import { Prisma, type Job } from "../generated/prisma/client";
import type { EnqueueJob, RunningJob } from "./job-types";

export type DbClient = Db | Prisma.TransactionClient;

export type JobStatus = "queued" | "running" | "succeeded" | "dead";

export const DEFAULT_MAX_ATTEMPTS = 8;

export function jobCreateInput(job: EnqueueJob): Prisma.JobUncheckedCreateInput {
  if (!job.shop) throw new Error("job.shop is empty");
  if (!job.type) throw new Error("job.type is empty");
  const maxAttempts = job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new Error(`job.maxAttempts must be a positive integer, got ${maxAttempts}`);
  }
  return {
    shop: job.shop,
    type: job.type,
    payload: JSON.stringify(job.payload),
    lockKey: job.lockKey ?? null,
    dedupeKey: job.dedupeKey ?? null,
    maxAttempts,
    // Business time, not the database's: in local mode the app's clock is Local Shopify's.
    runAt: job.runAt ?? clock.now(),
  };
}

/** For the webhook intake's plain-SQL insert. */
export const JOB_INSERT_COLUMNS = [
  "id",
  "shop",
  "type",
  "payload",
  "lockKey",
  "dedupeKey",
  "maxAttempts",
  "runAt",
  "createdAt",
  "updatedAt",
] as const;

export function jobInsertValues(id: string, job: EnqueueJob, now: Date): SqlValue[] {
  const data = jobCreateInput(job);
  return [
    id,
    data.shop,
    data.type,
    data.payload ?? "{}",
    data.lockKey ?? null,
    data.dedupeKey ?? null,
    data.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    job.runAt ?? now,
    now,
    now,
  ];
}

export async function insertJob(db: DbClient, job: EnqueueJob): Promise<{ id: string; duplicate: boolean }> {
  const data = jobCreateInput(job);
  const existing = async () =>
    job.dedupeKey
      ? db.job.findUnique({
          where: { shop_dedupeKey: { shop: job.shop, dedupeKey: job.dedupeKey } },
          select: { id: true },
        })
      : null;
  const found = await existing();
  if (found) return { id: found.id, duplicate: true };
  try {
    const { id } = await db.job.create({ data, select: { id: true } });
    return { id, duplicate: false };
  } catch (error) {
    const raced = isUniqueViolation(error) ? await existing() : null;
    if (raced) return { id: raced.id, duplicate: true };
    throw error;
  }
}

/** When no job exists yet a succeeded row takes its key, so a later enqueue of it is a duplicate. */
export async function settleDedupedJob(
  db: DbClient,
  job: { shop: string; type: string; dedupeKey: string; payload: Record<string, unknown> },
  now: Date,
): Promise<void> {
  const where = { shop: job.shop, dedupeKey: job.dedupeKey, status: "queued" };
  const done = { status: "succeeded", lastError: null, updatedAt: now };
  const { count } = await db.job.updateMany({ where, data: done });
  if (count > 0) return;
  try {
    await db.job.create({
      data: {
        shop: job.shop,
        type: job.type,
        dedupeKey: job.dedupeKey,
        payload: JSON.stringify(job.payload),
        runAt: now,
        ...done,
      },
    });
  } catch (error) {
    // Enqueued meanwhile, or settled or run already: a queued one is settled, anything else stays as it is.
    if (!isUniqueViolation(error)) throw error;
    await db.job.updateMany({ where, data: done });
  }
}

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

export interface ClaimOptions {
  workerId: string;
  now: Date;
  /** Leases are about processes, which live in real time. */
  leaseNow?: Date;
  leaseMs: number;
  /** A job no handler knows waits instead of burning its attempts. */
  types: readonly string[];
  /** Also dead-letter orphans that had used their last attempt (a write; the runner does it now and then). */
  buryOrphans?: boolean;
}

/**
 * Orphans (expired leases) first. The final UPDATE … RETURNING re-checks the lock, so two workers can never claim
 * the same job or run two jobs of one lock key.
 */
export async function claimNextJob(db: Db, options: ClaimOptions): Promise<RunningJob | null> {
  if (options.types.length === 0) return null;
  const leaseFloor = new Date((options.leaseNow ?? options.now).getTime() - options.leaseMs);
  if (options.buryOrphans ?? true) await buryExhaustedOrphans(db, options.now, leaseFloor);
  if (providerOf(db) === "postgresql") return claimOnPostgres(db, options, leaseFloor);
  // Another worker may take the chosen job first: then look again rather than idle.
  for (let tries = 0; tries < 3; tries++) {
    const claimed = await claimOnce(db, options, leaseFloor);
    if (claimed !== "lost") return claimed;
  }
  return null;
}

async function claimOnce(db: Db, options: ClaimOptions, leaseFloor: Date): Promise<RunningJob | null | "lost"> {
  const { now } = options;
  const running = await db.job.findMany({
    where: { status: "running" },
    select: { id: true, type: true, lockKey: true, lockedAt: true, attempts: true, maxAttempts: true },
  });
  const held = new Set(
    running.flatMap((job) => (job.lockedAt && job.lockedAt >= leaseFloor && job.lockKey ? [job.lockKey] : [])),
  );
  const types = new Set(options.types);
  const free = (lockKey: string | null) => lockKey === null || !held.has(lockKey);
  const orphan = running.find(
    (job) =>
      job.lockedAt &&
      job.lockedAt < leaseFloor &&
      types.has(job.type) &&
      job.attempts < job.maxAttempts &&
      free(job.lockKey),
  );
  const candidate =
    orphan ??
    (await db.job.findFirst({
      where: {
        status: "queued",
        runAt: { lte: now },
        type: { in: [...types] },
        ...(held.size > 0 ? { OR: [{ lockKey: null }, { lockKey: { notIn: [...held] } }] } : {}),
      },
      orderBy: [{ runAt: "asc" }, { createdAt: "asc" }],
      select: { id: true, lockKey: true },
    }));
  if (!candidate) return null;
  return (await takeJob(db, candidate, options.workerId, now, options.leaseNow ?? now, leaseFloor)) ?? "lost";
}

/** One statement is enough: writers take turns on the file, so the lock re-check sees every committed claim. */
async function takeJob(
  db: Db,
  job: { id: string; lockKey: string | null },
  workerId: string,
  now: Date,
  leaseNow: Date,
  leaseFloor: Date,
): Promise<RunningJob | null> {
  const [row] = await claimStatement(db, job.id, workerId, now, leaseNow, leaseFloor);
  if (!row) return null;
  return {
    id: row.id,
    shop: row.shop,
    type: row.type,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    attempt: Number(row.attempts),
  };
}

function claimStatement(db: Db, id: string, workerId: string, now: Date, leaseNow: Date, leaseFloor: Date) {
  return db.$queryRaw<Pick<Job, "id" | "shop" | "type" | "payload" | "attempts">[]>`
    UPDATE "Job" SET "status" = 'running', "lockedAt" = ${leaseNow}, "lockedBy" = ${workerId},
      "attempts" = "attempts" + 1, "updatedAt" = ${now}
    WHERE "id" = ${id}
      AND (("status" = 'queued' AND "runAt" <= ${now}) OR ("status" = 'running' AND "lockedAt" < ${leaseFloor}))
      AND ("lockKey" IS NULL OR NOT EXISTS (
        SELECT 1 FROM "Job" r
        WHERE r."lockKey" = "Job"."lockKey" AND r."status" = 'running' AND r."lockedAt" >= ${leaseFloor}
          AND r."id" <> "Job"."id"))
    RETURNING "id", "shop", "type", "payload", "attempts"`;
}

const KEY_HELD = `SELECT 1 FROM "Job" r
  WHERE r."lockKey" = j."lockKey" AND r."status" = 'running' AND r."lockedAt" >= ? AND r."id" <> j."id"`;

/** Each one being claimed elsewhere right now. */
const CLAIM_TRIES = 4;

/**
 * docs/decisions/0025-postgresql-queue.md: with the key's advisory lock held, any earlier claim of the key has
 * committed, so the UPDATE's re-check of the key sees it.
 */
async function claimOnPostgres(db: Db, options: ClaimOptions, leaseFloor: Date): Promise<RunningJob | null> {
  const { now, workerId, types } = options;
  return sqlTransaction(db, async (sql) => {
    const busyKeys: string[] = [];
    for (let tries = 0; tries < CLAIM_TRIES; tries++) {
      const [candidate] = await sql.query<{ id: string; lockKey: string | null }>(
        `SELECT j."id", j."lockKey" FROM "Job" j
         WHERE j."type" IN (${types.map(() => "?").join(", ")})
           AND ((j."status" = 'queued' AND j."runAt" <= ?)
             OR (j."status" = 'running' AND j."lockedAt" < ? AND j."attempts" < j."maxAttempts"))
           AND (j."lockKey" IS NULL OR (NOT EXISTS (${KEY_HELD})${busyKeys.map(() => ` AND j."lockKey" <> ?`).join("")}))
         ORDER BY (j."status" = 'running') DESC, j."runAt", j."createdAt"
         LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [...types, now, leaseFloor, leaseFloor, ...busyKeys],
      );
      if (!candidate) return null;
      if (candidate.lockKey !== null && !(await tryKeyLock(sql, candidate.lockKey))) {
        busyKeys.push(candidate.lockKey);
        continue;
      }
      const claimed = await claimRow(sql, candidate.id, workerId, now, options.leaseNow ?? now, leaseFloor);
      // Not claimed: a claim of its key committed after this transaction's look; the key is taken now.
      if (claimed) return claimed;
      if (candidate.lockKey !== null) busyKeys.push(candidate.lockKey);
    }
    return null;
  });
}

async function tryKeyLock(sql: SqlTransaction, lockKey: string): Promise<boolean> {
  const [row] = await sql.query<{ locked: unknown }>(
    `SELECT pg_try_advisory_xact_lock(hashtextextended(?, 0)) AS "locked"`,
    [lockKey],
  );
  return row?.locked === true;
}

async function claimRow(
  sql: SqlTransaction,
  id: string,
  workerId: string,
  now: Date,
  leaseNow: Date,
  leaseFloor: Date,
): Promise<RunningJob | null> {
  const [row] = await sql.query<{ id: string; shop: string; type: string; payload: string; attempts: number }>(
    `UPDATE "Job" j SET "status" = 'running', "lockedAt" = ?, "lockedBy" = ?, "attempts" = j."attempts" + 1,
       "updatedAt" = ?
     WHERE j."id" = ? AND (j."lockKey" IS NULL OR NOT EXISTS (${KEY_HELD}))
     RETURNING j."id", j."shop", j."type", j."payload", j."attempts"`,
    [leaseNow, workerId, now, id, leaseFloor],
  );
  if (!row) return null;
  const payload = JSON.parse(row.payload) as Record<string, unknown>;
  return { id: row.id, shop: row.shop, type: row.type, payload, attempt: Number(row.attempts) };
}

async function buryExhaustedOrphans(db: Db, now: Date, leaseFloor: Date): Promise<void> {
  await db.job.updateMany({
    where: { status: "running", lockedAt: { lt: leaseFloor }, attempts: { gte: db.job.fields.maxAttempts } },
    data: {
      status: "dead",
      lockedAt: null,
      lockedBy: null,
      lastError: "the worker stopped during the last attempt (lease expired)",
      updatedAt: now,
    },
  });
}

/** docs/decisions/0007-job-runner.md (addendum). Jobs of other identities keep their leases. */
export async function reclaimOwnJobs(
  db: Db,
  options: { identity: string; workerId: string; now: Date; isAlive: (lockedBy: string) => boolean },
): Promise<{ requeued: number; dead: number }> {
  const prefix = `${options.identity}#`;
  const held = await db.job.findMany({
    where: { status: "running", lockedBy: { startsWith: prefix } },
    select: { id: true, lockedBy: true, attempts: true, maxAttempts: true },
  });
  let requeued = 0;
  let dead = 0;
  for (const job of held) {
    const lockedBy = job.lockedBy ?? "";
    // startsWith is a LIKE on SQLite: the prefix is checked again here, exactly.
    if (!lockedBy.startsWith(prefix) || lockedBy === options.workerId || options.isAlive(lockedBy)) continue;
    const last = job.attempts >= job.maxAttempts;
    const { count } = await db.job.updateMany({
      where: { id: job.id, status: "running", lockedBy },
      data: last
        ? {
            status: "dead",
            lockedAt: null,
            lockedBy: null,
            lastError: "the worker stopped during the last attempt (restarted)",
            updatedAt: options.now,
          }
        : // runAt stays: the job keeps its place in the queue (it was due when it was claimed).
          { status: "queued", lockedAt: null, lockedBy: null, updatedAt: options.now },
    });
    if (count === 1 && last) dead++;
    else if (count === 1) requeued++;
  }
  return { requeued, dead };
}

/** The attempt is given back (the job did not fail), so another worker runs it at once. */
export async function handBackJobs(db: Db, ids: readonly string[], workerId: string, now: Date): Promise<number> {
  if (ids.length === 0) return 0;
  const { count } = await db.job.updateMany({
    where: { id: { in: [...ids] }, lockedBy: workerId, status: "running" },
    data: { status: "queued", lockedAt: null, lockedBy: null, attempts: { decrement: 1 }, updatedAt: now },
  });
  return count;
}

/** False when the lease was lost (taken over or stopped). */
export async function renewLease(db: Db, id: string, workerId: string, now: Date): Promise<boolean> {
  const { count } = await db.job.updateMany({
    where: { id, lockedBy: workerId, status: "running" },
    data: { lockedAt: now },
  });
  return count === 1;
}

export async function completeJob(db: Db, id: string, workerId: string, now: Date): Promise<void> {
  await db.job.updateMany({
    where: { id, lockedBy: workerId, status: "running" },
    data: { status: "succeeded", lockedAt: null, lockedBy: null, lastError: null, updatedAt: now },
  });
}

export async function failJob(
  db: Db,
  id: string,
  workerId: string,
  error: string,
  retryAt: Date,
  now: Date,
): Promise<JobStatus | null> {
  const job = await db.job.findFirst({ where: { id, lockedBy: workerId, status: "running" } });
  if (!job) return null;
  const status: JobStatus = job.attempts >= job.maxAttempts ? "dead" : "queued";
  await db.job.updateMany({
    where: { id, lockedBy: workerId, status: "running" },
    data: {
      status,
      runAt: status === "queued" ? retryAt : job.runAt,
      lockedAt: null,
      lockedBy: null,
      lastError: error.slice(0, 4000),
      updatedAt: now,
    },
  });
  return status;
}

export async function retryDeadJob(db: Db, shop: string, id: string, now: Date = clock.now()): Promise<boolean> {
  const job = await db.job.findFirst({ where: { id, shop, status: "dead" }, select: { maxAttempts: true } });
  if (!job) return false;
  const { count } = await db.job.updateMany({
    where: { id, shop, status: "dead" },
    data: {
      status: "queued",
      attempts: 0,
      maxAttempts: Math.max(job.maxAttempts, 1),
      runAt: now,
      lastError: null,
      updatedAt: now,
    },
  });
  return count === 1;
}

export async function listDeadJobs(db: Db, shop: string) {
  return db.job.findMany({
    where: { shop, status: "dead" },
    orderBy: { updatedAt: "desc" },
    select: { id: true, type: true, attempts: true, lastError: true, createdAt: true, updatedAt: true },
  });
}

export const STOPPED_BY_UNINSTALL = "stopped: the app was uninstalled";

/**
 * Uninstall: the token is dead. Pending jobs become dead (visible, retryable after a reinstall); a running one
 * finishes its attempt and is not retried.
 */
export async function stopShopJobs(db: Db, shop: string, now: Date = clock.now()): Promise<{ stopped: number }> {
  const { count } = await db.job.updateMany({
    where: { shop, status: "queued" },
    data: { status: "dead", maxAttempts: 0, lastError: STOPPED_BY_UNINSTALL, updatedAt: now },
  });
  await db.job.updateMany({ where: { shop, status: "running" }, data: { maxAttempts: 0, updatedAt: now } });
  return { stopped: count };
}

export async function jobActivity(
  db: Db,
  shop: string,
  now: Date,
  dueWithinMs = 0,
): Promise<{ running: number; due: number; nextRunAt: Date | null; nextRetryAt: Date | null }> {
  const dueBy = new Date(now.getTime() + dueWithinMs);
  const [running, due, next, retry] = await Promise.all([
    db.job.count({ where: { shop, status: "running" } }),
    db.job.count({ where: { shop, status: "queued", runAt: { lte: dueBy } } }),
    db.job.findFirst({ where: { shop, status: "queued" }, orderBy: { runAt: "asc" }, select: { runAt: true } }),
    // A job that failed and waits for its retry: the work it was doing is not done.
    db.job.findFirst({
      where: { shop, status: "queued", attempts: { gt: 0 } },
      orderBy: { runAt: "asc" },
      select: { runAt: true },
    }),
  ]);
  return { running, due, nextRunAt: next?.runAt ?? null, nextRetryAt: retry?.runAt ?? null };
}

export async function hasDedupedJob(db: Db, shop: string, dedupeKey: string): Promise<boolean> {
  return (await db.job.count({ where: { shop, dedupeKey } })) > 0;
}

export async function openJobKeys(db: Db, shop: string, prefix: string): Promise<string[]> {
  const jobs = await db.job.findMany({
    where: { shop, dedupeKey: { startsWith: prefix }, status: { in: ["queued", "running"] } },
    select: { dedupeKey: true },
  });
  return jobs.flatMap((job) => (job.dedupeKey ? [job.dedupeKey] : []));
}
