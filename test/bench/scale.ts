/**
 * `npm run bench:scale`: the built app as real processes (`npm start`, `npm run worker`) on SQLite and on
 * PostgreSQL, one run on this machine (issue 18's Performance section; docs/deploy.md reads its figures).
 *
 * 1. Webhook acknowledgements: an open-loop driver sends Shopify's orders/create sample (HMAC-signed, a new
 *    webhook id each) at RATE/s (default 1,000) for ACK_SECONDS (default 15, after a 5 s warm-up at 200/s), to
 *    SQLite with one process in the embedded default (`APP_ROLE` unset: it also runs the jobs), and to PostgreSQL
 *    with two `APP_ROLE=web` processes, round-robin as a load balancer spreads them. Latency counts from each
 *    delivery's scheduled time. Target: PostgreSQL p99 < 25 ms at 1,000/s, every delivery acknowledged.
 * 2. Jobs: Local Shopify (real clock; its own routing delay at 1/100 as in bench:live) answers every Admin call
 *    after 80 ms (`faults.api.latencyMs`); 20 shops installed through the app, each with its own Admin rate
 *    limit (Standard plan) and one variant at 0 units that keeps selling. ORDERS orders (default 200, round-robin
 *    over the shops) are placed at once; jobs completed per second is the jobs that succeeded from the first
 *    order until the last of them finished, over that time. SQLite: one process (the embedded default);
 *    PostgreSQL: one `APP_ROLE=web` process taking the webhooks and 1, 2 or 4 `npm run worker` processes.
 *    Target: 4 workers ≥ 3× the jobs/s of one.
 * 3. Order → hold: then PACED orders (default 40) at PACED_RATE/s (default 2), from the checkout to the hold
 *    Shopify applied (both on Local Shopify's clock, its Admin log), p50/p95.
 * Checked: no job ran twice (no job of the run has `attempts` > 1, none dead) and no order was held twice; also
 * printed: orders without a hold when the run was idle, and Local Shopify's deliveries to the web process that
 * failed (no 2xx within its 5 s: retried, on the same 1/100 time scale) or were given up after 8 retries. Jobs
 * of the run not succeeded by then go to stderr. SKIP_ACKS=1 and WORKERS=n (0 = SQLite) run a part only.
 * PostgreSQL: TEST_POSTGRES_URL, else the machine's on 127.0.0.1:5432 (databases bench_scale_* are dropped).
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { cpus, loadavg } from "node:os";
import path from "node:path";

import pg from "pg";

import { ensureBuild } from "../demo/build";
import { effectsOf, type EffectsState } from "../live/effects";
import { API_KEY, API_SECRET, ROOT } from "../live/stack";
import { ControlClient } from "../shopify-local/control/client";
import { installThroughApp } from "../shopify-local/install";
import type { LocalShopifyOptions } from "../shopify-local/server";
import type { connectDatabase as connectDatabaseType } from "../../app/db.server";

const numberOf = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const RATE = numberOf("RATE", 1000);
const ACK_SECONDS = numberOf("ACK_SECONDS", 15);
const SHOPS = numberOf("SHOPS", 20);
const ORDERS = numberOf("ORDERS", 200);
const PACED = numberOf("PACED", 40);
const PACED_RATE = numberOf("PACED_RATE", 2);
const LATENCY_MS = numberOf("ADMIN_LATENCY_MS", 80);
const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const TARGET_ACK_P99_MS = 25;
const TARGET_SCALE = 3;

const TMP = mkdtempSync(path.join(ROOT, ".tmp", "bench-scale-"));
const children: ChildProcess[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(" ");

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
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

// ---- databases --------------------------------------------------------------------------------------------

const migrate = (url: string) =>
  execFileSync(path.join(ROOT, "node_modules/.bin/prisma"), ["migrate", "deploy"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url },
    stdio: "pipe",
  });

const pgDatabases: string[] = [];
const pgUrl = (name: string) => Object.assign(new URL(ADMIN_URL), { pathname: `/${name}` }).toString();
async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const template = `bench_scale_${process.pid}_template`;
async function freshDatabase(kind: "sqlite" | "postgresql", name: string): Promise<string> {
  if (kind === "sqlite") {
    const url = `file:${path.join(TMP, `${name}.sqlite`)}`;
    migrate(url);
    return url;
  }
  if (!pgDatabases.includes(template)) {
    await adminQuery(`CREATE DATABASE "${template}"`);
    pgDatabases.push(template);
    migrate(pgUrl(template));
  }
  const database = `bench_scale_${process.pid}_${name}`;
  await adminQuery(`CREATE DATABASE "${database}" TEMPLATE "${template}"`);
  pgDatabases.push(database);
  return pgUrl(database);
}

// ---- processes ----------------------------------------------------------------------------------------------

function spawnLogged(name: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["pipe", "pipe", "pipe"] });
  let tail = "";
  const keep = (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-4_000));
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  child.once("exit", (code, signal) => {
    if (!stopping) process.stderr.write(`${name} exited (${code ?? signal}):\n${tail}\n`);
  });
  children.push(child);
  return child;
}

async function startLocalShopify(appUrl: string): Promise<ControlClient> {
  const options: LocalShopifyOptions = {
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    appUrl,
    clock: "real",
    timeScale: 0.01,
    faults: { api: { latencyMs: LATENCY_MS } },
  };
  const child = spawnLogged(
    "Local Shopify",
    ["--import", "tsx", "test/live/local-shopify-process.ts", JSON.stringify(options)],
    process.env,
  );
  const origin = await new Promise<string>((resolve) => {
    let first = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      first += chunk.toString();
      if (first.includes("\n")) resolve((JSON.parse(first.split("\n")[0]!) as { origin: string }).origin);
    });
  });
  return new ControlClient(origin);
}

function appEnv(databaseUrl: string, appUrl: string, origin: string | null): NodeJS.ProcessEnv {
  const scopes = /scopes\s*=\s*"([^"]+)"/.exec(readFileSync(path.join(ROOT, "shopify.app.toml"), "utf8"))![1]!;
  return {
    PATH: process.env.PATH,
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    DATABASE_URL: databaseUrl,
    SHOPIFY_API_KEY: API_KEY,
    SHOPIFY_API_SECRET: API_SECRET,
    SHOPIFY_APP_URL: appUrl,
    SCOPES: scopes,
    ...(origin ? { SHOPIFY_ADMIN_API_ORIGIN: origin } : {}),
  };
}

async function waitHealthy(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await sleep(200);
  }
  throw new Error(`${url} was not healthy within ${timeoutMs / 1000} s`);
}

/** `npm start`, as package.json runs it, with `node` as this Node; PORT given. Resolves once /healthz is 200. */
async function startWeb(env: NodeJS.ProcessEnv, port: number, role: "all" | "web", n: number): Promise<void> {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: { start: string } };
  const args = pkg.scripts.start.split(/\s+/).slice(1);
  spawnLogged(`web ${n}`, args, { ...env, PORT: String(port), APP_ROLE: role, WORKER_ID: `web-${n}` });
  await waitHealthy(`http://127.0.0.1:${port}/healthz`);
}

