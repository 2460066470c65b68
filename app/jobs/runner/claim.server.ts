import { claimNextJob, reclaimOwnJobs } from "../../models/jobs.server";
import { beat, type RunnerSettings, type RunnerState } from "./context";
import { leaseHolderAlive } from "./identity.server";
import { runJob } from "./run-job.server";

export type ClaimOutcome = "ran" | "none" | "stepped aside";

/** Claims the next job for a lane and runs it. Lane 0 always claims; the others step aside while `yieldWhile` says so. */
export function createClaimer(s: RunnerSettings, state: RunnerState): (lane: number) => Promise<ClaimOutcome> {
  const reclaim = reclaimOnce(s);
  let buriedAt = -Infinity;
  return async function runNext(lane) {
    if (lane > 0 && s.yieldWhile?.()) return "stepped aside";
    // Once per run, before its first claim: what an earlier run of this identity was doing when it died.
    await reclaim();
    const at = s.now();
    const leaseAt = s.leaseClock();
    // Orphans only appear when a worker dies, so looking for exhausted ones once per half lease is enough.
    const buryOrphans = leaseAt.getTime() - buriedAt >= s.leaseMs / 2;
    if (buryOrphans) buriedAt = leaseAt.getTime();
    const { db, workerId, leaseMs, types } = s;
    const job = await claimNextJob(db, { workerId, now: at, leaseNow: leaseAt, leaseMs, types, buryOrphans });
    beat(state);
    if (!job) return "none";
    await runJob(s, state, job);
    return "ran";
  };
}

/** The lanes start together; they share one reclaim, tried again on the next claim if it failed. */
function reclaimOnce(s: RunnerSettings): () => Promise<void> {
  const { db, identity, workerId, logger } = s;
  let reclaimed: Promise<void> | null = null;
  return () => {
    reclaimed ??= reclaimOwnJobs(db, { identity, workerId, now: s.now(), isAlive: leaseHolderAlive }).then(
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
  };
}
