import { followLocalClock, isLocalClock, syncClock } from "../clock.server";
import db from "../db.server";
import { env } from "../env.server";
import { intakeBusy } from "../models/deliveries.server";
import { handlers } from "./handlers.server";
import { createJobQueue } from "./queue.server";
import { createJobRunner, defaultWorkerIdentity, type JobRunner } from "./runner.server";
import { shopTimeZones, startSchedule } from "./schedule.server";

declare global {
  // One runner per process, surviving Vite's module reloads in development.
  var __jobRunner: JobRunner | undefined;
}

/**
 * Starts the app's in-process job runner and its schedule (deadline sweep, reconciliation, batch cut-off)
 * once per process, and stops both cleanly on shutdown.
 */
export function startWorker(): JobRunner {
  if (globalThis.__jobRunner) return globalThis.__jobRunner;
  const runner = createJobRunner({
    db,
    handlers,
    identity: env.WORKER_ID ?? defaultWorkerIdentity(),
    leaseClock: () => new Date(),
    yieldWhile: () => intakeBusy(db),
  });
  globalThis.__jobRunner = runner;
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
  const shutdown = () => {
    stopSchedule();
    stopClock();
    void runner.stop().finally(() => process.exit(0));
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
  return runner;
}
