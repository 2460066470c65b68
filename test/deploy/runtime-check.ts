/**
 * `npm run check:runtime`: the Dockerfile's runtime stage, run without Docker (no base image can be pulled here).
 * Its COPY, ENV and RUN steps are read from the Dockerfile and played in a fresh directory outside the
 * repository (so no module can resolve from the repository's node_modules): `COPY --from=build` takes the
 * repository's `npm run build` output (built first when stale), other COPYs take the build context minus
 * .dockerignore, RUN steps run with `sh -c` (`npm ci --omit=dev` against the npm registry or its cache). Then:
 * no build tool among the installed packages; `prisma migrate deploy` from that directory on a SQLite file and a
 * fresh PostgreSQL database; the image's CMD started with APP_ROLE=web (PostgreSQL: /healthz 200, a signed
 * orders/create webhook acknowledged 200, exit 0 on SIGTERM), APP_ROLE=worker (its health listener 200, exit 0
 * on SIGTERM) and APP_ROLE unset on SQLite (/healthz 200). Not covered: the base image, `USER node` (the steps
 * run as this user), the build stage's own `npm ci` and `npm run build` in a clean tree.
 * PostgreSQL: TEST_POSTGRES_URL, else the machine's on 127.0.0.1:5432. Exit 1 naming the first failed check.
 */
import { execFileSync, spawn } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import pg from "pg";

import { ensureBuild } from "../demo/build";
import { ROOT } from "../live/stack";

const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
// Not typescript: npm keeps it under --omit=dev as the optional peer the lockfile resolved for @prisma/client and
// @remix-run/* ("devOptional"); nothing at run time loads it.
const BUILD_TOOLS = ["vite", "tsx", "vitest", "@remix-run/dev", "eslint", "@shopify/api-codegen-preset"];
const SECRET = "runtime-check-secret";

interface Step {
  instruction: string;
  args: string;
}

/** The steps of the Dockerfile's stage `name` (continuation lines joined, comments dropped). */
function stageSteps(name: string): { steps: Step[]; workdirs: Map<string, string> } {
  const lines = readFileSync(path.join(ROOT, "Dockerfile"), "utf8")
    .replace(/\\\n/g, " ")
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.trim().startsWith("#"));
  const workdirs = new Map<string, string>();
  const steps: Step[] = [];
  let stage = "";
  for (const line of lines) {
    const [, instruction = "", args = ""] = /^\s*(\w+)\s+(.*)$/.exec(line) ?? [];
    if (instruction === "FROM") stage = /\bAS\s+(\S+)/i.exec(args)?.[1] ?? "";
    else if (instruction === "WORKDIR") workdirs.set(stage, args.trim());
    else if (stage === name) steps.push({ instruction, args: args.trim() });
  }
  if (steps.length === 0) throw new Error(`the Dockerfile has no stage "${name}"`);
  return { steps, workdirs };
}

// .dockerignore as a predicate on paths relative to the context, with Docker's `*` (within a name) and `**/`.
function ignored(): (relative: string) => boolean {
  const patterns = readFileSync(path.join(ROOT, ".dockerignore"), "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((pattern) => {
      const parts = pattern
        .split("**/")
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*"));
      return new RegExp(`^${parts.join("(.*/)?")}(/|$)`);
    });
  return (relative) => patterns.some((re) => re.test(relative));
}

function copy(args: string, dir: string, workdirs: Map<string, string>): void {
  const words = args.split(/\s+/);
  const from = words.find((word) => word.startsWith("--from="))?.slice("--from=".length);
  const [dest, ...sources] = words.filter((word) => !word.startsWith("--")).reverse();
  const skip = ignored();
  for (const source of sources.reverse()) {
    // A path in another stage is the repository's own, relative to that stage's WORKDIR.
    const relative = from ? path.relative(workdirs.get(from) ?? "/", source) : source;
    const target = path.join(
      dir,
      dest!.endsWith("/") || dest === "./" ? path.join(dest!, path.basename(source)) : dest!,
    );
    cpSync(path.join(ROOT, relative), target, {
      recursive: true,
      filter: (file) => from !== undefined || !skip(path.relative(ROOT, file)),
    });
  }
}

