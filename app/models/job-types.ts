/**
 * The job runner's contract. Producers (webhook intake, schedules, the admin) enqueue; handlers
 * (app/services) do the work. Delivery is at least once: a handler must be safe to run again.
 */
export interface EnqueueJob {
  shop: string;
  type: string;
  payload: Record<string, unknown>;
  /** Jobs with the same lock key never run at once, e.g. `${shop}|${inventoryItemId}`. */
  lockKey?: string | null;
  /** A second job with the same (shop, dedupeKey) is not enqueued. */
  dedupeKey?: string | null;
  runAt?: Date;
  maxAttempts?: number;
}

export interface JobQueue {
  enqueue(job: EnqueueJob): Promise<{ id: string; duplicate: boolean }>;
}

export interface RunningJob {
  id: string;
  shop: string;
  type: string;
  payload: Record<string, unknown>;
  /** 1 on the first run. */
  attempt: number;
}

export interface JobContext {
  job: RunningJob;
  queue: JobQueue;
  now: () => Date;
}

export type JobHandler = (context: JobContext) => Promise<void>;
export type JobHandlers = Readonly<Record<string, JobHandler>>;
