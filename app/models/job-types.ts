/** Delivery is at least once: a handler must be safe to run again. */
export interface EnqueueJob {
  shop: string;
  type: string;
  payload: Record<string, unknown>;
  /** Jobs with the same lock key never run at once, e.g. `${shop}|${inventoryItemId}`. */
  lockKey?: string | null;
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
  attempt: number;
}

export interface JobContext {
  job: RunningJob;
  queue: JobQueue;
  now: () => Date;
}

export type JobHandler = (context: JobContext) => Promise<void>;
export type JobHandlers = Readonly<Record<string, JobHandler>>;
