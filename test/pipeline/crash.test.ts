import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import db from "~/db.server";

import { startPipeline, type Pipeline } from "./harness";
import { orderOnShopify, records } from "./story";

/**
 * The seed story with the worker process killed (SIGKILL) twice: once while orders are being held, once
 * in the middle of the cut-off's releases. A fresh worker picks the orphaned jobs up; Shopify ends exactly
 * as in the calm run, with one hold per order and no unit released twice.
 */
const SHOP = "crash-story.myshopify.com";
let pipeline: Pipeline;
const started: ChildProcess[] = [];
const output: string[] = [];

function startWorker(): { child: ChildProcess; exited: Promise<NodeJS.Signals | number | null> } {
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve("test/pipeline/crash-worker.ts")], {
    env: { ...process.env, SHOPIFY_ADMIN_API_ORIGIN: pipeline.shopify.origin },
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.push(child);
  child.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString("utf8")));
  child.stdout!.on("data", (chunk: Buffer) => output.push(chunk.toString("utf8")));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.on("exit", (code, signal) => resolve(signal ?? code)),
  );
  return { child, exited };
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 40_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      const jobs = await db.job.findMany({
        where: { status: { not: "succeeded" } },
        select: { type: true, status: true, attempts: true, lastError: true },
      });
      throw new Error(
        `timed out; unfinished jobs: ${JSON.stringify(jobs.length)}; worker said: ${output.join("").slice(-3000)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

beforeAll(async () => {
  // The worker process writes while this one reads: WAL keeps readers from blocking it (see test/jobs/crash.test.ts).
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
  pipeline = await startPipeline();
});

afterAll(async () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await pipeline.stop();
});

describe("a pipeline worker killed in the middle of jobs", () => {
  it("ends with the calm run's holds and releases, none applied twice", async () => {
    const { locationId } = await pipeline.install(SHOP, { allocationPolicy: "fair_share", allocationWindow: "batch" });
    const product = await pipeline.shopify.control.createProduct(SHOP, {
      title: "Ceramic pour-over",
      variants: [
        {
          sku: "POUR",
          price: "40.00",
          inventoryPolicy: "CONTINUE",
          tracked: true,
          available: { [String(locationId)]: 9 },
        },
      ],
    });
    const orders: { id: number; gid: string; name: string }[] = [];
    for (let i = 0; i < 7; i++) {
      orders.push(
        await pipeline.shopify.control.placeOrder(SHOP, {
          customer: { email: `c${i}@example.com` },
          lines: [{ variantId: product.variants[0]!.id, quantity: 3 }],
        }),
      );
    }
    await pipeline.shopify.control.settle();
    // From here only the worker process writes the database: two SQLite writers in two processes contend
    // for the lock (libSQL has no busy timeout), which is the runner's concern, not this story's.
    pipeline.setIntake(false);
    const view = async () => Promise.all(orders.map((order) => orderOnShopify(pipeline, SHOP, order)));

    // 1. Killed while the orders are being held.
    let worker = startWorker();
    await waitFor(async () => (await view()).filter((o) => o.held > 0).length >= 2);
    worker.child.kill("SIGKILL");
    expect(await worker.exited).toBe("SIGKILL");
    expect((await view()).filter((o) => o.held > 0).length).toBeLessThan(7);

    // 2. A new worker holds the rest (the orphaned job once its lease expires); then the cut-off, killed
    //    in the middle: after Shopify released units, before the records say so.
    worker = startWorker();
    await waitFor(async () => (await db.job.count({ where: { shop: SHOP, status: { not: "succeeded" } } })) === 0);
    expect((await view()).map((o) => o.held)).toEqual([3, 3, 3, 3, 3, 3, 3]);
    await pipeline.enqueue(SHOP, "allocate", {});
    await waitFor(async () => (await view()).some((o) => o.released > 0));
    worker.child.kill("SIGKILL");
    expect(await worker.exited).toBe("SIGKILL");

    // 3. A fresh worker finishes everything, the orphaned job included once its lease expires.
    worker = startWorker();
    await waitFor(async () => (await db.job.count({ where: { shop: SHOP, status: { not: "succeeded" } } })) === 0);
    worker.child.kill("SIGTERM");
    await worker.exited;

    const final = await view();
    expect(final.map(({ released, held, holds }) => [released, held, holds])).toEqual([
      [2, 1, 1],
      [2, 1, 1],
      [1, 2, 1],
      [1, 2, 1],
      [1, 2, 1],
      [1, 2, 1],
      [1, 2, 1],
    ]);
    expect((await records(SHOP)).lines.map((line) => [line.shipped, line.backordered])).toEqual(
      final.map((o) => [o.released, o.held]),
    );
    expect(await db.job.count({ where: { shop: SHOP, attempts: { gt: 1 } } })).toBeGreaterThanOrEqual(1);
  }, 90_000);
});
