/**
 * `npm run bench:recovery`: how long work in flight stalls after the worker process is killed with SIGKILL
 * and restarted at once. Local Shopify sends a burst of ORDERS orders (each backordered) to the app's real
 * intake; a worker process (test/bench/recovery-worker.ts: the app's runner with its production defaults)
 * works through the jobs; once some orders are held it is killed in the middle of a job and a new one is
 * started. Printed: seconds from the restart until the job it was running succeeded, and until every order
 * of the burst is held. Env: ORDERS (default 50), RUNS (default 1).
 */
import { spawn, type ChildProcess, execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const ORDERS = Number(process.env.ORDERS ?? 50);
const RUNS = Number(process.env.RUNS ?? 1);

const dir = mkdtempSync(path.join(tmpdir(), "recovery-"));
process.env.DATABASE_URL = `file:${path.join(dir, "bench.sqlite")}`;
Object.assign(process.env, {
  NODE_ENV: "test",
  SHOPIFY_API_KEY: "test-api-key",
  SHOPIFY_API_SECRET: "test-api-secret",
  SHOPIFY_APP_URL: "https://backorder-keeper.test",
  SCOPES: "read_orders,write_orders",
});
execFileSync(path.resolve("node_modules/.bin/prisma"), ["migrate", "deploy"], { env: process.env, stdio: "pipe" });

const { startPipeline } = await import("../pipeline/harness");
const { default: db } = await import("../../app/db.server");
await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
await db.$queryRawUnsafe("PRAGMA busy_timeout = 5000");

const children: ChildProcess[] = [];
function startWorker(origin: string) {
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve("test/bench/recovery-worker.ts")], {
    env: { ...process.env, SHOPIFY_ADMIN_API_ORIGIN: origin },
    stdio: ["ignore", "inherit", "inherit"],
  });
  children.push(child);
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  return { child, exited };
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function run(index: number) {
  const pipeline = await startPipeline();
  const shop = `recovery-${index}.myshopify.com`;
  try {
    const { locationId } = await pipeline.install(shop, { allocationPolicy: "fifo" });
    const product = await pipeline.shopify.control.createProduct(shop, {
      title: "Bench product",
      variants: [
        {
          sku: "REC",
          price: "10.00",
          inventoryPolicy: "CONTINUE",
          tracked: true,
          available: { [String(locationId)]: 0 },
        },
      ],
    });
    for (let i = 0; i < ORDERS; i++) {
      await pipeline.shopify.control.placeOrder(shop, {
        customer: { email: `r${i}@example.com` },
        lines: [{ variantId: product.variants[0]!.id, quantity: 1 }],
      });
    }
    await pipeline.shopify.control.settle();
    pipeline.setIntake(false);
    const held = () => db.backorderLine.count({ where: { shop, holdId: { not: null } } });

    let worker = startWorker(pipeline.shopify.origin);
    await waitFor(async () => (await held()) >= Math.ceil(ORDERS / 5));
    // Killed in the middle of a job: a kill that lands between two jobs leaves nothing in flight, so the
    // worker is started again and killed again until one does.
    let orphans: { id: string }[] = [];
    for (let tries = 0; orphans.length === 0; tries++) {
      if (tries > 0) worker = startWorker(pipeline.shopify.origin);
      if (tries >= 20) throw new Error("no kill landed in the middle of a job");
      await waitFor(async () => (await db.job.count({ where: { shop, status: "running" } })) > 0);
      worker.child.kill("SIGKILL");
      await worker.exited;
      orphans = await db.job.findMany({ where: { shop, status: "running" }, select: { id: true } });
    }
    const heldAtKill = await held();

    const restartedAt = Date.now();
    worker = startWorker(pipeline.shopify.origin);
    await waitFor(
      async () =>
        (await db.job.count({ where: { id: { in: orphans.map((o) => o.id) }, status: "succeeded" } })) ===
        orphans.length,
    );
    const orphansDone = (Date.now() - restartedAt) / 1000;
    await waitFor(async () => (await held()) === ORDERS);
    const burstDone = (Date.now() - restartedAt) / 1000;
    worker.child.kill("SIGTERM");
    await worker.exited;
    return { orphans: orphans.length, heldAtKill, orphansDone, burstDone };
  } finally {
    await pipeline.stop();
  }
}

try {
  console.info(`${ORDERS} backordered orders; the worker is killed (SIGKILL) once a fifth are held, then restarted`);
  for (let index = 0; index < RUNS; index++) {
    const r = await run(index);
    console.info(
      `run ${index + 1}: killed with ${r.heldAtKill}/${ORDERS} held and ${r.orphans} job(s) in flight; ` +
        `after the restart the orphaned job succeeded in ${r.orphansDone.toFixed(2)} s, ` +
        `all ${ORDERS} orders held in ${r.burstDone.toFixed(2)} s`,
    );
  }
} finally {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}
