import { followLocalClock, isLocalClock, syncClock } from "../clock.server";
import db from "../db.server";
import { env } from "../env.server";
import { intakeBusy } from "../models/deliveries.server";
import { createJobQueue } from "./queue.server";
import { createJobRunner, defaultWorkerIdentity, type JobRunner } from "./runner.server";
import { shopTimeZones, startSchedule } from "./schedule.server";
import type { JobHandlers } from "../models/job-types";

export interface Jobs {
  runner: JobRunner;
  stop(graceMs: number): Promise<{ handedBack: number }>;
}

declare global {
  // One runner per process, surviving Vite's module reloads in development.
  var __jobs: Jobs | undefined;
}

export function runningJobs(): Jobs | undefined {
  return globalThis.__jobs;
}

/** Each period's jobs have their own dedupe key, so they are enqueued once however many processes tick. */
export function startJobs(handlers: JobHandlers): Jobs {
  if (globalThis.__jobs) return globalThis.__jobs;
  const runner = createJobRunner({
    db,
    handlers,
    identity: env.WORKER_ID ?? defaultWorkerIdentity(),
    leaseClock: () => new Date(),
    yieldWhile: () => intakeBusy(db),
  });
  let stopSchedule = () => {};
  let stopClock = () => {};
  const begin = () => {
    stopClock = followLocalClock();
    runner.start();
    stopSchedule = startSchedule({ db, queue: createJobQueue(db), timeZoneFor: shopTimeZones(db) });
  };
  // In local mode no job may run on the system clock: the first read of Local Shopify's clock comes first.
  if (isLocalClock())
    syncClock().then(begin, (error: unknown) => {
      console.error(`cannot read the local clock: ${String(error)}`);
      process.exit(1);
    });
  else begin();
  const jobs: Jobs = {
    runner,
    stop(graceMs) {
      stopSchedule();
      stopClock();
      return runner.stop({ graceMs });
    },
  };
  globalThis.__jobs = jobs;
  return jobs;
}
