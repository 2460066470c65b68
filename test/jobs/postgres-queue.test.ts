import { spawn } from "node:child_process";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { connectDatabase, type Db } from "~/db.server";
import { createJobQueue } from "~/jobs/queue.server";
import { createJobRunner } from "~/jobs/runner.server";
import type { JobHandlers } from "~/models/job-types";
import { DEFAULT_SETTINGS, saveSettings } from "~/models/settings.server";

import { createPostgresDatabase } from "../support/postgres";

/**
 * The job queue on PostgreSQL with several processes on one database (docs/decisions/0025-postgresql-queue.md):
 * each runner has its own client (its own pool), as a process has.
 */
const SHOP = "north-star.myshopify.com";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
const clients: Db[] = [];
beforeAll(async () => {
  database = await createPostgresDatabase();
  for (let n = 0; n < 2; n++) clients.push(connectDatabase(database.url));
});
afterAll(async () => {
  for (const client of clients) await client.$disconnect();
  await database?.drop();
});

describe("two runners on one PostgreSQL database", () => {
  it("never run one job twice, nor two jobs of one lock key at once", async () => {
    const [a, b] = clients as [Db, Db];
    const queue = createJobQueue(a);
    const keys = ["stock:a", "stock:b", "stock:c", null];
    const ids: string[] = [];
    for (let i = 0; i < 120; i++) {
      const lockKey = keys[i % keys.length]!;
      ids.push((await queue.enqueue({ shop: SHOP, type: "stock", payload: { lockKey }, lockKey })).id);
    }
    const runs: string[] = [];
    const running = new Map<string, number>();
    let overlaps = 0;
    let parallel = 0;
    const handlers: JobHandlers = {
      stock: async ({ job }) => {
        runs.push(job.id);
        const key = job.payload.lockKey as string | null;
        const inKey = (running.get(String(key)) ?? 0) + 1;
        running.set(String(key), inKey);
        if (key !== null && inKey > 1) overlaps++;
        parallel = Math.max(
          parallel,
          [...running.values()].reduce((sum, n) => sum + n, 0),
        );
        await sleep(2 + Math.floor(Math.random() * 4));
        running.set(String(key), running.get(String(key))! - 1);
      },
    };
    const runners = [a, b].map((db, n) =>
      createJobRunner({ db, handlers, workerId: `w${n}`, concurrency: 4, pollMs: 5, logger: console }),
    );

    runners.forEach((runner) => runner.start());
    while ((await a.job.count({ where: { status: "succeeded" } })) < ids.length) await sleep(20);
    await Promise.all(runners.map((runner) => runner.stop()));

    expect(runs.toSorted()).toEqual(ids.toSorted());
    expect(overlaps).toBe(0);
    // The three keys and the unkeyed jobs did run side by side: the test would see an overlap if one happened.
    expect(parallel).toBeGreaterThanOrEqual(3);
    expect(await a.job.groupBy({ by: ["lockedBy"], _count: true })).toEqual([{ lockedBy: null, _count: ids.length }]);
  }, 60_000);
});

describe("the schedule on PostgreSQL", () => {
  it("enqueues each period's jobs once when two processes tick at the same moment", async () => {
    const db = clients[0]!;
    const shops = ["a.myshopify.com", "b.myshopify.com", "c.myshopify.com"];
    for (const shop of shops)
      await db.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: "t" } });
    await saveSettings(db, "b.myshopify.com", { ...DEFAULT_SETTINGS, allocationWindow: "batch" });
    await db.job.deleteMany();
    const tickAt = "2026-11-26T10:30:00.000Z";
    const processes = [1, 2].map(() => tickProcess({ DATABASE_URL: database.url, TICK_AT: tickAt }));
    await Promise.all(processes.map((p) => p.ready));

    processes.forEach((p) => p.go());
    const outputs = await Promise.all(processes.map((p) => p.done));

    // 4 periodic jobs per shop and the batch shop's cut-off: 13 in all, however the two processes shared them.
    const enqueued = outputs.map((out) => Number(/enqueued (\d+)/.exec(out)?.[1]));
    expect(enqueued.reduce((sum, n) => sum + n, 0)).toBe(13);
    const jobs = await db.job.findMany({ select: { shop: true, type: true, dedupeKey: true } });
    expect(jobs).toHaveLength(13);
    expect(new Set(jobs.map((job) => `${job.shop} ${job.dedupeKey}`)).size).toBe(13);
    expect(jobs.filter((job) => job.type === "allocate").map((job) => job.shop)).toEqual(["b.myshopify.com"]);
  }, 60_000);
});

function tickProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve("test/jobs/schedule-process.ts")], {
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let onReady = () => {};
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8");
    if (out.includes("ready")) onReady();
  });
  child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
  const done = new Promise<string>((resolve, reject) =>
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`tick exited ${code}: ${out}`)))),
  );
  return { ready, done, go: () => child.stdin.end("go\n") };
}