async function startWorker(env: NodeJS.ProcessEnv, n: number): Promise<void> {
  const port = await freePort();
  spawnLogged(`worker ${n}`, ["build/worker/index.js"], {
    ...env,
    APP_ROLE: "worker",
    WORKER_ID: `worker-${n}`,
    WORKER_HEALTH_PORT: String(port),
  });
  await waitHealthy(`http://127.0.0.1:${port}/healthz`);
}

let stopping = false;
async function stopAll(): Promise<void> {
  stopping = true;
  await Promise.all(
    children.splice(0).map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
          setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
        }),
    ),
  );
  stopping = false;
}

// ---- 1. webhook acknowledgements ------------------------------------------------------------------------------

const BODY = readFileSync(path.join(ROOT, "test/fixtures/webhooks/orders-create.2026-07.json"));
const HMAC = createHmac("sha256", API_SECRET).update(BODY).digest("base64");
/** One delivery; "200" or the status / error code. node:http, not fetch: half the driver's CPU per request. */
function deliver(url: string, agent: http.Agent): Promise<string> {
  return new Promise((resolve) => {
    const request = http.request(url, {
      method: "POST",
      agent,
      timeout: 30_000,
      headers: {
        "Content-Type": "application/json",
        "Content-Length": BODY.length,
        "X-Shopify-Topic": "orders/create",
        "X-Shopify-Hmac-Sha256": HMAC,
        "X-Shopify-Shop-Domain": "bench-acks.myshopify.com",
        "X-Shopify-API-Version": "2026-10",
        "X-Shopify-Webhook-Id": randomUUID(),
        "X-Shopify-Event-Id": randomUUID(),
        "X-Shopify-Triggered-At": new Date().toISOString(),
      },
    });
    request.on("response", (response) => {
      response.resume();
      response.on("end", () => resolve(String(response.statusCode)));
    });
    request.on("timeout", () => request.destroy(Object.assign(new Error("timeout"), { code: "TIMEOUT" })));
    request.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.name));
    request.end(BODY);
  });
}

