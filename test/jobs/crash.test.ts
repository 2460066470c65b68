import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import db from "~/db.server";
import { createJobQueue } from "~/jobs/queue.server";

/**
 * Kill -9 the worker process in the middle of a job, twice, then let a third run to the end: every job
 * completes, and every effect reached the outside world exactly once.
 */
const SHOP = "north-star.myshopify.com";
const JOBS = 6;
const applied = new Map<string, number>();
const server = createServer((request, response) => {
  const key = new URL(request.url ?? "/", "http://x").searchParams.get("key") ?? "";
  applied.set(key, (applied.get(key) ?? 0) + 1);
  response.writeHead(200).end();
});
let effectUrl = "";

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  effectUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
const started: ChildProcess[] = [];
afterAll(async () => {
  // A failed run must not leave a worker behind.
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

interface Worker {
  child: ChildProcess;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startWorker(): Worker {
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve("test/jobs/crash-worker.ts")], {
    env: { ...process.env, EFFECT_URL: effectUrl },
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.push(child);
  const lines: string[] = [];
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => lines.push(...chunk.toString("utf8").split("\n").filter(Boolean)));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => {
      if (code !== 0 && signal === null) console.warn(`crash worker exited ${code}: ${stderr}`);
      resolve({ code, signal });
    }),
  );
  return { child, lines, exited };
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function jobStates() {
  return db.job.findMany({ select: { id: true, status: true, attempts: true }, orderBy: { createdAt: "asc" } });
}

describe("a worker killed in the middle of jobs", () => {
  it("loses no job and doubles no effect", async () => {
    const queue = createJobQueue(db);
    for (let n = 0; n < JOBS; n++) {
      await queue.enqueue({ shop: SHOP, type: "crash:two-effects", payload: { n }, lockKey: `stock:${SHOP}` });
    }

    const killedMidJob: string[] = [];
    for (const round of [1, 2]) {
      const worker = startWorker();
      // Let it finish a job or two first, then kill it during the pause of the next.
      await waitFor(() => worker.lines.filter((line) => line.startsWith("mid ")).length >= round + 1);
      const mid = worker.lines
        .filter((line) => line.startsWith("mid "))
        .at(-1)!
        .split(" ")[1]!;
      worker.child.kill("SIGKILL");
      expect((await worker.exited).signal).toBe("SIGKILL");
      killedMidJob.push(mid);
      // The job it was running is left orphaned: running, with a lease nobody renews.
      expect((await jobStates()).find((job) => job.id === mid)?.status).toBe("running");
    }

    const last = startWorker();
    await waitFor(async () => (await jobStates()).every((job) => job.status === "succeeded"));
    last.child.kill("SIGTERM");
    expect(await last.exited).toEqual({ code: 0, signal: null });

    const jobs = await jobStates();
    expect(jobs).toHaveLength(JOBS);
    for (const id of killedMidJob) expect(jobs.find((job) => job.id === id)!.attempts).toBeGreaterThanOrEqual(2);
    // Each job's two effects reached the outside world once each, retries and kills notwithstanding.
    expect(Object.fromEntries(applied)).toEqual(
      Object.fromEntries(jobs.flatMap((job) => [`${job.id}:first`, `${job.id}:second`]).map((key) => [key, 1])),
    );
    expect(await db.effectLedger.count({ where: { shop: SHOP } })).toBe(JOBS * 2);
  }, 60_000);
});
