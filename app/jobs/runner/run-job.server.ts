import { completeJob, failJob, renewLease } from "../../models/jobs.server";
import type { RunningJob } from "../../models/job-types";
import { beat, type RunnerSettings, type RunnerState } from "./context";

/** Runs one claimed job to its end: completed, failed to be retried after a backoff, or dead-lettered. */
export async function runJob(s: RunnerSettings, state: RunnerState, job: RunningJob): Promise<void> {
  const handler = s.handlers[job.type];
  const heartbeat = keepLease(s, state, job);
  state.inFlight.add(job.id);
  try {
    if (!handler) throw new Error(`no handler for job type ${job.type}`);
    await handler({ job, queue: s.queue, now: s.now });
    await completeJob(s.db, job.id, s.workerId, s.now());
  } catch (error) {
    await recordFailure(s, job, error);
  } finally {
    clearInterval(heartbeat);
    state.inFlight.delete(job.id);
  }
}

/** Long jobs keep their lease, so only a dead worker's jobs are ever taken over. */
function keepLease(s: RunnerSettings, state: RunnerState, job: RunningJob): NodeJS.Timeout {
  return setInterval(
    () => {
      renewLease(s.db, job.id, s.workerId, s.leaseClock()).then(
        () => beat(state),
        (error: unknown) => s.logger.warn(`lease renewal failed: ${String(error)}`),
      );
    },
    Math.max(50, Math.floor(s.leaseMs / 3)),
  );
}

async function recordFailure(s: RunnerSettings, job: RunningJob, error: unknown): Promise<void> {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const at = s.now();
  const retryAt = new Date(at.getTime() + retryDelay(s, job.attempt));
  const status = await failJob(s.db, job.id, s.workerId, message, retryAt, at);
  const line = `job ${job.type} ${job.id} (${job.shop}) attempt ${job.attempt} failed: ${message}`;
  if (status === "dead") s.logger.error(`${line}; dead-lettered`);
  else s.logger.warn(`${line}; will retry`);
}

/** Exponential with half jitter: between half the ceiling and the ceiling. */
function retryDelay({ backoff, random }: RunnerSettings, attempt: number): number {
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