interface AckFigures {
  sent: number;
  acked: number;
  failures: Record<string, number>;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
}

async function ackStep(urls: string[], rate: number, seconds: number): Promise<AckFigures> {
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  const inFlight: Promise<void>[] = [];
  let lastDone = 0;
  // A fresh pool per step: no socket the server closed while idle (keep-alive timeout) is reused.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait >= 1) await sleep(wait);
    const sent = deliver(urls[i % urls.length]!, agent).then((outcome) => {
      lastDone = performance.now();
      if (outcome === "200") latencies.push(lastDone - due);
      else failures[outcome] = (failures[outcome] ?? 0) + 1;
    });
    inFlight.push(sent);
  }
  await Promise.all(inFlight);
  agent.destroy();
  return {
    sent: total,
    acked: latencies.length,
    failures,
    perSecond: latencies.length / ((lastDone - start) / 1000),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: Math.max(...latencies),
  };
}

async function ackRun(kind: "sqlite" | "postgresql"): Promise<AckFigures> {
  const databaseUrl = await freshDatabase(kind, "acks");
  const ports = kind === "sqlite" ? [await freePort()] : [await freePort(), await freePort()];
  const env = appEnv(databaseUrl, `http://127.0.0.1:${ports[0]}`, null);
  try {
    await Promise.all(ports.map((port, n) => startWeb(env, port, kind === "sqlite" ? "all" : "web", n + 1)));
    const urls = ports.map((port) => `http://127.0.0.1:${port}/webhooks/orders/create`);
    await ackStep(urls, 200, 5);
    return await ackStep(urls, RATE, ACK_SECONDS);
  } finally {
    await stopAll();
  }
}

// ---- 2. and 3. jobs and order → hold --------------------------------------------------------------------------

type Db = ReturnType<typeof connectDatabaseType>;

interface JobFigures {
  jobs: number;
  seconds: number;
  perSecond: number;
  ranTwice: number;
  dead: number;
  holdsMissing: number;
  holdsDoubled: number;
  burstHoldP95: number;
  /** Local Shopify's deliveries to the web process that failed (no 2xx within 5 s: retried), and given up. */
  deliveriesFailed: number;
  deliveriesGivenUp: number;
  holdP50: number;
  holdP95: number;
}

interface Shop {
  domain: string;
  variantId: number;
}

/** Nothing due or running in the app, nothing pending at Local Shopify, twice in a row. */
async function waitIdle(db: Db, control: ControlClient, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  while (quiet < 2) {
    if (Date.now() > deadline) throw new Error(`not idle after ${timeoutMs / 1000} s`);
    await sleep(100);
    const due = await db.job.count({
      where: { OR: [{ status: "running" }, { status: "queued", runAt: { lte: new Date() } }] },
    });
    const pending = await control.pending();
    quiet = due === 0 && pending.idle ? quiet + 1 : 0;
  }
}

async function setUpShops(control: ControlClient, appUrl: string): Promise<Shop[]> {
  const shops: Shop[] = [];
  for (let i = 0; i < SHOPS; i++) {
    const domain = `scale-${String(i + 1).padStart(2, "0")}.myshopify.com`;
    const shop = await control.createShop({ domain });
    await installThroughApp({ appUrl, apiKey: API_KEY, apiSecret: API_SECRET, shop: domain });
    const product = await control.createProduct(domain, {
      title: "Flash sale",
      variants: [
        {
          sku: `FLASH-${i + 1}`,
          price: "20.00",
          inventoryPolicy: "CONTINUE",
          tracked: true,
          available: { [String(shop.locations[0]!.id)]: 0 },
        },
      ],
    });
    shops.push({ domain, variantId: product.variants[0]!.id });
  }
  return shops;
}

/** Places the orders; returns each order's checkout time on Local Shopify's clock, by shop and order name. */
async function placeOrders(control: ControlClient, shops: Shop[], count: number, rate: number | null) {
  const { nowMs } = await control.clock();
  const offset = nowMs - Date.now();
  const placed = new Map<string, number>();
  const start = performance.now();
  const orders: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    if (rate !== null) await sleep(Math.max(0, start + (i * 1000) / rate - performance.now()));
    const shop = shops[i % shops.length]!;
    const at = Date.now() + offset;
    const order = control.placeOrder(shop.domain, { lines: [{ variantId: shop.variantId, quantity: 1 }] });
    orders.push(order.then((summary) => void placed.set(`${shop.domain} ${summary.name}`, at)));
    // A burst is sent 20 at a time: Local Shopify's control API, not the app, would be the bottleneck.
    if (rate === null && orders.length % 20 === 0) await Promise.all(orders);
  }
  await Promise.all(orders);
  return placed;
}

