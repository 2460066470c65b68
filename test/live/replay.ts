/**
 * `npm run replay:live -- FILE.json [--faults SPEC] [--crash N]`: plays a simulator scenario through the live
 * stack (Local Shopify and the built app as separate processes) and prints the outcome read from Local Shopify,
 * in `simulate --json`'s shape for the scenario's own policy. Progress goes to stderr, the result to stdout.
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
  "usage: replay:live <scenario.json> [--faults duplicate=R,reorder=R,drop=R,throttle=R,error=R,seed=N] [--crash N]";

class UsageError extends Error {}

interface Options {
  file: string;
  faults: FaultSpec | null;
  crashes: number;
}

function parseArgs(args: readonly string[]): Options {
  let file: string | null = null;
  let faults: FaultSpec | null = null;
  let crashes = 0;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] =
      arg.startsWith("--") && arg.includes("=")
        ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
        : [arg, undefined];
    const value = () => inline ?? args[++i] ?? "";
    if (flag === "--faults") faults = parseFaults(value());
    else if (flag === "--crash") {
      const text = value();
      crashes = Number(text);
      if (!Number.isInteger(crashes) || crashes < 0)
        throw new UsageError(`--crash must be a whole number (got ${text || "nothing"})`);
    } else if (flag === "--database" || flag === "--workers") {
      throw new UsageError(
        `${flag} ${value()}: not supported yet: the live stack runs one app process on SQLite until the PostgreSQL scale-out lands`,
      );
    } else if (flag === "--json") continue;
    else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}`);
    else if (file === null) file = arg;
    else throw new UsageError(`only one scenario file, got ${file} and ${arg}`);
  }
  if (file === null) throw new UsageError("missing the scenario file");
  return { file, faults, crashes };
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
function ensureBuild(progress: (line: string) => void): void {
  const server = path.join(ROOT, "build/server/index.js");
  if (existsSync(server) && statSync(server).mtimeMs >= newest(path.join(ROOT, "app"))) return;
  progress("building the app (npm run build) …");
  execFileSync(process.execPath, [path.join(ROOT, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, NODE_ENV: "production" },
  });
}

async function main(args: readonly string[]): Promise<number> {
  const options = parseArgs(args);
  const loaded = loadScenarioFile(options.file);
  if (!loaded.ok) {
    process.stderr.write(`${loaded.message}\n`);
    return 2;
  }
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  ensureBuild(progress);
  const result = await playScenario(loaded.scenario, {
    rawEvents: (loaded.raw as { events: { customerTags?: string[] }[] }).events,
    faults: options.faults?.stack,
    crashes: options.crashes,
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
