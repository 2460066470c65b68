import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

import { beforeAll, describe, expect, it } from "vitest";

import { buildApp } from "../browser/support";
import { effectCounts, effectsOf } from "./effects";
import { live, simulated, type LiveRun } from "./runs";
import { ROOT } from "./stack";

/**
 * replay:live against the simulator: every fixture scenario played through the live stack (Local Shopify and the
 * built app as processes) ends in exactly `simulate --json`'s per-line outcome; the seed does too with delivery
 * and Admin faults and with the app killed -9 twice, and Shopify's Admin log then shows the clean run's effects,
 * none doubled.
 */
const SCENARIOS = path.join(ROOT, "test/fixtures/scenarios");
const FIXTURES = readdirSync(SCENARIOS)
  .filter((name) => name.endsWith(".json") && !name.endsWith(".expected.json"))
  .sort();
const SEED = path.join(SCENARIOS, "seed.json");
const FAULTS = "duplicate=0.2,reorder=0.3,drop=0.05,throttle=0.2,error=0.05,seed=7";
const RUN_MS = 240_000;

let cleanSeed: Promise<LiveRun> | null = null;
const cleanSeedRun = () => (cleanSeed ??= live(SEED));

beforeAll(async () => {
  await buildApp();
}, 600_000);

describe("replay:live = simulate --json, for every fixture scenario", () => {
  it("GIVEN the fixtures THEN there are scenarios to play (malformed/ aside)", () => {
    expect(FIXTURES).toContain("seed.json");
    expect(FIXTURES.length).toBeGreaterThanOrEqual(4);
  });

  it.each(FIXTURES)(
    "GIVEN %s played through the live stack THEN Shopify's state gives simulate's outcome, whole",
    async (name) => {
      const file = path.join(SCENARIOS, name);
      const run = name === "seed.json" ? await cleanSeedRun() : await live(file);
      expect(run.result).toEqual(simulated(file));
    },
    RUN_MS,
  );

  it(
    "GIVEN the CLI THEN its stdout is simulate --json's, byte for byte, progress on stderr, exit 0",
    async () => {
      const file = path.join(SCENARIOS, "immediate-caps.json");
      const tsx = path.join(ROOT, "node_modules/.bin/tsx");
      const run = promisify(execFile);
      const [replayed, simulate] = await Promise.all([
        run(tsx, ["test/live/replay.ts", file], { cwd: ROOT }),
        run(tsx, ["app/simulator/cli.ts", file, "--json"], { cwd: ROOT }),
      ]);
      expect(replayed.stdout).toBe(simulate.stdout);
      expect(replayed.stderr).toMatch(/^event 1 of 8 \(order at 2026-11-02T09:00:00\.000Z\), [\d.]+ s$/m);
      expect(replayed.stderr).toMatch(/^done, [\d.]+ s$/m);
    },
    RUN_MS,
  );
});

describe("replay:live of the seed with faults and with crashes: the clean run's outcome and effects", () => {
  it(
    `GIVEN --faults ${FAULTS} THEN the outcome is the clean run's and Shopify applied the same holds, releases, edits, refunds and cancels`,
    async () => {
      const [clean, faulty] = [await cleanSeedRun(), await live(SEED, { faults: FAULTS })];
      // The faults happened: deliveries duplicated and dropped, Admin calls answered 429 and 503.
      const deliveries = new Map<string, number>();
      for (const entry of faulty.webhooks)
        if (entry.outcome === "delivered") deliveries.set(entry.webhookId, (deliveries.get(entry.webhookId) ?? 0) + 1);
      expect([...deliveries.values()].some((n) => n > 1)).toBe(true);
      expect(faulty.webhooks.some((entry) => entry.outcome === "dropped")).toBe(true);
      expect(faulty.adminLog.some((entry) => entry.status === 429)).toBe(true);
      expect(faulty.adminLog.some((entry) => entry.status === 503)).toBe(true);

      expect(faulty.result).toEqual(clean.result);
      const cleanEffects = effectCounts(effectsOf(clean.adminLog, clean.state));
      expect(Object.keys(cleanEffects)).toHaveLength(7);
      expect(effectCounts(effectsOf(faulty.adminLog, faulty.state))).toEqual(cleanEffects);
    },
    RUN_MS,
  );

  it(
    "GIVEN --crash 2 (kill -9 of the app at two seeded points, restarted) THEN the clean run's outcome and effects",
    async () => {
      const [clean, crashed] = [await cleanSeedRun(), await live(SEED, { crashes: 2 })];
      expect(crashed.appStarts).toBe(3);
      expect(crashed.result).toEqual(clean.result);
      expect(effectCounts(effectsOf(crashed.adminLog, crashed.state))).toEqual(
        effectCounts(effectsOf(clean.adminLog, clean.state)),
      );
    },
    RUN_MS,
  );
});