/** Per order placed: the first hold's time after checkout; and how many orders have none or more than one. */
async function holdsOf(control: ControlClient, shops: Shop[], placed: Map<string, number>) {
  const state = await control.state();
  const latencies: number[] = [];
  let missing = 0;
  let doubled = 0;
  for (const { domain } of shops) {
    const shopState = state.shops.find((shop) => shop.domain === domain) as unknown as EffectsState;
    const holds = effectsOf(await control.adminLog({ shop: domain }), shopState).filter((e) => e.kind === "hold");
    for (const [key, at] of placed) {
      if (!key.startsWith(`${domain} `)) continue;
      const mine = holds.filter((hold) => `${domain} ${hold.order}` === key);
      if (mine.length === 0) missing++;
      if (mine.length > 1) doubled++;
      if (mine.length > 0) latencies.push(Math.min(...mine.map((hold) => hold.atMs)) - at);
    }
  }
  return { latencies, missing, doubled };
}

async function jobRun(kind: "sqlite" | "postgresql", workers: number): Promise<JobFigures> {
  const databaseUrl = await freshDatabase(kind, `jobs_${workers}`);
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const { connectDatabase } = await import("../../app/db.server");
  const db = connectDatabase(databaseUrl);
  try {
    const control = await startLocalShopify(appUrl);
    const env = appEnv(databaseUrl, appUrl, control.origin);
    await startWeb(env, port, kind === "sqlite" ? "all" : "web", 1);
    for (let n = 1; n <= workers; n++) await startWorker(env, n);
    const shops = await setUpShops(control, appUrl);
    await waitIdle(db, control);
    const before = new Date();
    const done = { status: "succeeded" as const, createdAt: { gte: before } };

    const burst = await placeOrders(control, shops, ORDERS, null);
    await waitIdle(db, control);
    const jobs = await db.job.count({ where: done });
    const last = await db.job.aggregate({ where: done, _max: { updatedAt: true } });
    const seconds = (last._max.updatedAt!.getTime() - before.getTime()) / 1000;
    const burstHolds = await holdsOf(control, shops, burst);

    const paced = await placeOrders(control, shops, PACED, PACED_RATE);
    await waitIdle(db, control);
    const pacedHolds = await holdsOf(control, shops, paced);
    const unfinished = await db.job.findMany({
      where: { createdAt: { gte: before }, status: { not: "succeeded" } },
      select: { type: true, status: true, attempts: true, runAt: true, lastError: true },
    });
    for (const job of unfinished)
      process.stderr.write(
        `unfinished: ${job.type} ${job.status} attempts ${job.attempts} runAt in ${((job.runAt.getTime() - Date.now()) / 1000).toFixed(0)} s: ${job.lastError?.slice(0, 200) ?? ""}\n`,
      );
    const deliveries = await control.webhookLog();
    return {
      deliveriesFailed: deliveries.filter((entry) => entry.outcome === "failed").length,
      deliveriesGivenUp: deliveries.filter((entry) => entry.outcome === "gave_up").length,
      jobs,
      seconds,
      perSecond: jobs / seconds,
      ranTwice: await db.job.count({ where: { attempts: { gt: 1 } } }),
      dead: await db.job.count({ where: { status: "dead" } }),
      holdsMissing: burstHolds.missing + pacedHolds.missing,
      holdsDoubled: burstHolds.doubled + pacedHolds.doubled,
      burstHoldP95: percentile(burstHolds.latencies, 95),
      holdP50: percentile(pacedHolds.latencies, 50),
      holdP95: percentile(pacedHolds.latencies, 95),
    };
  } finally {
    await db.$disconnect();
    await stopAll();
  }
}

// ---- the run ----------------------------------------------------------------------------------------------------

const ms = (n: number) => (Number.isNaN(n) ? "-" : n < 10 ? n.toFixed(2) : n.toFixed(0));
const verdict = (ok: boolean) => (ok ? "PASS" : "FAIL");

