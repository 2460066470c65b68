/**
 * A worker process for test/jobs/crash.test.ts: runs the app's job runner over DATABASE_URL with one job
 * type whose two effects (HTTP calls to EFFECT_URL) go through applyOnce, with a pause between them where
 * the test kills the process. Prints `mid <jobId>` when a job reaches the pause.
 */
import db from "../../app/db.server";
import { createJobRunner } from "../../app/jobs/runner.server";
import { applyOnce } from "../../app/models/ledger.server";

const effectUrl = process.env.EFFECT_URL;
if (!effectUrl) throw new Error("EFFECT_URL is missing");

async function effect(key: string): Promise<{ applied: string }> {
  const response = await fetch(`${effectUrl}/effect?key=${encodeURIComponent(key)}`, { method: "POST" });
  if (!response.ok) throw new Error(`effect ${key}: HTTP ${response.status}`);
  return { applied: key };
}

const runner = createJobRunner({
  db,
  concurrency: 1,
  pollMs: 20,
  leaseMs: 1_000,
  handlers: {
    "crash:two-effects": async ({ job }) => {
      await applyOnce(db, job.shop, `${job.id}:first`, "test-effect", effect);
      console.info(`mid ${job.id} attempt ${job.attempt}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await applyOnce(db, job.shop, `${job.id}:second`, "test-effect", effect);
    },
  },
});

runner.start();
console.info("ready");
process.once("SIGTERM", () => {
  void runner.stop().then(() => process.exit(0));
});
