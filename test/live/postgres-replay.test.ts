import { execFile } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { buildApp } from "../browser/support";
import { TMP_DIR } from "../setup/global-setup";
import { POSTGRES_ADMIN_URL } from "../support/postgres";
import { effectCounts, effectsOf } from "./effects";
import { live, simulated, type LiveRun } from "./runs";
import { ROOT } from "./stack";

/**
 * replay:live on PostgreSQL with four worker processes beside one web process (`--database … --workers 4`), as
 * test/live/replay.test.ts on SQLite: every fixture scenario ends in exactly `simulate --json`'s outcome (one
 * through the CLI, byte for byte); the seed does too with delivery and Admin faults and with a seeded worker
 * killed -9 twice, and Shopify's Admin log then shows the clean run's effects, none doubled. Each run migrates a
 * database of its own on the machine's PostgreSQL and drops it at the end.
 */
const SCENARIOS = path.join(ROOT, "test/fixtures/scenarios");
const FIXTURES = readdirSync(SCENARIOS)
  .filter((name) => name.endsWith(".json") && !name.endsWith(".expected.json"))
  .sort();
const SEED = path.join(SCENARIOS, "seed.json");
const CLI_FIXTURE = "immediate-caps.json";
const FAULTS = "duplicate=0.2,reorder=0.3,drop=0.05,throttle=0.2,error=0.05,seed=7";
const WORKERS = 4;
const RUN_MS = 420_000;
const WORKER_BUILD = path.join(TMP_DIR, `worker-build-live-${process.pid}`);
const onPostgres = { database: POSTGRES_ADMIN_URL, workers: WORKERS, workerEntry: path.join(WORKER_BUILD, "index.js") };

let cleanSeed: Promise<LiveRun> | null = null;
const cleanSeedRun = () => (cleanSeed ??= onPostgresRun(SEED));

// The databases the runs made, by name: each run drops its own at the end.
const made: string[] = [];
async function onPostgresRun(file: string, options: Parameters<typeof live>[1] = {}): Promise<LiveRun> {
  const run = await live(file, { ...onPostgres, ...options });
  made.push(new URL(run.databaseUrl).pathname.slice(1));
  return run;
}

beforeAll(async () => {
  await buildApp();
  await promisify(execFile)(
    process.execPath,
    [
      path.join(ROOT, "node_modules/vite/bin/vite.js"),
      "build",
      "-c",
      "vite.worker.config.ts",
      "--outDir",
      WORKER_BUILD,
    ],
    { cwd: ROOT, env: { ...process.env, NODE_ENV: "production" } },
  );
}, 600_000);

afterAll(async () => {
  rmSync(WORKER_BUILD, { recursive: true, force: true });
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT datname FROM pg_database WHERE datname = ANY($1)", [made]);
    expect(made.every((name) => name.startsWith("replay_"))).toBe(true);
    expect(rows).toEqual([]);
  } finally {
    await client.end();
  }
});

describe(`replay:live --database postgresql://… --workers ${WORKERS} = simulate --json, for every fixture`, () => {
  it("GIVEN the fixtures THEN there are scenarios to play (malformed/ aside)", () => {
    expect(FIXTURES).toContain("seed.json");
    expect(FIXTURES).toContain(CLI_FIXTURE);
    expect(FIXTURES.length).toBeGreaterThanOrEqual(4);
  });

  it.each(FIXTURES.filter((name) => name !== CLI_FIXTURE))(
    "GIVEN %s played through one web and four worker processes on PostgreSQL THEN simulate's outcome, whole",
    async (name) => {
      const file = path.join(SCENARIOS, name);
      const run = name === "seed.json" ? await cleanSeedRun() : await onPostgresRun(file);
      expect(run.appStarts).toBe(1 + WORKERS);
      expect(run.result).toEqual(simulated(file));
    },
    RUN_MS,
  );

  it(
    `GIVEN the CLI with --database and --workers on ${CLI_FIXTURE} THEN stdout is simulate --json's, byte for byte`,
    async () => {
      const file = path.join(SCENARIOS, CLI_FIXTURE);
      const tsx = path.join(ROOT, "node_modules/.bin/tsx");
      const run = promisify(execFile);
      const [replayed, simulate] = await Promise.all([
        run(tsx, ["test/live/replay.ts", file, "--database", POSTGRES_ADMIN_URL, "--workers", String(WORKERS)], {
          cwd: ROOT,
        }),
        run(tsx, ["app/simulator/cli.ts", file, "--json"], { cwd: ROOT }),
      ]);
      expect(replayed.stdout).toBe(simulate.stdout);
      expect(replayed.stderr).toMatch(/^done, [\d.]+ s$/m);
    },
    RUN_MS,
  );
});

describe("replay:live of the seed on PostgreSQL with faults and with worker crashes: the clean run's outcome and effects", () => {
  it(
    `GIVEN --faults ${FAULTS} THEN the outcome is the clean run's and Shopify applied the same holds, releases, edits, refunds and cancels`,
    async () => {
      const [clean, faulty] = [await cleanSeedRun(), await onPostgresRun(SEED, { faults: FAULTS })];
      const deliveries = new Map<string, number>();
      for (const entry of faulty.webhooks)
        if (entry.outcome === "delivered") deliveries.set(entry.webhookId, (deliveries.get(entry.webhookId) ?? 0) + 1);
      expect([...deliveries.values()].some((n) => n > 1)).toBe(true);
      expect(faulty.webhooks.some((entry) => entry.outcome === "dropped")).toBe(true);
      expect(faulty.adminLog.some((entry) => entry.status === 429)).toBe(true);
      expect(faulty.adminLog.some((entry) => entry.status === 503)).toBe(true);

      expect(faulty.result).toEqual(simulated(SEED));
      const cleanEffects = effectCounts(effectsOf(clean.adminLog, clean.state));
      expect(Object.keys(cleanEffects)).toHaveLength(7);
      expect(effectCounts(effectsOf(faulty.adminLog, faulty.state))).toEqual(cleanEffects);
    },
    RUN_MS,
  );

  it(
    "GIVEN --crash 2 (kill -9 of a seeded worker at two points, restarted) THEN the clean run's outcome and effects",
    async () => {
      const [clean, crashed] = [await cleanSeedRun(), await onPostgresRun(SEED, { crashes: 2 })];
      expect(crashed.appStarts).toBe(1 + WORKERS + 2);
      expect(crashed.result).toEqual(simulated(SEED));
      expect(effectCounts(effectsOf(crashed.adminLog, crashed.state))).toEqual(
        effectCounts(effectsOf(clean.adminLog, clean.state)),
      );
    },
    RUN_MS,
  );
});
