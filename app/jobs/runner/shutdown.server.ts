import { handBackJobs } from "../../models/jobs.server";
import type { RunnerSettings, RunnerState } from "./context";
import { markGone } from "./identity.server";

/** Stops the lanes; with `graceMs`, jobs still running after it are handed back and it resolves without them. */
export async function stopRunner(
  s: RunnerSettings,
  state: RunnerState,
  graceMs: number | undefined,
): Promise<{ handedBack: number }> {
  state.stopping = true;
  for (const wake of [...state.wakers]) wake();
  const finished = Promise.all(state.loops).then(() => true);
  let timer: NodeJS.Timeout | undefined;
  const grace =
    graceMs === undefined ? finished : new Promise<false>((resolve) => (timer = setTimeout(resolve, graceMs, false)));
  const allFinished = await Promise.race([finished, grace]);
  clearTimeout(timer);
  const handedBack = allFinished ? 0 : await handBackJobs(s.db, [...state.inFlight], s.workerId, s.now());
  if (handedBack > 0) s.logger.warn(`job runner ${s.workerId}: handed back ${handedBack} unfinished job(s)`);
  state.loops = [];
  markGone(s.workerId);
  return { handedBack };
}
