import { randomUUID } from "node:crypto";
import { hostname } from "node:os";

import { clock } from "../clock.server";
import type { Db } from "../db.server";
import { claimNextJob, completeJob, failJob, handBackJobs, reclaimOwnJobs, renewLease } from "../models/jobs.server";
import { createJobQueue } from "./queue.server";
import type { JobHandlers, RunningJob } from "../models/job-types";

export interface JobRunnerOptions {
  db: Db;
  handlers: JobHandlers;
  /** Stable across restarts, so a new run reclaims at once what an earlier run left; one live process per identity. */
  identity?: string;
  workerId?: string;
  /** Lock keys still serialise jobs that share one. */
  concurrency?: number;
  pollMs?: number;
  leaseMs?: number;
  /** The system clock in the app: a local business clock advanced by days must not make every job look orphaned. */
  leaseClock?: () => Date;
  backoff?: { baseMs: number; maxMs: number };
  now?: () => Date;
  random?: () => number;
  logger?: Pick<Console, "warn" | "error">;
  /**
   * While true only one job is in flight: webhook acknowledgements share the event loop and the database and must
   * answer within Shopify's 5 seconds. One job still runs, so a steady stream of webhooks never starves the queue.
   */
  yieldWhile?: () => boolean;
}

export interface JobRunner {
  readonly workerId: string;
  start(): void;
  /** With `graceMs`, jobs still running after it are handed back and it resolves without them; the caller exits. */
  stop(options?: { graceMs?: number }): Promise<{ handedBack: number }>;
  runUntilIdle(): Promise<number>;
  health(): RunnerHealth;
}

export interface RunnerHealth {
  alive: boolean;
  stopping: boolean;
  inFlight: number;
  lastBeatAt: Date | null;
}

const BUSY_REST_MS = 5;

/** One job runner per host (docs/decisions/0007-job-runner.md). */
export function defaultWorkerIdentity(role = "jobs"): string {
  return `${hostname()}:${role}`;
}

const liveHere = new Set<string>();

/**
 * Only the same identity is asked about. On another host it is an earlier run; on this host a live other pid keeps
 * its lease (an overlapping graceful restart), a dead one or our own pid with another nonce (pid 1 after a
 * container restart) is an earlier run.
 */
