/**
 * `npm run replay:live -- FILE.json [--faults SPEC] [--crash N] [--database postgresql://… [--workers N]]`: plays a
 * simulator scenario through the live stack (Local Shopify and the built app as separate processes) and prints
 * the outcome read from Local Shopify, in `simulate --json`'s shape for the scenario's own policy. With
 * `--database` the app runs on a fresh database of its own on that PostgreSQL server (migrated, dropped after);
 * with `--workers N` as one web process and N worker processes. Progress goes to stderr, the result to stdout.
 * Exit 0 on success, 2 for bad arguments or a bad scenario file (simulate's messages), 1 naming the failed step.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { execFileSync } from "node:child_process";
import path from "node:path";

import { loadScenarioFile } from "../../app/simulator/load";
import { playScenario, StepError } from "./play";
import { ROOT } from "./stack";
import { FaultsError, parseFaults, type FaultSpec } from "./faults";

const USAGE =
  "usage: replay:live <scenario.json> [--faults duplicate=R,reorder=R,drop=R,throttle=R,error=R,seed=N] [--crash N]" +
  " [--database postgresql://USER@HOST:PORT/DB [--workers N]]";

class UsageError extends Error {}

interface Options {
  file: string;
  faults: FaultSpec | null;
  crashes: number;
  database: string | null;
  workers: number;
}

function count(flag: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min)
    throw new UsageError(`${flag} must be a whole number${min > 0 ? ` from ${min}` : ""} (got ${text || "nothing"})`);
  return value;
}

function parseArgs(args: readonly string[]): Options {
  let file: string | null = null;
  let faults: FaultSpec | null = null;
  let crashes = 0;
  let database: string | null = null;
  let workers = 0;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] =
      arg.startsWith("--") && arg.includes("=")
        ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
        : [arg, undefined];
    const value = () => inline ?? args[++i] ?? "";
    if (flag === "--faults") faults = parseFaults(value());
    else if (flag === "--crash") crashes = count("--crash", value(), 0);
    else if (flag === "--workers") workers = count("--workers", value(), 1);
    else if (flag === "--database") {
      database = value();
      if (!/^postgres(ql)?:\/\/./.test(database))
        throw new UsageError(`--database must be a postgresql:// URL (got ${database || "nothing"})`);
    } else if (flag === "--json") continue;
    else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}`);
    else if (file === null) file = arg;
    else throw new UsageError(`only one scenario file, got ${file} and ${arg}`);
  }
  if (file === null) throw new UsageError("missing the scenario file");
  if (workers > 0 && database === null)
    throw new UsageError("--workers needs --database: worker processes share a PostgreSQL database");
  return { file, faults, crashes, database, workers };
}

/** Newest modification time under `dir` (files only). */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

/** The stack runs the production build: built here when missing or older than the app's sources. */
function ensureBuild(progress: (line: string) => void, workers: boolean): void {
  const sources = newest(path.join(ROOT, "app"));
  const fresh = (file: string) => existsSync(file) && statSync(file).mtimeMs >= sources;
  const build = (what: string, args: string[]) => {
    progress(`building the ${what} (npm run build) …`);
    execFileSync(process.execPath, args, {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, NODE_ENV: "production" },
    });
  };
  if (!fresh(path.join(ROOT, "build/server/index.js")))
    build("app", [path.join(ROOT, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build"]);
  if (workers && !fresh(path.join(ROOT, "build/worker/index.js")))
    build("worker", [path.join(ROOT, "node_modules/vite/bin/vite.js"), "build", "-c", "vite.worker.config.ts"]);
}

async function main(args: readonly string[]): Promise<number> {
  const options = parseArgs(args);
  const loaded = loadScenarioFile(options.file);
  if (!loaded.ok) {
    process.stderr.write(`${loaded.message}\n`);
    return 2;
  }
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  ensureBuild(progress, options.workers > 0);
  const result = await playScenario(loaded.scenario, {
    rawEvents: (loaded.raw as { events: { customerTags?: string[] }[] }).events,
    faults: options.faults?.stack,
    crashes: options.crashes,
    database: options.database ?? undefined,
    workers: options.workers,
    seed: options.faults?.seed,
    progress,
  });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof FaultsError) {
      process.stderr.write(`${error.message}\n${USAGE}\n`);
      process.exitCode = 2;
    } else if (error instanceof StepError) {
      process.stderr.write(`replay:live failed at ${error.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(
        `replay:live failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 1;
    }
  },
);
