import type { Db } from "../../db.server";
import type { JobHandlers, JobQueue } from "../../models/job-types";

/** A runner's options with their defaults filled in, fixed for its life. */
export interface RunnerSettings {
  db: Db;
  handlers: JobHandlers;
  /** The job types it claims: those it has a handler for. */
  types: string[];
  queue: JobQueue;
  identity: string;
  workerId: string;
  concurrency: number;
  pollMs: number;
  leaseMs: number;
  leaseClock: () => Date;
  backoff: { baseMs: number; maxMs: number };
  now: () => Date;
  random: () => number;
  logger: Pick<Console, "warn" | "error">;
  yieldWhile?: () => boolean;
}

/** What the lanes, the shutdown and the health check share while the runner lives. */
export interface RunnerState {
  stopping: boolean;
  loops: Promise<void>[];
  inFlight: Set<string>;
  // Real time, like leases: a health check is about this process being alive.
  lastBeatAt: Date | null;
  /** Idle lanes' wake-ups, so a stop does not wait out their poll. */
  wakers: Set<() => void>;
}

export function newRunnerState(): RunnerState {
  return { stopping: false, loops: [], inFlight: new Set(), lastBeatAt: null, wakers: new Set() };
}

export function beat(state: RunnerState): void {
  state.lastBeatAt = new Date();
}