export function leaseHolderAlive(lockedBy: string): boolean {
  const match = /#([^#]*):(\d+):([^:#]+)$/.exec(lockedBy);
  if (!match) return true;
  const [, host, pidText] = match;
  if (liveHere.has(lockedBy)) return true;
  if (host !== hostname()) return false;
  const pid = Number(pidText);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: a process of another user has that pid; treat it as alive and let its lease run out.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { db, handlers } = options;
  const identity = options.identity ?? defaultWorkerIdentity();
  if (identity.includes("#")) throw new Error(`worker identity must not contain "#": ${JSON.stringify(identity)}`);
  const workerId = options.workerId ?? `${identity}#${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  liveHere.add(workerId);
  const concurrency = options.concurrency ?? 4;
  const pollMs = options.pollMs ?? 250;
  const leaseMs = options.leaseMs ?? 60_000;
  const backoff = options.backoff ?? { baseMs: 2_000, maxMs: 10 * 60_000 };
  const now = options.now ?? clock.now;
  const leaseClock = options.leaseClock ?? now;
  const random = options.random ?? Math.random;
  const logger = options.logger ?? console;
  const types = Object.keys(handlers);
  const queue = createJobQueue(db);

  let stopping = false;
  let loops: Promise<void>[] = [];
  const inFlight = new Set<string>();
  // Real time, like leases: a health check is about this process being alive.
  let lastBeatAt: Date | null = null;
  const beat = () => {
    lastBeatAt = new Date();
  };
  const wakers = new Set<() => void>();

  function retryDelay(attempt: number): number {
    const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
  }

  async function run(job: RunningJob): Promise<void> {
    const handler = handlers[job.type];
    // Long jobs keep their lease, so only a dead worker's jobs are ever taken over.
    const heartbeat = setInterval(
      () => {
        renewLease(db, job.id, workerId, leaseClock()).then(beat, (error: unknown) =>
          logger.warn(`lease renewal failed: ${String(error)}`),
        );
      },
      Math.max(50, Math.floor(leaseMs / 3)),
    );
    inFlight.add(job.id);
    try {
      if (!handler) throw new Error(`no handler for job type ${job.type}`);
      await handler({ job, queue, now });
      await completeJob(db, job.id, workerId, now());
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      const at = now();
      const status = await failJob(db, job.id, workerId, message, new Date(at.getTime() + retryDelay(job.attempt)), at);
      const line = `job ${job.type} ${job.id} (${job.shop}) attempt ${job.attempt} failed: ${message}`;
      if (status === "dead") logger.error(`${line}; dead-lettered`);
      else logger.warn(`${line}; will retry`);
    } finally {
      clearInterval(heartbeat);
      inFlight.delete(job.id);
    }
  }

  // The lanes start together; they share one reclaim, tried again on the next claim if it failed.
  let reclaimed: Promise<void> | null = null;
  function reclaim(): Promise<void> {
    reclaimed ??= reclaimOwnJobs(db, { identity, workerId, now: now(), isAlive: leaseHolderAlive }).then(
      ({ requeued, dead }) => {
        if (requeued + dead > 0)
          logger.warn(`job runner ${workerId}: took back ${requeued + dead} job(s) of an earlier run`);
      },
      (error: unknown) => {
        reclaimed = null;
        throw error;
      },
    );
    return reclaimed;
  }

  let buriedAt = -Infinity;
  /** Lane 0 always claims; the other lanes step aside while `yieldWhile` says so. */
  async function runNext(lane: number): Promise<"ran" | "none" | "stepped aside"> {
    if (lane > 0 && options.yieldWhile?.()) return "stepped aside";
    // Once per run, before its first claim: what an earlier run of this identity was doing when it died.
    await reclaim();
    const at = now();
    const leaseAt = leaseClock();
    // Orphans only appear when a worker dies, so looking for exhausted ones once per half lease is enough.
    const buryOrphans = leaseAt.getTime() - buriedAt >= leaseMs / 2;
    if (buryOrphans) buriedAt = leaseAt.getTime();
    const job = await claimNextJob(db, { workerId, now: at, leaseNow: leaseAt, leaseMs, types, buryOrphans });
    beat();
    if (!job) return "none";
    await run(job);
    return "ran";
  }

  function idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      wakers.add(wake);
    });
  }

  async function loop(lane: number): Promise<void> {
    let misses = 0;
    while (!stopping) {
      let outcome: Awaited<ReturnType<typeof runNext>> = "none";
      try {
        outcome = await runNext(lane);
      } catch (error) {
        logger.warn(`job runner ${workerId}: claiming failed: ${String(error)}`);
      }
      const ran = outcome === "ran";
      // With one shop's backlog running in lane 0, the other lanes find nothing each time, so they look less often.
      if (outcome === "none") misses++;
      else misses = 0;
      if (!ran && !stopping) await idle(lane === 0 || misses === 0 ? pollMs : pollMs * Math.min(8, 2 ** (misses - 1)));
      // While webhooks arrive a short rest between jobs keeps the acknowledgements' tail short.
      else if (options.yieldWhile?.()) await new Promise((resolve) => setTimeout(resolve, BUSY_REST_MS));
      else await new Promise((resolve) => setImmediate(resolve));
    }
  }

  return {
    workerId,
    start() {
      if (loops.length > 0) return;
      stopping = false;
      liveHere.add(workerId);
      loops = Array.from({ length: concurrency }, (_, lane) => loop(lane));
    },
    async stop({ graceMs }: { graceMs?: number } = {}) {
      stopping = true;
      for (const wake of [...wakers]) wake();
      const finished = Promise.all(loops).then(() => true);
      let timer: NodeJS.Timeout | undefined;
      const grace =
        graceMs === undefined
          ? finished
          : new Promise<false>((resolve) => (timer = setTimeout(resolve, graceMs, false)));
      const allFinished = await Promise.race([finished, grace]);
      clearTimeout(timer);
      const handedBack = allFinished ? 0 : await handBackJobs(db, [...inFlight], workerId, now());
      if (handedBack > 0) logger.warn(`job runner ${workerId}: handed back ${handedBack} unfinished job(s)`);
      loops = [];
      liveHere.delete(workerId);
      return { handedBack };
    },
    health() {
      const started = loops.length > 0 && !stopping;
      const fresh = lastBeatAt !== null && Date.now() - lastBeatAt.getTime() <= Math.max(leaseMs, pollMs * 16);
      return { alive: started && fresh, stopping, inFlight: inFlight.size, lastBeatAt };
    },
    async runUntilIdle() {
      let count = 0;
      while ((await runNext(0)) === "ran") count++;
      return count;
    },
  };
}
