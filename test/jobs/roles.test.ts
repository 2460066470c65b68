import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { promisify } from "node:util";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import db, { connectDatabase, type Db } from "~/db.server";
import { createJobQueue } from "~/jobs/queue.server";
import { webHealth } from "~/process/health.server";
import { loader as healthz } from "~/routes/healthz";

import { buildApp, freePort } from "../browser/support";
import { TMP_DIR } from "../setup/global-setup";
import { createPostgresDatabase } from "../support/postgres";

/**
 * The web and worker roles as processes on one PostgreSQL database (docs/decisions/0025-postgresql-queue.md):
 * SIGTERM on a worker with a job in flight, the health endpoints, `npm start` with APP_ROLE=web running no job.
 */
const SHOP = "north-star.myshopify.com";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Effects reach this server once each (counted by key); a job waits at /gate until the test lets it go on.
const effects = new Map<string, number>();
const gates = new Map<string, ServerResponse[]>();
const opened = new Set<string>();
const server = createServer((request, response) => {
  const url = new URL(request.url ?? "/", "http://x");
  if (url.pathname === "/gate") {
    const job = url.searchParams.get("job") ?? "";
    if (opened.has(job)) response.writeHead(200).end();
    else gates.set(job, [...(gates.get(job) ?? []), response]);
    return;
  }
  const key = url.searchParams.get("key") ?? "";
  effects.set(key, (effects.get(key) ?? 0) + 1);
  response.writeHead(200).end();
});
function openGate(job: string): void {
  opened.add(job);
  for (const response of gates.get(job) ?? []) response.writeHead(200).end();
  gates.delete(job);
}

let gateUrl = "";
let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
let pg: Db;
const started: ChildProcess[] = [];
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  gateUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  database = await createPostgresDatabase();
  pg = connectDatabase(database.url);
});
afterAll(async () => {
  // A failed run must not leave a process behind.
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  for (const job of [...gates.keys()]) openGate(job);
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await pg?.$disconnect();
  await database?.drop();
});

interface Child {
  child: ChildProcess;
  lines: string[];
  output: () => string;
  exited: Promise<number | null>;
}

function spawnChild(args: string[], env: Record<string, string>): Child {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  started.push(child);
  const lines: string[] = [];
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
    lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
  });
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, lines, output: () => output, exited };
}

