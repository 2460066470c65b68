import type { ClaimOutcome } from "./claim.server";
import type { RunnerSettings, RunnerState } from "./context";

const BUSY_REST_MS = 5;

/** One lane: claim and run, rest, again, until the runner stops. */
export async function runLane(
  s: RunnerSettings,
  state: RunnerState,
  runNext: (lane: number) => Promise<ClaimOutcome>,
  lane: number,
): Promise<void> {
  const { pollMs } = s;
  let misses = 0;
  while (!state.stopping) {
    let outcome: ClaimOutcome = "none";
    try {
      outcome = await runNext(lane);
    } catch (error) {
      s.logger.warn(`job runner ${s.workerId}: claiming failed: ${String(error)}`);
    }
    const ran = outcome === "ran";
    // With one shop's backlog running in lane 0, the other lanes find nothing each time, so they look less often.
    if (outcome === "none") misses++;
    else misses = 0;
    if (!ran && !state.stopping)
      await idle(state, lane === 0 || misses === 0 ? pollMs : pollMs * Math.min(8, 2 ** (misses - 1)));
    // While webhooks arrive a short rest between jobs keeps the acknowledgements' tail short.
    else if (s.yieldWhile?.()) await new Promise((resolve) => setTimeout(resolve, BUSY_REST_MS));
    else await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Waits `ms`, or less if the runner stops meanwhile. */
function idle(state: RunnerState, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      state.wakers.delete(wake);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    state.wakers.add(wake);
  });
}
