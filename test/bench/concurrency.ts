/**
 * `npm run bench:concurrency [-- --orders N] [--seed S] [--workers W] [--database postgresql://…]`: the
 * concurrency proof of test/live/concurrency.ts at full size (1,000 orders, four workers by default) on the
 * machine's PostgreSQL, with its figures: wall time, events and bursts, Shopify samples and idle checks taken,
 * over-allocations found, whether the outcome equals `simulate --json`'s, Admin calls and effects, doubled
 * effects, jobs by status and the killed worker's jobs. Exit 1 when any check fails. Builds the app when its
 * build is older than `app/`, and the worker into .tmp (a test's `remix vite:build` empties build/ meanwhile).
 */
import { execFileSync } from "node:child_process";
import { loadavg } from "node:os";
import path from "node:path";

import { ensureBuild } from "../demo/build";
import { runConcurrency } from "../live/concurrency";
import { ROOT } from "../live/stack";

function option(name: string, fallback: string): string {
  const args = process.argv.slice(2);
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? (args[at + 1] ?? fallback) : fallback;
}

const orders = Number(option("orders", "1000"));
const seed = Number(option("seed", "18"));
const workers = Number(option("workers", "4"));
const database = option("database", process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test");

ensureBuild((line) => process.stderr.write(`${line}\n`));
const workerBuild = path.join(ROOT, ".tmp", `worker-build-bench-${process.pid}`);
execFileSync(
  process.execPath,
  [path.join(ROOT, "node_modules/vite/bin/vite.js"), "build", "-c", "vite.worker.config.ts", "--outDir", workerBuild],
  { cwd: ROOT, stdio: "ignore", env: { ...process.env, NODE_ENV: "production" } },
);
const report = await runConcurrency({
  orders,
  seed,
  workers,
  database,
  workerEntry: path.join(workerBuild, "index.js"),
  progress: (line) => process.stderr.write(`${line}\n`),
});
const { live: _live, simulated: _simulated, ...figures } = report;
const ok =
  report.equalsSimulate &&
  report.overAllocations.length === 0 &&
  report.doubled.length === 0 &&
  report.unfinishedJobs === 0 &&
  report.killed.jobs.length > 0 &&
  report.killed.jobs.every((job) => job.status === "succeeded");
console.log(JSON.stringify({ ...figures, loadAverage: loadavg().map((n) => Number(n.toFixed(2))), ok }, null, 2));
process.exitCode = ok ? 0 : 1;
