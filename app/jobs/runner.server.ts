import { clock } from "../clock.server";
import type { Db } from "../db.server";
import { createJobQueue } from "./queue.server";
import { createClaimer } from "./runner/claim.server";
import { newRunnerState, type RunnerSettings, type RunnerState } from "./runner/context";
import { checkIdentity, defaultWorkerIdentity, markLive, newWorkerId } from "./runner/identity.server";
import { runLane } from "./runner/lanes.server";
import { stopRunner } from "./runner/shutdown.server";
import type { JobHandlers } from "../models/job-types";

export { defaultWorkerIdentity, leaseHolderAlive } from "./runner/identity.server";

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

/**
 * The runner's parts, each in app/jobs/runner: claiming and the lanes' polling, running one job under its lease,
 * taking back an earlier run's jobs, and the shutdown that hands back what is still running.
 */
export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const s = settingsOf(options);
  markLive(s.workerId);
  const state = newRunnerState();
  const runNext = createClaimer(s, state);
  return {
    workerId: s.workerId,
    start() {
      if (state.loops.length > 0) return;
      state.stopping = false;
      markLive(s.workerId);
      state.loops = Array.from({ length: s.concurrency }, (_, lane) => runLane(s, state, runNext, lane));
    },
    stop: ({ graceMs } = {}) => stopRunner(s, state, graceMs),
    health: () => healthOf(s, state),
    async runUntilIdle() {
      let count = 0;
      while ((await runNext(0)) === "ran") count++;
      return count;
    },
  };
}

function settingsOf(options: JobRunnerOptions): RunnerSettings {
  const { db, handlers } = options;
  const identity = options.identity ?? defaultWorkerIdentity();
  checkIdentity(identity);
  const now = options.now ?? clock.now;
  return {
    db,
    handlers,
    types: Object.keys(handlers),
    queue: createJobQueue(db),
    identity,
    workerId: options.workerId ?? newWorkerId(identity),
    concurrency: options.concurrency ?? 4,
    pollMs: options.pollMs ?? 250,
    leaseMs: options.leaseMs ?? 60_000,
    leaseClock: options.leaseClock ?? now,
    backoff: options.backoff ?? { baseMs: 2_000, maxMs: 10 * 60_000 },
    now,
    random: options.random ?? Math.random,
    logger: options.logger ?? console,
    yieldWhile: options.yieldWhile,
  };
}

function healthOf({ leaseMs, pollMs }: RunnerSettings, state: RunnerState): RunnerHealth {
  const { stopping, inFlight, lastBeatAt } = state;
  const started = state.loops.length > 0 && !stopping;
  const fresh = lastBeatAt !== null && Date.now() - lastBeatAt.getTime() <= Math.max(leaseMs, pollMs * 16);
  return { alive: started && fresh, stopping, inFlight: inFlight.size, lastBeatAt };
}
