/**
 * The live stack: Local Shopify and the built app as separate processes, the app started exactly as `npm start`
 * starts it (web server with its in-process job worker), on one frozen clock that only the stack moves. Used by
 * `npm run replay:live`, `npm run demo` and their tests. On PostgreSQL (`database`) the run gets a database of its
 * own on that server, migrated as `npm run setup` migrates it and dropped at the end; with `workers` the app is
 * one `npm start` process in the web role and that many `npm run worker` processes (APP_ROLE=worker).
 *
 * Idle signal (`waitIdle`): Local Shopify has no pending work (`GET /_local/pending`: no routing, job or webhook
 * (re)try scheduled, no delivery waiting for an answer) AND the app reports the shop idle (`GET /local/idle`: no job
 * running or due), AND Local Shopify saw no Admin request or delivery between the two reads. The app also names
 * when a failed job is retried (`nextRetryAt`): the replay moves the clock there before it counts the work done.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

import pg from "pg";
import { parse as parseToml } from "smol-toml";

import { ControlClient, type ShopSummary } from "../shopify-local/control/client";
import type { LocalShopifyOptions } from "../shopify-local/server";
import { installThroughApp, waitForApp } from "../shopify-local/install";
import { mintSessionToken } from "../shopify-local/session-token";
import { routeData } from "./route-data";

export const API_KEY = "local-api-key";
export const API_SECRET = "local-secret";
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface StackOptions {
  /** Where Local Shopify's clock starts. */
  startAt: Date;
  /** frozen (default): time moves only when the stack advances it; real: it also runs at real speed. */
  clock?: "frozen" | "real";
  /** Real ms per Shopify ms for Shopify's own delays (routing, jobs, webhook retries); default 0.01. */
  timeScale?: number;
  faults?: LocalShopifyOptions["faults"];
  /** The app's WORKER_ID, kept across restarts so a restarted app reclaims its own jobs. */
  workerId?: string;
  /** A migrated SQLite file to start from (tests pass the run's base database); else one is migrated afresh. */
  baseDatabase?: string;
  /** Where the database and logs go (default: a new directory under .tmp/live). */
  dir?: string;
  /** A PostgreSQL server (postgresql://…/db, db being any database to connect to): the run's database is made there. */
  database?: string;
  /** Worker processes beside one web process (needs `database`); 0 or unset: one process in the `all` role. */
  workers?: number;
  /** The built worker (default build/worker/index.js, `npm run worker`'s). */
  workerEntry?: string;
}

export interface IdleState {
  now: string;
  /** When the app next has work of its own (a job due later), or null. */
  nextRunAt: string | null;
  /** When a job that failed is retried (its work is unfinished), or null. */
  nextRetryAt: string | null;
}

