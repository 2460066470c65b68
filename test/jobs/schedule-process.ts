/**
 * One process's schedule tick for test/jobs/postgres-queue.test.ts: over DATABASE_URL, at TICK_AT (an ISO
 * instant, the same for every process). It prints `ready` once connected and ticks when a line comes on stdin,
 * so the test starts the processes' ticks together. Prints `enqueued <n>`.
 */
import db from "../../app/db.server";
import { createJobQueue } from "../../app/jobs/queue.server";
import { scheduleTick } from "../../app/jobs/schedule.server";

const at = new Date(process.env.TICK_AT ?? "");
// The first use of each statement compiles it: done before the tick, so the two processes' ticks overlap.
const warm = await db.job.create({ data: { shop: `warm-${process.pid}`, type: "warm", runAt: at } });
await db.job.findUnique({ where: { shop_dedupeKey: { shop: warm.shop, dedupeKey: "warm" } } });
await db.job.delete({ where: { id: warm.id } });
await db.session.findMany({ where: { isOnline: false }, distinct: ["shop"] });
await db.shopSettings.findUnique({ where: { shop: warm.shop } });
console.info("ready");
await new Promise((resolve) => process.stdin.once("data", resolve));
const enqueued = await scheduleTick({ db, queue: createJobQueue(db), timeZoneFor: async () => "Europe/Paris" }, at);
console.info(`enqueued ${enqueued}`);
await db.$disconnect();
