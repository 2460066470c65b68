import { spawnSync } from "node:child_process";
import { hostname } from "node:os";

import { beforeEach, describe, expect, it } from "vitest";

import { connectDatabase } from "~/db.server";
import { claimNextJob, listDeadJobs, retryDeadJob, stopShopJobs } from "~/models/jobs.server";

import { createJobQueue } from "./queue.server";
import { createJobRunner, leaseHolderAlive, type JobRunnerOptions } from "./runner.server";
import type { JobHandlers, RunningJob } from "../models/job-types";
import { testDatabases } from "../../test/support/postgres";

const SHOP = "north-star.myshopify.com";
// The injected clock starts a minute after the real one, which stamps runAt on enqueue: new jobs are due.
const T0 = new Date(Math.ceil(Date.now() / 1000) * 1000 + 60_000);
function clock(start = T0) {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance: (ms: number) => {
      current += ms;
    },
  };
}

function quietLogger() {
  const lines: string[] = [];
  return {
    lines,
    logger: {
      warn: (line: string) => lines.push(`warn ${line}`),
      error: (line: string) => lines.push(`error ${line}`),
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Every test runs on both providers (docs/decisions/0021-postgresql.md): on PostgreSQL the claims of one
// runner's lanes go over several pooled connections at once.
describe.each(await testDatabases())("on $provider", ({ provider, db, url }) => {
  const queue = createJobQueue(db);

  function runner(handlers: JobHandlers, options: Partial<JobRunnerOptions> = {}) {
    return createJobRunner({ db, handlers, pollMs: 10, logger: quietLogger().logger, random: () => 0.5, ...options });
  }

  beforeEach(async () => {
    await db.$executeRawUnsafe('DELETE FROM "Job"');
  });

  describe("job queue", () => {
    it("does not enqueue a second job with the same dedupe key in the same shop", async () => {
      const first = await queue.enqueue({ shop: SHOP, type: "sweep", payload: {}, dedupeKey: "sweep:2026-11-26" });
      const second = await queue.enqueue({ shop: SHOP, type: "sweep", payload: {}, dedupeKey: "sweep:2026-11-26" });
      const otherShop = await queue.enqueue({
        shop: "b.myshopify.com",
        type: "sweep",
        payload: {},
        dedupeKey: "sweep:2026-11-26",
      });

      expect(second).toEqual({ id: first.id, duplicate: true });
      expect(otherShop.duplicate).toBe(false);
      expect(await db.job.count()).toBe(2);
    });

    it("names the field of a bad job", async () => {
      await expect(queue.enqueue({ shop: SHOP, type: "", payload: {} })).rejects.toThrow("job.type is empty");
      await expect(queue.enqueue({ shop: SHOP, type: "x", payload: {}, maxAttempts: 0 })).rejects.toThrow(
        "job.maxAttempts must be a positive integer, got 0",
      );
    });
  });

  describe("job runner", () => {
    it("runs a due job once with its payload and marks it succeeded", async () => {
      const seen: RunningJob[] = [];
      const { id } = await queue.enqueue({ shop: SHOP, type: "greet", payload: { name: "Ada" } });

      const ran = await runner({ greet: async ({ job }) => void seen.push(job) }).runUntilIdle();

      expect(ran).toBe(1);
      expect(seen).toEqual([{ id, shop: SHOP, type: "greet", payload: { name: "Ada" }, attempt: 1 }]);
      expect(
        await db.job.findUniqueOrThrow({
          where: { id },
          select: { status: true, attempts: true, lockedAt: true, lockedBy: true },
        }),
      ).toEqual({
        status: "succeeded",
        attempts: 1,
        lockedAt: null,
        lockedBy: null,
      });
    });

    it("keeps one job in flight while told to yield, and all its lanes after", async () => {
      let busy = true;
      let inFlight = 0;
      const peaks: number[] = [];
      const handlers: JobHandlers = {
        work: async () => {
          inFlight++;
          peaks.push(inFlight);
          await sleep(50);
          inFlight--;
        },
      };
      for (let i = 0; i < 12; i++) await queue.enqueue({ shop: SHOP, type: "work", payload: { i } });
      const run = runner(handlers, { concurrency: 4, yieldWhile: () => busy });

      run.start();
      while ((await db.job.count({ where: { status: "succeeded" } })) < 4) await sleep(10);
      const whileBusy = Math.max(...peaks);
      busy = false;
      while ((await db.job.count({ where: { status: "succeeded" } })) < 12) await sleep(10);
      await run.stop();

      expect(whileBusy).toBe(1);
      expect(Math.max(...peaks)).toBe(4);
    });

    it("leaves future jobs and jobs of unknown types queued", async () => {
      const time = clock();
      await queue.enqueue({ shop: SHOP, type: "later", payload: {}, runAt: new Date(T0.getTime() + 60_000) });
      await queue.enqueue({ shop: SHOP, type: "unknown", payload: {} });

      expect(await runner({ later: async () => {} }, { now: time.now }).runUntilIdle()).toBe(0);
      time.advance(60_000);
      expect(await runner({ later: async () => {} }, { now: time.now }).runUntilIdle()).toBe(1);
      expect(await db.job.findMany({ select: { type: true, status: true }, orderBy: { type: "asc" } })).toEqual([
        { type: "later", status: "succeeded" },
        { type: "unknown", status: "queued" },
      ]);
    });

    it("retries a failed job after an exponential backoff with jitter", async () => {
      const time = clock();
      const attempts: number[] = [];
      const handlers: JobHandlers = {
        flaky: async ({ job }) => {
          attempts.push(job.attempt);
          if (job.attempt < 3) throw new Error(`boom ${job.attempt}`);
        },
      };
      const { id } = await queue.enqueue({ shop: SHOP, type: "flaky", payload: {} });
      const run = runner(handlers, { now: time.now, backoff: { baseMs: 1_000, maxMs: 60_000 } });

      await run.runUntilIdle();
      // attempt 1: ceiling 1 s, jitter 0.5 → 500 ms + 250 ms
      expect(
        await db.job.findUniqueOrThrow({ where: { id }, select: { status: true, runAt: true, lastError: true } }),
      ).toEqual({
        status: "queued",
        runAt: new Date(T0.getTime() + 750),
        lastError: "Error: boom 1",
      });
      time.advance(749);
      expect(await run.runUntilIdle()).toBe(0);
      time.advance(1);
      await run.runUntilIdle();
      // attempt 2: ceiling 2 s → 1000 + 500 ms
      expect((await db.job.findUniqueOrThrow({ where: { id } })).runAt).toEqual(new Date(T0.getTime() + 750 + 1_500));
      time.advance(1_500);
      await run.runUntilIdle();

      expect(attempts).toEqual([1, 2, 3]);
      expect((await db.job.findUniqueOrThrow({ where: { id } })).status).toBe("succeeded");
    });

    it("dead-letters a job after maxAttempts; the merchant sees it and can retry it", async () => {
      const time = clock();
      const { lines, logger } = quietLogger();
      let broken = true;
      const handlers: JobHandlers = {
        sync: async () => {
          if (broken) throw new Error("Shopify said no");
        },
      };
      const { id } = await queue.enqueue({ shop: SHOP, type: "sync", payload: {}, maxAttempts: 3 });
      const run = runner(handlers, { now: time.now, logger, backoff: { baseMs: 10, maxMs: 10 } });

      for (let i = 0; i < 5; i++) {
        await run.runUntilIdle();
        time.advance(10);
      }

      expect(await listDeadJobs(db, SHOP)).toEqual([
        {
          id,
          type: "sync",
          attempts: 3,
          lastError: "Error: Shopify said no",
          createdAt: expect.any(Date),
          updatedAt: expect.any(Date),
        },
      ]);
      expect(lines.filter((line) => line.startsWith("error"))).toHaveLength(1);
      expect(await retryDeadJob(db, "other.myshopify.com", id)).toBe(false);

      broken = false;
      expect(await retryDeadJob(db, SHOP, id, time.now())).toBe(true);
      await run.runUntilIdle();
      expect(
        await db.job.findUniqueOrThrow({ where: { id }, select: { status: true, attempts: true, lastError: true } }),
      ).toEqual({
        status: "succeeded",
        attempts: 1,
        lastError: null,
      });
    });

    it("never runs two jobs with the same lock key at once, and runs different keys in parallel", async () => {
      const running = new Map<string, number>();
      const peak = new Map<string, number>();
      let peakOverall = 0;
      const handlers: JobHandlers = {
        stock: async ({ job }) => {
          const key = String(job.payload.key);
          running.set(key, (running.get(key) ?? 0) + 1);
          peak.set(key, Math.max(peak.get(key) ?? 0, running.get(key)!));
          peakOverall = Math.max(
            peakOverall,
            [...running.values()].reduce((a, b) => a + b, 0),
          );
          await sleep(30);
          running.set(key, running.get(key)! - 1);
        },
      };
      for (let i = 0; i < 6; i++) {
        for (const key of ["a", "b"]) {
          await queue.enqueue({ shop: SHOP, type: "stock", payload: { key }, lockKey: `stock:${key}` });
        }
      }
      const run = runner(handlers, { concurrency: 4 });

      run.start();
      while ((await db.job.count({ where: { status: "succeeded" } })) < 12) await sleep(20);
      await run.stop();

      expect(Object.fromEntries(peak)).toEqual({ a: 1, b: 1 });
      expect(peakOverall).toBe(2);
    });

    it("gives each job to exactly one of several competing workers", async () => {
      const runs: string[] = [];
      const handlers: JobHandlers = { work: async ({ job }) => void runs.push(job.id) };
      const ids: string[] = [];
      for (let i = 0; i < 30; i++) ids.push((await queue.enqueue({ shop: SHOP, type: "work", payload: { i } })).id);
      const workers = [1, 2, 3].map((n) => runner(handlers, { workerId: `w${n}`, concurrency: 3 }));

      workers.forEach((w) => w.start());
      while ((await db.job.count({ where: { status: "succeeded" } })) < 30) await sleep(20);
      await Promise.all(workers.map((w) => w.stop()));

      expect(runs.sort()).toEqual(ids.sort());
    });

    it("claims again a running job whose worker died, once its lease expires", async () => {
      const time = clock();
      const { id } = await queue.enqueue({ shop: SHOP, type: "resume", payload: {}, lockKey: "stock:x" });
      // A worker claims it and dies without finishing.
      await claimNextJob(db, { workerId: "dead-worker", now: time.now(), leaseMs: 1_000, types: ["resume"] });
      const attempts: number[] = [];
      const run = runner(
        { resume: async ({ job }) => void attempts.push(job.attempt) },
        { now: time.now, leaseMs: 1_000 },
      );

      time.advance(999);
      expect(await run.runUntilIdle()).toBe(0);
      time.advance(2);
      expect(await run.runUntilIdle()).toBe(1);

      expect(attempts).toEqual([2]);
      expect((await db.job.findUniqueOrThrow({ where: { id } })).status).toBe("succeeded");
    });

    it("takes back at once the jobs an earlier run of its identity left running; other identities keep their lease", async () => {
      const time = clock();
      // A pid that no longer runs: a child that has exited.
      const gonePid = spawnSync(process.execPath, ["-e", ""]).pid;
      const host = hostname();
      const holders = {
        earlierRun: `host-a:jobs#${host}:${gonePid}:0ld0ld0l`,
        sameContainerPid: `host-a:jobs#${host}:${process.pid}:0ld0ld0l`,
        lastAttempt: `host-a:jobs#other-host:123:0ld0ld0l`,
        liveProcess: `host-a:jobs#${host}:${process.ppid}:0ld0ld0l`,
        otherIdentity: `host-b:jobs#${host}:${gonePid}:0ld0ld0l`,
      };
      const ids: Record<string, string> = {};
      for (const [name, lockedBy] of Object.entries(holders)) {
        const { id } = await queue.enqueue({
          shop: SHOP,
          type: "resume",
          payload: { name },
          lockKey: `stock:${name}`,
          maxAttempts: name === "lastAttempt" ? 1 : 8,
        });
        await claimNextJob(db, { workerId: lockedBy, now: time.now(), leaseMs: 60_000, types: ["resume"] });
        ids[name] = id;
      }
      const ran: string[] = [];
      const run = runner(
        { resume: async ({ job }) => void ran.push(String(job.payload.name)) },
        { identity: "host-a:jobs", now: time.now, leaseMs: 60_000 },
      );

      time.advance(1_000);
      expect(await run.runUntilIdle()).toBe(2);

      expect(ran.sort()).toEqual(["earlierRun", "sameContainerPid"]);
      const state = async (name: string) =>
        db.job.findUniqueOrThrow({
          where: { id: ids[name] },
          select: { status: true, lockedBy: true, lastError: true },
        });
      expect(await state("lastAttempt")).toEqual({
        status: "dead",
        lockedBy: null,
        lastError: "the worker stopped during the last attempt (restarted)",
      });
      // A live process of this identity (an overlapping restart) and another identity's run wait for their leases.
      expect(await state("liveProcess")).toEqual({ status: "running", lockedBy: holders.liveProcess, lastError: null });
      expect(await state("otherIdentity")).toEqual({
        status: "running",
        lockedBy: holders.otherIdentity,
        lastError: null,
      });
    });

    it("judges a lease holder alive from its worker id", () => {
      const live = createJobRunner({ db, handlers: {}, identity: "x:jobs" });
      expect(leaseHolderAlive(live.workerId)).toBe(true);
      expect(leaseHolderAlive(`x:jobs#${hostname()}:${process.pid}:deadbeef`)).toBe(false);
      expect(leaseHolderAlive("worker-12-abcdef12")).toBe(true);
      expect(() => createJobRunner({ db, handlers: {}, identity: "a#b" })).toThrow('must not contain "#"');
    });

    it("dead-letters an orphaned job that had used its last attempt", async () => {
      const time = clock();
      const { id } = await queue.enqueue({ shop: SHOP, type: "resume", payload: {}, maxAttempts: 1 });
      await claimNextJob(db, { workerId: "dead-worker", now: time.now(), leaseMs: 1_000, types: ["resume"] });

      time.advance(5_000);
      expect(await runner({ resume: async () => {} }, { now: time.now, leaseMs: 1_000 }).runUntilIdle()).toBe(0);

      expect(await db.job.findUniqueOrThrow({ where: { id }, select: { status: true, lastError: true } })).toEqual({
        status: "dead",
        lastError: "the worker stopped during the last attempt (lease expired)",
      });
    });

    it("on stop, hands back a job still running after the grace, which another worker then runs", async () => {
      let release = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      const started: string[] = [];
      const handlers: JobHandlers = {
        slow: async ({ job }) => {
          started.push(job.id);
          if (started.length === 1) await gate;
        },
      };
      const { id } = await queue.enqueue({ shop: SHOP, type: "slow", payload: {}, lockKey: `stock:${SHOP}` });
      const first = runner(handlers, { workerId: "first" });
      first.start();
      while (started.length === 0) await sleep(5);
      expect(first.health()).toMatchObject({ alive: true, stopping: false, inFlight: 1 });

      const stopped = await first.stop({ graceMs: 50 });

      expect(stopped).toEqual({ handedBack: 1 });
      expect(first.health()).toMatchObject({ alive: false, stopping: true });
      // Queued in place, the lease released and the attempt given back.
      expect(await db.job.findUniqueOrThrow({ where: { id } })).toMatchObject({
        status: "queued",
        attempts: 0,
        lockedBy: null,
      });
      const second = runner(handlers, { workerId: "second" });
      expect(await second.runUntilIdle()).toBe(1);
      release();
      expect(started).toEqual([id, id]);
      expect(await db.job.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "succeeded", attempts: 1 });
    });

    it("on stop without a grace, or within it, lets the jobs in flight finish", async () => {
      const handlers: JobHandlers = { slow: async () => void (await sleep(100)) };
      const { id } = await queue.enqueue({ shop: SHOP, type: "slow", payload: {} });
      const run = runner(handlers);
      run.start();
      while ((await db.job.count({ where: { status: "running" } })) === 0) await sleep(5);

      expect(await run.stop({ graceMs: 5_000 })).toEqual({ handedBack: 0 });

      expect(await db.job.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "succeeded", attempts: 1 });
    });

    it("renews the lease of a long job so no other worker takes it over", async () => {
      const runs: string[] = [];
      const handlers = (name: string): JobHandlers => ({
        long: async () => {
          runs.push(name);
          await sleep(400);
        },
      });
      await queue.enqueue({ shop: SHOP, type: "long", payload: {} });
      const first = runner(handlers("first"), { leaseMs: 150 });
      const second = runner(handlers("second"), { leaseMs: 150 });

      first.start();
      await sleep(50);
      second.start();
      while ((await db.job.count({ where: { status: "succeeded" } })) < 1) await sleep(20);
      await Promise.all([first.stop(), second.stop()]);

      expect(runs).toEqual(["first"]);
    });

    it("times leases on the lease clock: a business clock jumping days ahead orphans no running job", async () => {
      const runs: string[] = [];
      const time = clock();
      const handlers = (name: string): JobHandlers => ({
        long: async () => {
          runs.push(name);
          await sleep(300);
        },
      });
      await queue.enqueue({ shop: SHOP, type: "long", payload: {}, runAt: time.now() });
      const options = { now: time.now, leaseClock: () => new Date(), leaseMs: 60_000 };
      const first = runner(handlers("first"), options);
      const second = runner(handlers("second"), options);

      first.start();
      while ((await db.job.count({ where: { status: "running" } })) < 1) await sleep(10);
      // Local Shopify's clock advanced by a day (replay:live, the demo) while the job runs.
      time.advance(86_400_000);
      expect(await second.runUntilIdle()).toBe(0);
      while ((await db.job.count({ where: { status: "succeeded" } })) < 1) await sleep(20);
      await first.stop();

      expect(runs).toEqual(["first"]);
    });

    it("stops gracefully: the job in flight finishes, nothing new is claimed", async () => {
      const finished: number[] = [];
      const handlers: JobHandlers = {
        slow: async ({ job }) => {
          await sleep(150);
          finished.push(Number(job.payload.n));
        },
      };
      await queue.enqueue({ shop: SHOP, type: "slow", payload: { n: 1 } });
      const run = runner(handlers, { concurrency: 1 });

      run.start();
      while ((await db.job.count({ where: { status: "running" } })) < 1) await sleep(5);
      await queue.enqueue({ shop: SHOP, type: "slow", payload: { n: 2 } });
      await run.stop();

      expect(finished).toEqual([1]);
      expect(await db.job.findMany({ select: { status: true }, orderBy: { createdAt: "asc" } })).toEqual([
        { status: "succeeded" },
        { status: "queued" },
      ]);
    });

    it("does not retry a job that was running when its shop uninstalled", async () => {
      const time = clock();
      const { id } = await queue.enqueue({ shop: SHOP, type: "effect", payload: {} });
      const handlers: JobHandlers = {
        effect: async () => {
          await stopShopJobs(db, SHOP);
          throw new Error("401 Unauthorized");
        },
      };

      await runner(handlers, { now: time.now }).runUntilIdle();

      expect((await db.job.findUniqueOrThrow({ where: { id } })).status).toBe("dead");
    });
  });

  describe("claims", () => {
    it("never gives two clients two jobs of one lock key at once", async () => {
      // On PostgreSQL two clients, as two processes would be, each claiming over several pooled connections. SQLite
      // has one connection per process (a second one in the same process would wait on the first synchronously);
      // its processes are tested in test/jobs/crash.test.ts.
      const other = provider === "postgresql" ? connectDatabase(url) : db;
      const time = clock();
      try {
        for (let round = 0; round < 40; round++) {
          await db.job.deleteMany({});
          // An orphan of the key (its worker died) and a queued job of the same key, claimed at the same moment by
          // workers that handle one type each: each sees the other job as not running.
          await queue.enqueue({ shop: SHOP, type: "resume", payload: {}, lockKey: "stock:item-1" });
          await claimNextJob(db, { workerId: "dead-worker", now: time.now(), leaseMs: 1_000, types: ["resume"] });
          await queue.enqueue({ shop: SHOP, type: "stock", payload: {}, lockKey: "stock:item-1" });
          const later = new Date(time.now().getTime() + 5_000);
          const claims = await Promise.all(
            Array.from({ length: 8 }, (_, i) =>
              claimNextJob(i % 2 === 0 ? db : other, {
                workerId: `w${i}`,
                now: later,
                leaseMs: 1_000,
                types: i % 4 < 2 ? ["resume"] : ["stock"],
              }),
            ),
          );
          const claimed = claims.filter((claim) => claim !== null).map((claim) => claim.type);
          expect({ round, claimed: claimed.length }).toEqual({ round, claimed: 1 });
          expect(await db.job.count({ where: { status: "running", lockedAt: { gte: later } } })).toBe(1);
        }
      } finally {
        if (other !== db) await other.$disconnect();
      }
    });
  });
});
