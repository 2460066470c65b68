/**
 * A `npm run worker` process for test/jobs/roles.test.ts: the app's worker process (runner, schedule, health
 * listener, SIGTERM handling) with one job type whose two effects go through applyOnce, and between them a wait
 * on GATE_URL that the test answers when it wants the job to go on. Prints `health <port>` when it listens and
 * `mid <jobId>` when a job waits at the gate.
 */
import db from "../../app/db.server";
import { applyOnce } from "../../app/models/ledger.server";
import { runWorkerProcess } from "../../app/process/worker.server";

const gateUrl = process.env.GATE_URL;
if (!gateUrl) throw new Error("GATE_URL is missing");

async function effect(key: string): Promise<{ applied: string }> {
  const response = await fetch(`${gateUrl}/effect?key=${encodeURIComponent(key)}`, { method: "POST" });
  if (!response.ok) throw new Error(`effect ${key}: HTTP ${response.status}`);
  return { applied: key };
}

const { healthPort } = await runWorkerProcess({
  "roles:gated": async ({ job }) => {
    await applyOnce(db, job.shop, `${job.id}:first`, "test-effect", effect);
    console.info(`mid ${job.id}`);
    await fetch(`${gateUrl}/gate?job=${job.id}`);
    await applyOnce(db, job.shop, `${job.id}:second`, "test-effect", effect);
  },
});
console.info(`health ${healthPort}`);