function playRuntimeStage(dir: string): { env: Record<string, string>; cmd: string[] } {
  const { steps, workdirs } = stageSteps("runtime");
  const env: Record<string, string> = {};
  let cmd: string[] = [];
  for (const { instruction, args } of steps) {
    if (instruction === "COPY") copy(args, dir, workdirs);
    else if (instruction === "ENV")
      for (const [, key, value] of args.matchAll(/(\w+)=(\S+)/g)) env[key!] = value!.replace(/^"|"$/g, "");
    else if (instruction === "CMD") cmd = JSON.parse(args) as string[];
    else if (instruction === "RUN") {
      // /data is the image's volume; outside a container it is not ours to make.
      if (args.includes("/data")) continue;
      // A cache mount is npm's cache, which here is the user's own.
      const command = args.replace(/^(--mount=\S+\s+)+/, "");
      console.info(`  RUN ${command}`);
      execFileSync("sh", ["-c", command], { cwd: dir, env: { ...process.env, ...env }, stdio: "inherit" });
    }
  }
  return { env, cmd };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function healthy(url: string, timeoutMs = 60_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) }).catch(() => null);
    if (response?.ok) return (await response.json()) as Record<string, unknown>;
    if (response) last = `${response.status} ${await response.text()}`;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url}: ${last}`);
}

/** Starts the image's CMD in `dir`, runs `check` while it runs, SIGTERMs it and expects exit 0. */
async function withProcess(
  dir: string,
  cmd: string[],
  env: Record<string, string>,
  check: () => Promise<string>,
): Promise<string> {
  const child = spawn(cmd[0]!, cmd.slice(1), {
    cwd: dir,
    env: env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? signal!)),
  );
  try {
    const seen = await check();
    child.kill("SIGTERM");
    const code = await exited;
    if (code !== 0) throw new Error(`exited ${code} on SIGTERM`);
    return `${seen}; exit 0 on SIGTERM`;
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(`${(error as Error).message}\n${output.slice(-3_000)}`);
  }
}

async function signedWebhook(url: string): Promise<number> {
  const body = readFileSync(path.join(ROOT, "test/fixtures/webhooks/orders-create.2026-07.json"));
  const response = await fetch(url, {
    method: "POST",
    body,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": "orders/create",
      "X-Shopify-Hmac-Sha256": createHmac("sha256", SECRET).update(body).digest("base64"),
      "X-Shopify-Shop-Domain": "runtime-check.myshopify.com",
      "X-Shopify-API-Version": "2026-10",
      "X-Shopify-Webhook-Id": randomUUID(),
      "X-Shopify-Event-Id": randomUUID(),
      "X-Shopify-Triggered-At": new Date().toISOString(),
    },
  });
  return response.status;
}

async function main(): Promise<void> {
  ensureBuild((line) => console.info(line));
  const dir = mkdtempSync(path.join(tmpdir(), "bk-runtime-"));
  const database = `bk_runtime_check_${process.pid}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const checks: [string, () => Promise<string>][] = [];
  try {
    if (existsSync(path.join(path.dirname(dir), "node_modules")))
      throw new Error(`${path.dirname(dir)}/node_modules exists: modules would resolve from it`);
    console.info(`The Dockerfile's runtime stage in ${dir}:`);
    const { env: imageEnv, cmd } = playRuntimeStage(dir);
    const present = BUILD_TOOLS.filter((name) => existsSync(path.join(dir, "node_modules", name)));
    if (present.length > 0) throw new Error(`build tools installed with --omit=dev: ${present.join(", ")}`);
    const size = execFileSync("du", ["-sm", path.join(dir, "node_modules")], { encoding: "utf8" }).split("\t")[0];
    console.info(`ok   npm ci --omit=dev: node_modules ${size} MB, none of ${BUILD_TOOLS.join(", ")}`);

    await admin.query(`CREATE DATABASE "${database}"`);
    const pgUrl = Object.assign(new URL(ADMIN_URL), { pathname: `/${database}` }).toString();
    const sqliteUrl = `file:${path.join(dir, "check.sqlite")}`;
    const prisma = path.join(dir, "node_modules/.bin/prisma");
    for (const url of [sqliteUrl, pgUrl]) {
      execFileSync(prisma, ["migrate", "deploy"], {
        cwd: dir,
        env: { ...process.env, DATABASE_URL: url },
        stdio: "pipe",
      });
      console.info(`ok   prisma migrate deploy (${url.split(":")[0]}) from the runtime's node_modules`);
    }
    if (!statSync(path.join(dir, "check.sqlite")).isFile()) throw new Error("no SQLite file after migrate deploy");

    const base = {
      PATH: process.env.PATH ?? "",
      ...imageEnv,
      HOST: "127.0.0.1",
      SHOPIFY_API_KEY: "runtime-check",
      SHOPIFY_API_SECRET: SECRET,
      SHOPIFY_APP_URL: "https://backorder-keeper.example.com",
      SCOPES: "read_orders,write_orders",
    };
    const webPort = await freePort();
    checks.push([
      "APP_ROLE=web on PostgreSQL",
      () =>
        withProcess(dir, cmd, { ...base, APP_ROLE: "web", DATABASE_URL: pgUrl, PORT: String(webPort) }, async () => {
          const health = await healthy(`http://127.0.0.1:${webPort}/healthz`);
          const status = await signedWebhook(`http://127.0.0.1:${webPort}/webhooks/orders/create`);
          if (health.role !== "web" || health.database !== true || status !== 200)
            throw new Error(`healthz ${JSON.stringify(health)}, webhook ${status}`);
          return `/healthz ${JSON.stringify(health)}, signed orders/create 200`;
        }),
    ]);
    const healthPort = await freePort();
    checks.push([
      "APP_ROLE=worker on PostgreSQL",
      () =>
        withProcess(
          dir,
          cmd,
          { ...base, APP_ROLE: "worker", DATABASE_URL: pgUrl, WORKER_HEALTH_PORT: String(healthPort) },
          async () => `worker /healthz ${JSON.stringify(await healthy(`http://127.0.0.1:${healthPort}/healthz`))}`,
        ),
    ]);
    const allPort = await freePort();
    checks.push([
      "APP_ROLE unset (all) on SQLite",
      () =>
        withProcess(dir, cmd, { ...base, DATABASE_URL: sqliteUrl, PORT: String(allPort) }, async () => {
          const health = await healthy(`http://127.0.0.1:${allPort}/healthz`);
          if (health.role !== "all") throw new Error(`healthz ${JSON.stringify(health)}`);
          return `/healthz ${JSON.stringify(health).slice(0, 120)}`;
        }),
    ]);
    for (const [name, check] of checks) console.info(`ok   ${name}: ${await check()}`);
    console.info("The runtime stage works with --omit=dev (the base image and USER node are not checked here).");
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (error) {
  console.error(`FAILED: ${(error as Error).message}`);
  process.exit(1);
}
