import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import db from "~/db.server";
import { flowEventsOf } from "~/models/flow-events.server";

import { startPipeline, type Pipeline } from "./harness";
import { orderOnShopify } from "./story";

/**
 * A burst of 30 backordered orders while a Flow workflow listens to "backorder created". Local Shopify holds
 * back its answer to the 11th hold request after applying it (hold and trigger included), and the worker
 * process is killed (SIGKILL) while it waits: between the mutation and its ledger record. The next worker
 * finds the app's hold on that order, so it knows the trigger went with it: every order gets one trigger.
 */
const SHOP = "effects-crash.myshopify.com";
const ORDERS = 30;
let pipeline: Pipeline;
const started: ChildProcess[] = [];
const output: string[] = [];

function startWorker() {
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

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      const jobs = await db.job.findMany({
        where: { status: { not: "succeeded" } },
        select: { type: true, status: true, attempts: true, lastError: true, runAt: true },
      });
      const log = (await pipeline.shopify.control.adminLog({ shop: SHOP })).slice(-8).map((e) => [e.at, e.operation]);
      throw new Error(
        `timed out; jobs ${JSON.stringify(jobs.slice(0, 2))}; log ${JSON.stringify(log)}; worker said: ${output.join("").slice(-3000)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

beforeAll(async () => {
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
  // A Plus shop's bucket: in a burst placed before any detection, each order reads the later ones
  // (BackorderLaterOrders), which on the Standard plan's 100 points/s would make the test wait on the throttle.
  pipeline = await startPipeline({ plan: { maximumAvailable: 20_000, restoreRate: 1_000 } });
});

afterAll(async () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await pipeline.stop();
});

describe("a worker killed between a hold request with its Flow trigger and the ledger record", () => {
  it("leaves every order of the burst with one 'backorder created' trigger", async () => {
    const { locationId } = await pipeline.install(SHOP, { allocationPolicy: "fifo", allocationWindow: "immediate" });
    await pipeline.turnOnWorkflows(SHOP, ["backorder-created"]);
    const product = await pipeline.shopify.control.createProduct(SHOP, {
      title: "Kettle",
      variants: [
        { sku: "KETTLE", price: "30.00", inventoryPolicy: "CONTINUE", tracked: true, available: { [locationId]: 0 } },
      ],
    });
    const orders = [];
    for (let i = 0; i < ORDERS; i++) {
      orders.push(
        await pipeline.shopify.control.placeOrder(SHOP, {
          customer: { email: `c${i}@example.com` },
          lines: [{ variantId: product.variants[0]!.id, quantity: 1 }],
        }),
      );
    }
    await pipeline.shopify.control.settle();
    pipeline.setIntake(false);
    await pipeline.shopify.control.setFaults({
      api: { lateAnswers: [{ operation: "BackorderHold", skip: 10, ms: 20_000 }] },
    });
    const triggers = async () =>
      (await pipeline.shopify.control.flowTriggers(SHOP)).filter((t) => t.handle === "backorder-created");

    let worker = startWorker();
    // The 11th trigger is recorded when Shopify applies the 11th hold request, whose answer is held back.
    await waitFor(async () => (await triggers()).length >= 11);
    worker.child.kill("SIGKILL");
    expect(await worker.exited).toBe("SIGKILL");
    expect((await triggers()).length).toBe(11);

    worker = startWorker();
    await waitFor(async () => (await db.job.count({ where: { shop: SHOP, status: { not: "succeeded" } } })) === 0);
    worker.child.kill("SIGTERM");
    await worker.exited;

    const perOrder = new Map<number, number>();
    for (const trigger of await triggers()) {
      const id = (trigger.payload as { order_id: number }).order_id;
      perOrder.set(id, (perOrder.get(id) ?? 0) + 1);
    }
    expect(orders.map((order) => perOrder.get(order.id) ?? 0)).toEqual(orders.map(() => 1));
    for (const order of orders) expect(await orderOnShopify(pipeline, SHOP, order)).toMatchObject({ holds: 1 });
    expect((await flowEventsOf(db, SHOP)).map((event) => event.status)).toEqual(orders.map(() => "sent"));
    expect(await db.job.count({ where: { shop: SHOP, attempts: { gt: 1 } } })).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
