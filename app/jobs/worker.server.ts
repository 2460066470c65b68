import db from "../db.server";
import { hasPendingDeliveries } from "../models/deliveries.server";
import { handlers } from "./handlers.server";
import { createJobRunner, type JobRunner } from "./runner.server";

declare global {
  // One runner per process, surviving Vite's module reloads in development.
  var __jobRunner: JobRunner | undefined;
}

/** Starts the app's in-process job runner once per process and stops it cleanly on shutdown. */
export function startWorker(): JobRunner {
  if (globalThis.__jobRunner) return globalThis.__jobRunner;
  const runner = createJobRunner({ db, handlers, yieldWhile: () => hasPendingDeliveries(db) });
  globalThis.__jobRunner = runner;
  runner.start();
  const shutdown = () => {
    void runner.stop().finally(() => process.exit(0));
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
  return runner;
}
