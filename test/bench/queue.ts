/**
 * `npm run bench:queue`: jobs completed per second by the job runner on SQLite (one runner) and on PostgreSQL
 * with 1, 2 and 4 runners on one database (docs/decisions/0025-postgresql-queue.md). Each runner has its own
 * client, as a process has, and 4 lanes; they share this process's event loop, so the figures are about the
 * claim path, not CPU. JOBS jobs (default 2000) over KEYS lock keys (default 20, shops), each job's handler
 * waiting WORK_MS (default 5: an Admin call's share). Also printed: jobs run twice and the most jobs of one key
 * seen running at once (must be 0 and 1). PostgreSQL: TEST_POSTGRES_URL, else the machine's on 127.0.0.1:5432.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";

import pg from "pg";

const JOBS = Number(process.env.JOBS ?? 2000);
const KEYS = Number(process.env.KEYS ?? 20);
const WORK_MS = Number(process.env.WORK_MS ?? 5);
const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

const sqliteUrl = `file:${path.join(mkdtempSync(path.join(tmpdir(), "bench-queue-")), "bench.sqlite")}`;
Object.assign(process.env, {
  NODE_ENV: "test",
  DATABASE_URL: sqliteUrl,
  SHOPIFY_API_KEY: "bench",
  SHOPIFY_API_SECRET: "bench",
  SHOPIFY_APP_URL: "https://backorder-keeper.test",
  SCOPES: "read_orders",
});
const migrate = (url: string) =>
  execFileSync(path.resolve("node_modules/.bin/prisma"), ["migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: "pipe",
  });

const { connectDatabase } = await import("../../app/db.server");
const { createJobQueue } = await import("../../app/jobs/queue.server");
const { createJobRunner } = await import("../../app/jobs/runner.server");
type Db = ReturnType<typeof connectDatabase>;

async function enqueueAll(db: Db): Promise<void> {
  await db.job.deleteMany();
  const queue = createJobQueue(db);
  for (let i = 0; i < JOBS; i++) {
    const shop = `shop-${i % KEYS}.myshopify.com`;
    await queue.enqueue({ shop, type: "bench", payload: {}, lockKey: `stock:${shop}` });
  }
}

async function measure(url: string, runners: number): Promise<string> {
  const clients = Array.from({ length: runners }, () => connectDatabase(url));
  await enqueueAll(clients[0]!);
  const runs = new Map<string, number>();
  const running = new Map<string, number>();
  let peakPerKey = 0;
  const handlers = {
    bench: async ({ job }: { job: { id: string; shop: string } }) => {
      runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
      running.set(job.shop, (running.get(job.shop) ?? 0) + 1);
      peakPerKey = Math.max(peakPerKey, running.get(job.shop)!);
      await new Promise((resolve) => setTimeout(resolve, WORK_MS));
      running.set(job.shop, running.get(job.shop)! - 1);
    },
  };
  const all = clients.map((db, n) =>
    createJobRunner({ db, handlers, workerId: `bench-${n}`, concurrency: 4, pollMs: 50, leaseClock: () => new Date() }),
  );
  const started = performance.now();
  all.forEach((runner) => runner.start());
  while ((await clients[0]!.job.count({ where: { status: "succeeded" } })) < JOBS)
    await new Promise((resolve) => setTimeout(resolve, 20));
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(all.map((runner) => runner.stop()));
  await Promise.all(clients.map((db) => db.$disconnect()));
  const twice = [...runs.values()].filter((n) => n > 1).length;
  return `${(JOBS / seconds).toFixed(0).padStart(6)} jobs/s  (${seconds.toFixed(2)} s; run twice: ${twice}; most of one key at once: ${peakPerKey})`;
}

migrate(sqliteUrl);
const pgName = `bench_queue_${process.pid}`;
const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
await admin.query(`CREATE DATABASE "${pgName}"`);
const pgUrl = Object.assign(new URL(ADMIN_URL), { pathname: `/${pgName}` }).toString();
try {
  migrate(pgUrl);
  console.info(
    `${JOBS} jobs over ${KEYS} lock keys, ${WORK_MS} ms each; load average ${loadavg()
      .map((n) => n.toFixed(2))
      .join(" ")}`,
  );
  console.info(`SQLite, 1 runner:      ${await measure(sqliteUrl, 1)}`);
  for (const runners of [1, 2, 4]) console.info(`PostgreSQL, ${runners} runner(s): ${await measure(pgUrl, runners)}`);
  console.info(
    `load average after ${loadavg()
      .map((n) => n.toFixed(2))
      .join(" ")}`,
  );
} finally {
  await admin.query(`DROP DATABASE IF EXISTS "${pgName}" WITH (FORCE)`);
  await admin.end();
}
