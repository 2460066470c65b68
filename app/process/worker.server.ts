import { isLocalClock, syncClock } from "../clock.server";
import db from "../db.server";
import { env } from "../env.server";
import type { JobHandlers } from "../models/job-types";
import { startJobs } from "../jobs/worker.server";
import { listenHealth, portOf, workerHealth } from "./health.server";
import { exitOnSignals } from "./shutdown.server";

/** On SIGTERM the jobs in flight get SHUTDOWN_GRACE_MS, the rest are handed back; health answers 503 meanwhile. */
export async function runWorkerProcess(handlers: JobHandlers): Promise<{ healthPort: number }> {
  if (env.APP_ROLE === "web")
    throw new Error("APP_ROLE=web serves only and runs no jobs: a worker needs APP_ROLE=worker (or all)");
  const jobs = startJobs(handlers);
  const server = await listenHealth(
    env.WORKER_HEALTH_PORT,
    env.HOST,
    () => workerHealth(jobs.runner.health()),
    isLocalClock() ? syncClock : undefined,
  );
  exitOnSignals(async (signal) => {
    const { handedBack } = await jobs.stop(env.SHUTDOWN_GRACE_MS);
    console.info(`worker: stopped on ${signal}${handedBack > 0 ? `, ${handedBack} job(s) handed back` : ""}`);
    // A handed-back job may already run in another worker: exit now, before its handler here goes any further.
    if (handedBack > 0) return;
    await new Promise((resolve) => server.close(resolve));
    await db.$disconnect();
  });
  return { healthPort: portOf(server) };
}