export interface LiveStack {
  shopify: { origin: string; control: ControlClient };
  app: { url: string; workerId: string; databaseUrl: string };
  /** A new shop with the app installed through its own `/app` (token exchange), as Shopify admin installs it. */
  installShop(domain: string, locations?: string[]): Promise<ShopSummary>;
  /** A request from the embedded admin: the app's route data with a fresh session token as Bearer. */
  adminFetch(
    shop: string,
    pathname: string,
    init?: { method?: "GET" | "POST"; json?: unknown; form?: FormData },
  ): Promise<Response>;
  /** The settings page's action, as a merchant saves the form: the stored settings with `changes` applied. */
  saveSettings(shop: string, changes: Record<string, unknown>): Promise<Record<string, unknown>>;
  waitIdle(shop: string, timeoutMs?: number): Promise<IdleState>;
  /** Moves the frozen clock forward to `at` (epoch ms); never back. */
  advanceTo(at: number): Promise<void>;
  /** kill -9 of the app process. */
  killApp(): Promise<void>;
  /** Starts the app again on the same port, database and WORKER_ID. */
  startApp(): Promise<void>;
  /** The worker processes (`workers`), each killed -9 and started again (same WORKER_ID) by its index. */
  workers: { count: number; kill(index: number): Promise<void>; start(index: number): Promise<void> };
  /** How many times an app process (web or worker) was started (one per process + restarts). */
  appStarts(): number;
  /** The app's and Local Shopify's output so far (for error messages). */
  output(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** The app's scopes, as shopify.app.toml declares them. */
function appScopes(): string {
  const toml = parseToml(readFileSync(path.join(ROOT, "shopify.app.toml"), "utf8")) as {
    access_scopes: { scopes: string };
  };
  return toml.access_scopes.scopes;
}

/** `npm start`'s command line from package.json, with `node` as this Node. */
function startCommand(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: { start: string } };
  const [node, ...args] = pkg.scripts.start.split(/\s+/);
  if (node !== "node") throw new Error(`npm start no longer runs node: ${pkg.scripts.start}`);
  return args;
}

function migrate(databaseUrl: string): void {
  execFileSync(path.join(ROOT, "node_modules/.bin/prisma"), ["migrate", "deploy"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: "pipe",
  });
}

function freshDatabase(dir: string, base?: string): string {
  const file = path.join(dir, "app.sqlite");
  if (base) copyFileSync(base, file);
  else migrate(`file:${file}`);
  return `file:${file}`;
}

async function onServer(server: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** An empty database of the run's own on the PostgreSQL server, migrated; `drop` removes it. */
export async function freshPostgresDatabase(server: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `replay_${randomBytes(6).toString("hex")}`;
  await onServer(server, `CREATE DATABASE "${name}"`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const drop = () => onServer(server, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  try {
    migrate(url.toString());
  } catch (error) {
    await drop();
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`prisma migrate deploy failed on ${name}:\n${stdout}\n${stderr}`, { cause: error });
  }
  return { url: url.toString(), drop };
}

/** `npm run worker`'s command line from package.json, with `node` as this Node and the worker build given. */
function workerCommand(entry: string): string[] {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: { worker: string } };
  const [node, ...args] = pkg.scripts.worker.split(/\s+/);
  if (node !== "node" || args.at(-1) !== "./build/worker/index.js")
    throw new Error(`npm run worker no longer runs node ./build/worker/index.js: ${pkg.scripts.worker}`);
  return [...args.slice(0, -1), entry];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class Output {
  private text = "";
  add(source: string, chunk: Buffer): void {
    this.text += chunk
      .toString()
      .split("\n")
      .filter(Boolean)
      .map((line) => `[${source}] ${line}\n`)
      .join("");
    // Enough to explain a failure, not a memory leak over a long run.
    if (this.text.length > 200_000) this.text = this.text.slice(-100_000);
  }
  toString(): string {
    return this.text;
  }
}

async function startShopifyProcess(options: LocalShopifyOptions, output: Output) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(ROOT, "test/live/local-shopify-process.ts"), JSON.stringify(options)],
    { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] },
  );
  child.stderr!.on("data", (chunk: Buffer) => output.add("shopify", chunk));
  const origin = await new Promise<string>((resolve, reject) => {
    let first = "";
    const onData = (chunk: Buffer) => {
      first += chunk.toString();
      const line = first.split("\n")[0]!;
      if (first.includes("\n")) {
        child.stdout!.off("data", onData);
        child.stdout!.on("data", (more: Buffer) => output.add("shopify", more));
        resolve((JSON.parse(line) as { origin: string }).origin);
      }
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`Local Shopify exited (${code}) before listening:\n${output}`)));
  });
  return { child, origin };
}

/** One app process (web or worker), started again with the same command line and environment after a kill. */
class AppProcess {
  private child: ChildProcess | null = null;
  private expectedExit = false;
  starts = 0;

  constructor(
    private readonly name: string,
    private readonly args: string[],
    private readonly env: Record<string, string>,
    private readonly ready: () => Promise<void>,
    private readonly output: Output,
  ) {}

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Exited without being stopped (a killed process the stack has not started again is stopped, not down). */
  get down(): boolean {
    return !this.running && !this.expectedExit;
  }

