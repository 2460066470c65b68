// `tsx app/simulator/cli.ts <scenario.json> [--policy NAME | --all] [--json]`; exit 2 on bad arguments or a bad file.
import { ALLOCATION_POLICIES, replay, replayAll, type AllocationPolicy } from "../domain";
import { comparisonTable, linesTable, toJson } from "./format";
import { loadScenarioFile } from "./load";

const USAGE = `usage: simulate <scenario.json> [--policy ${ALLOCATION_POLICIES.join("|")} | --all] [--json]`;

class UsageError extends Error {}

interface Options {
  file: string;
  policy: AllocationPolicy | "all" | null;
  json: boolean;
}

function parseArgs(args: readonly string[]): Options {
  let file: string | null = null;
  let policy: Options["policy"] = null;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--json") json = true;
    else if (arg === "--all") policy = policy === null ? "all" : conflict();
    else if (arg === "--policy" || arg.startsWith("--policy=")) {
      const name = arg === "--policy" ? args[++i] : arg.slice("--policy=".length);
      if (!ALLOCATION_POLICIES.includes(name as AllocationPolicy)) {
        throw new UsageError(`--policy must be one of ${ALLOCATION_POLICIES.join(", ")} (got ${name ?? "nothing"})`);
      }
      policy = policy === null ? (name as AllocationPolicy) : conflict();
    } else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}`);
    else if (file === null) file = arg;
    else throw new UsageError(`only one scenario file, got ${file} and ${arg}`);
  }
  if (file === null) throw new UsageError("missing the scenario file");
  return { file, policy, json };
}

function conflict(): never {
  throw new UsageError("give either --policy NAME or --all, once");
}

function main(args: readonly string[]): number {
  const options = parseArgs(args);
  const loaded = loadScenarioFile(options.file);
  if (!loaded.ok) {
    process.stderr.write(`${loaded.message}\n`);
    return 2;
  }
  const { scenario } = loaded;
  if (options.policy === "all") {
    const results = replayAll(scenario);
    process.stdout.write(
      options.json ? `${JSON.stringify(results.map(toJson), null, 2)}\n` : `${comparisonTable(results)}\n`,
    );
  } else {
    const result = replay(scenario, options.policy ?? scenario.settings.allocationPolicy);
    process.stdout.write(
      options.json
        ? `${JSON.stringify(toJson(result), null, 2)}\n`
        : `${linesTable(result)}\n\n${comparisonTable([result])}\n`,
    );
  }
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) process.stderr.write(`${error.message}\n${USAGE}\n`);
  else throw error;
  process.exitCode = 2;
}