async function main(): Promise<void> {
  mkdirSync(TMP, { recursive: true });
  ensureBuild((line) => process.stderr.write(`${line}\n`));
  Object.assign(process.env, {
    NODE_ENV: "production",
    SHOPIFY_API_KEY: API_KEY,
    SHOPIFY_API_SECRET: API_SECRET,
    SHOPIFY_APP_URL: "https://backorder-keeper.bench",
    SCOPES: "read_orders",
  });
  console.info(`bench:scale on ${cpus().length} × ${cpus()[0]?.model ?? "CPU"}; load average at start ${load()}`);

  console.info(`\n1. Webhook acknowledgements, ${RATE}/s offered for ${ACK_SECONDS} s (orders/create sample)`);
  const acks: [string, AckFigures][] = [];
  for (const [label, kind] of process.env.SKIP_ACKS
    ? []
    : ([
        ["SQLite, 1 process (APP_ROLE=all)", "sqlite"],
        ["PostgreSQL, 2 web processes", "postgresql"],
      ] as const)) {
    const figures = await ackRun(kind);
    acks.push([label, figures]);
    const failed = Object.entries(figures.failures).map(([code, n]) => `${code}×${n}`);
    console.info(
      `   ${label.padEnd(34)} ${figures.perSecond.toFixed(0).padStart(5)} acks/s  p50 ${ms(figures.p50)} ms  ` +
        `p99 ${ms(figures.p99)} ms  max ${ms(figures.max)} ms  (${figures.acked}/${figures.sent} acknowledged` +
        `${failed.length > 0 ? `; failed ${failed.join(", ")}` : ""})`,
    );
  }

  console.info(
    `\n2. Jobs: ${ORDERS} orders at once over ${SHOPS} shops (own rate limit each), Admin latency ${LATENCY_MS} ms; ` +
      `then 3. ${PACED} orders at ${PACED_RATE}/s for order → hold`,
  );
  const runs: [string, JobFigures][] = [];
  for (const [label, kind, workers] of [
    ["SQLite, 1 process (APP_ROLE=all)", "sqlite", 0],
    ["PostgreSQL, web + 1 worker", "postgresql", 1],
    ["PostgreSQL, web + 2 workers", "postgresql", 2],
    ["PostgreSQL, web + 4 workers", "postgresql", 4],
  ].filter(([, , n]) => !process.env.WORKERS || String(n) === process.env.WORKERS) as [
    string,
    "sqlite" | "postgresql",
    number,
  ][]) {
    const f = await jobRun(kind, workers);
    runs.push([label, f]);
    console.info(
      `   ${label.padEnd(34)} ${f.perSecond.toFixed(1).padStart(6)} jobs/s (${f.jobs} jobs in ${f.seconds.toFixed(1)} s)  ` +
        `order → hold p50 ${ms(f.holdP50)} ms, p95 ${ms(f.holdP95)} ms (in the burst p95 ${ms(f.burstHoldP95)} ms)  ` +
        `ran twice ${f.ranTwice}, dead ${f.dead}, orders without a hold ${f.holdsMissing}, held twice ${f.holdsDoubled}; ` +
        `webhook deliveries failed ${f.deliveriesFailed}, given up ${f.deliveriesGivenUp}`,
    );
  }

  if (acks.length < 2 || runs.length < 4) return;
  const pgAck = acks[1]![1];
  const one = runs[1]![1].perSecond;
  const four = runs[3]![1].perSecond;
  const clean = runs.every(([, f]) => f.ranTwice === 0 && f.dead === 0 && f.holdsDoubled === 0);
  console.info("\nTargets");
  console.info(
    `   PostgreSQL ack p99 < ${TARGET_ACK_P99_MS} ms at ${RATE}/s, 2 web processes, all acknowledged: ` +
      `${ms(pgAck.p99)} ms, ${pgAck.acked}/${pgAck.sent}: ` +
      verdict(pgAck.p99 < TARGET_ACK_P99_MS && pgAck.acked === pgAck.sent && pgAck.perSecond >= 0.95 * RATE),
  );
  console.info(
    `   4 workers ≥ ${TARGET_SCALE}× the jobs/s of 1: ${four.toFixed(1)} / ${one.toFixed(1)} = ` +
      `${(four / one).toFixed(2)}×: ${verdict(four >= TARGET_SCALE * one)}`,
  );
  console.info(`   no job ran twice, none dead, no order held twice: ${verdict(clean)}`);
  console.info(`\nload average at end ${load()}`);
}

try {
  await main();
} finally {
  await stopAll();
  for (const database of pgDatabases.reverse())
    await adminQuery(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).catch(() => {});
}