async function waitFor<T>(look: () => T | undefined | Promise<T | undefined>, what: string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await look();
    if (found !== undefined && found !== false) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

const workerEnv = (name: string, graceMs: number) => ({
  DATABASE_URL: database.url,
  APP_ROLE: "worker",
  WORKER_ID: name,
  WORKER_HEALTH_PORT: "0",
  SHUTDOWN_GRACE_MS: String(graceMs),
  GATE_URL: gateUrl,
});

function startWorker(name: string, graceMs: number): Child {
  return spawnChild(["--import", "tsx", path.resolve("test/jobs/role-worker.ts")], workerEnv(name, graceMs));
}

const healthPort = (worker: Child) =>
  waitFor(() => worker.lines.find((line) => line.startsWith("health "))?.split(" ")[1], "the health port");
const midJob = (worker: Child) =>
  waitFor(() => worker.lines.find((line) => line.startsWith("mid "))?.split(" ")[1], "a job in flight");

async function health(port: string, pathname = "/healthz") {
  const response = await fetch(`http://127.0.0.1:${port}${pathname}`);
  return { status: response.status, body: response.status === 404 ? null : ((await response.json()) as unknown) };
}

async function enqueueGated(): Promise<string> {
  const { id } = await createJobQueue(pg).enqueue({
    shop: SHOP,
    type: "roles:gated",
    payload: {},
    lockKey: `stock:${SHOP}`,
  });
  return id;
}

const jobRow = (id: string) =>
  pg.job.findUniqueOrThrow({ where: { id }, select: { status: true, attempts: true, lockedBy: true } });

describe("a worker process stopped with SIGTERM", () => {
  it("finishes the job in flight within the grace, answers 503 meanwhile, and exits 0", async () => {
    const id = await enqueueGated();
    const worker = startWorker("roles-finish", 20_000);
    const port = await healthPort(worker);
    expect(await midJob(worker)).toBe(id);
    expect(await health(port)).toMatchObject({ status: 200, body: { status: "ok", role: "worker" } });

    worker.child.kill("SIGTERM");
    await waitFor(async () => (await health(port)).status === 503, "the health answer to turn");
    expect(await health(port)).toMatchObject({ body: { status: "stopping", jobs: { inFlight: 1 } } });
    openGate(id);

    expect(await worker.exited).toBe(0);
    expect(await jobRow(id)).toEqual({ status: "succeeded", attempts: 1, lockedBy: null });
    expect([effects.get(`${id}:first`), effects.get(`${id}:second`)]).toEqual([1, 1]);
  }, 60_000);

  it("hands back a job still running after the grace; another worker runs it; nothing lost or doubled", async () => {
    const id = await enqueueGated();
    const first = startWorker("roles-a", 300);
    expect(await midJob(first)).toBe(id);
    const second = startWorker("roles-b", 20_000);
    await healthPort(second);

    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain("1 job(s) handed back");
    // The attempt was not the job's failure: it is given back with the lease, and the other worker takes it.
    expect(await midJob(second)).toBe(id);
    expect(await jobRow(id)).toEqual({ status: "running", attempts: 1, lockedBy: expect.stringMatching(/^roles-b#/) });
    openGate(id);
    await waitFor(async () => (await jobRow(id)).status === "succeeded", "the job to succeed");

    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    expect([effects.get(`${id}:first`), effects.get(`${id}:second`)]).toEqual([1, 1]);
  }, 60_000);
});

describe("the built worker (`npm run worker`)", () => {
  const outDir = path.join(TMP_DIR, `worker-build-${process.pid}`);
  beforeAll(async () => {
    await promisify(execFile)(
      process.execPath,
      [path.resolve("node_modules/vite/bin/vite.js"), "build", "-c", "vite.worker.config.ts", "--outDir", outDir],
      { env: { ...process.env, NODE_ENV: "production" } },
    );
  }, 120_000);

  it("answers its health on the configured port, 404 elsewhere, and exits 0 on SIGTERM", async () => {
    const port = String(await freePort());
    const worker = spawnChild([path.join(outDir, "index.js")], {
      ...workerEnv("roles-built", 1_000),
      NODE_ENV: "production",
      WORKER_HEALTH_PORT: port,
      HOST: "127.0.0.1",
    });
    await waitFor(() => worker.lines.some((line) => line.includes(`health on port ${port}`)), "the worker");
    const ok = await waitFor(async () => ((await health(port)).status === 200 ? health(port) : undefined), "ok");
    expect(ok.body).toMatchObject({ status: "ok", role: "worker", jobs: { alive: true, stopping: false } });
    expect((await health(port, "/")).status).toBe(404);

    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
  }, 60_000);

  it("refuses to start in the web role", async () => {
    const worker = spawnChild([path.join(outDir, "index.js")], { ...workerEnv("roles-web", 0), APP_ROLE: "web" });
    expect(await worker.exited).toBe(1);
    expect(worker.output()).toContain("APP_ROLE=web serves only and runs no jobs");
  });
});

describe("the web role", () => {
  it("GET /healthz: 200 while the database answers, 503 while stopping or when it does not", async () => {
    const response = await healthz();
    expect([response.status, await response.json()]).toEqual([200, { status: "ok", role: "all", database: true }]);
    expect(await webHealth(db, true)).toEqual({
      ok: false,
      body: { status: "stopping", role: "all", database: true },
    });
    const unreachable = connectDatabase("postgresql://postgres@127.0.0.1:1/none");
    expect(await webHealth(unreachable, false)).toEqual({
      ok: false,
      body: { status: "unavailable", role: "all", database: false },
    });
    await unreachable.$disconnect();
  });

  it("`npm start` with APP_ROLE=web serves /healthz, runs no job, and exits 0 on SIGTERM", async () => {
    await buildApp();
    const port = await freePort();
    const { id } = await createJobQueue(pg).enqueue({ shop: SHOP, type: "payload_retention", payload: {} });
    const web = spawnChild([path.resolve("node_modules/@remix-run/serve/dist/cli.js"), "build/server/index.js"], {
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      DATABASE_URL: database.url,
      SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
      APP_ROLE: "web",
    });
    const answer = await waitFor(
      () =>
        fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.json(),
          () => undefined,
        ),
      `npm start: ${web.output()}`,
    );
    expect(answer).toEqual({ status: "ok", role: "web", database: true });
    // An in-process runner would have claimed this due job within its first poll (250 ms).
    await sleep(1_000);
    expect(await jobRow(id)).toEqual({ status: "queued", attempts: 0, lockedBy: null });

    web.child.kill("SIGTERM");
    expect(await web.exited).toBe(0);
  }, 300_000);
});