  async start(): Promise<void> {
    this.expectedExit = false;
    const child = spawn(process.execPath, this.args, {
      cwd: ROOT,
      env: this.env as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (chunk: Buffer) => this.output.add(this.name, chunk));
    child.stderr!.on("data", (chunk: Buffer) => this.output.add(this.name, chunk));
    child.once("exit", (code, signal) => {
      if (!this.expectedExit) this.output.add(this.name, Buffer.from(`exited unexpectedly (${code ?? signal})`));
    });
    this.child = child;
    this.starts++;
    await this.ready();
  }

  async stop(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    this.expectedExit = true;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill(signal);
    await exited;
  }
}

async function waitForWorker(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
    if (response?.ok) return;
    if (Date.now() > deadline) throw new Error(`the worker on port ${port} did not answer healthy in time`);
    await sleep(50);
  }
}

export async function startStack(options: StackOptions): Promise<LiveStack> {
  const workerCount = options.workers ?? 0;
  if (workerCount > 0 && !options.database) throw new Error("worker processes need a PostgreSQL database");
  mkdirSync(path.join(ROOT, ".tmp/live"), { recursive: true });
  const dir = options.dir ?? mkdtempSync(path.join(ROOT, ".tmp/live/stack-"));
  const output = new Output();
  const appPort = await freePort();
  const appUrl = `http://127.0.0.1:${appPort}`;
  const shopify = await startShopifyProcess(
    {
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      appUrl,
      clock: options.clock ?? "frozen",
      startAt: options.startAt,
      timeScale: options.timeScale ?? 0.01,
      faults: options.faults,
    },
    output,
  );
  const stopShopify = async () => {
    const exited = new Promise((resolve) => shopify.child.once("exit", resolve));
    shopify.child.kill("SIGTERM");
    await exited;
  };
  const control = new ControlClient(shopify.origin);
  let postgres: Awaited<ReturnType<typeof freshPostgresDatabase>> | null = null;
  try {
    if (options.database) postgres = await freshPostgresDatabase(options.database);
  } catch (error) {
    await stopShopify();
    throw error;
  }
  const databaseUrl = postgres?.url ?? freshDatabase(dir, options.baseDatabase);
  const workerId = options.workerId ?? "live-1";
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: String(appPort),
    DATABASE_URL: databaseUrl,
    SHOPIFY_API_KEY: API_KEY,
    SHOPIFY_API_SECRET: API_SECRET,
    SHOPIFY_APP_URL: appUrl,
    SCOPES: appScopes(),
    SHOPIFY_ADMIN_API_ORIGIN: shopify.origin,
    LOCAL_CLOCK_URL: `${shopify.origin}/_local/clock`,
    WORKER_ID: workerId,
    ...(workerCount > 0 ? { APP_ROLE: "web" } : {}),
  };
  const web = new AppProcess("app", startCommand(), env, () => waitForApp(appUrl, 60_000), output);
  const workerEntry = options.workerEntry ?? path.join(ROOT, "build/worker/index.js");
  const workerPorts = await Promise.all(Array.from({ length: workerCount }, () => freePort()));
  const workers = workerPorts.map(
    (port, index) =>
      new AppProcess(
        `worker ${index + 1}`,
        workerCommand(workerEntry),
        { ...env, APP_ROLE: "worker", WORKER_ID: `${workerId}-w${index + 1}`, WORKER_HEALTH_PORT: String(port) },
        () => waitForWorker(port, 60_000),
        output,
      ),
  );
  const processes = [web, ...workers];
  const workerAt = (index: number) => {
    const worker = workers[index];
    if (!worker) throw new Error(`no worker ${index} (the stack has ${workers.length})`);
    return worker;
  };

  async function appIdle(shop: string): Promise<(IdleState & { idle: boolean }) | null> {
    if (processes.some((process) => process.down))
      throw new Error(`an app process is not running:\n${output.toString().slice(-5_000)}`);
    // Each worker reads the clock and runs what its jump made due first, as the one process does at /local/idle.
    for (const [index, port] of workerPorts.entries()) {
      if (!workers[index]!.running) continue;
      const synced = await fetch(`http://127.0.0.1:${port}/local/clock`).catch(() => null);
      if (!synced?.ok) return null;
    }
    const response = await fetch(`${appUrl}/local/idle?shop=${encodeURIComponent(shop)}`).catch(() => null);
    if (!response?.ok) return null;
    return (await response.json()) as IdleState & { idle: boolean };
  }

  const stack: LiveStack = {
    shopify: { origin: shopify.origin, control },
    app: { url: appUrl, workerId, databaseUrl },

    async installShop(domain, locations) {
      const shop = await control.createShop({ domain, locations });
      await installThroughApp({ appUrl, apiKey: API_KEY, apiSecret: API_SECRET, shop: domain });
      return shop;
    },

    async adminFetch(shop, pathname, init = {}) {
      const token = mintSessionToken({ apiKey: API_KEY, apiSecret: API_SECRET, shop });
      const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
      if (init.json !== undefined) headers["Content-Type"] = "application/json";
      return fetch(new URL(pathname, appUrl), {
        method: init.method ?? (init.json !== undefined || init.form ? "POST" : "GET"),
        headers,
        body: init.json !== undefined ? JSON.stringify(init.json) : init.form,
      });
    },

    async saveSettings(shop, changes) {
      const loaded = await stack.adminFetch(shop, "/app/settings.data");
      if (!loaded.ok) throw new Error(`the settings page answered ${loaded.status}: ${await loaded.text()}`);
      const { settings } = routeData<{ settings: Record<string, unknown> }>(await loaded.text(), "routes/app.settings");
      const saved = await stack.adminFetch(shop, "/app/settings.data", { json: { ...settings, ...changes } });
      const result = routeData<{
        ok: boolean;
        settings?: Record<string, unknown>;
        fieldErrors?: Record<string, string>;
        formError?: string;
      }>(await saved.text());
      if (!result.ok) {
        const problems = result.formError ?? Object.entries(result.fieldErrors ?? {}).map(([k, v]) => `${k}: ${v}`);
        throw new Error(`the settings page refused the settings: ${[problems].flat().join("; ")}`);
      }
      return result.settings!;
    },

    async waitIdle(shop, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      let busy = "";
      for (;;) {
        const before = await control.pending();
        const appState = before.idle ? await appIdle(shop) : null;
        if (appState?.idle) {
          const after = await control.pending();
          if (after.idle && after.activity === before.activity)
            return { now: appState.now, nextRunAt: appState.nextRunAt, nextRetryAt: appState.nextRetryAt };
        }
        busy = `Local Shopify ${JSON.stringify(before)}, app ${JSON.stringify(appState)}`;
        if (Date.now() > deadline) throw new Error(`not idle after ${timeoutMs / 1000} s: ${busy}`);
        await sleep(10);
      }
    },

    async advanceTo(at) {
      const { nowMs } = await control.clock();
      if (at > nowMs) await control.advanceClock(at - nowMs);
    },

    killApp: () => web.stop("SIGKILL"),
    startApp: () => web.start(),
    workers: {
      count: workers.length,
      kill: (index) => workerAt(index).stop("SIGKILL"),
      start: (index) => workerAt(index).start(),
    },
    appStarts: () => processes.reduce((sum, process) => sum + process.starts, 0),
    output: () => output.toString(),

    async stop() {
      try {
        await Promise.all(processes.map((process) => process.stop("SIGTERM")));
        await stopShopify();
      } finally {
        await postgres?.drop();
      }
    },
  };

  try {
    await Promise.all(processes.map((process) => process.start()));
  } catch (error) {
    await stack.stop().catch(() => {});
    throw error;
  }
  return stack;
}
