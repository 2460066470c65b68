import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { startLocalShopify, type LocalShopify } from "../shopify-local/server";

const SHOP = "idle.myshopify.com";
const START = Date.parse("2026-11-02T09:00:00Z");
const DAY = 86_400_000;

async function loadRoute(env: Record<string, string | undefined>) {
  vi.resetModules();
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  const route = await import("~/routes/local.idle");
  const { createJobQueue } = await import("~/jobs/queue.server");
  const { default: db } = await import("~/db.server");
  const idle = async (query = `?shop=${SHOP}`) => {
    const response = await route.loader({
      request: new Request(`http://app/local/idle${query}`),
      params: {},
      context: {},
    });
    return { status: response.status, body: response.status === 200 ? await response.json() : await response.text() };
  };
  return { idle, queue: createJobQueue(db) };
}

describe("GET /local/idle (the live stack's idle signal)", () => {
  let local: LocalShopify;
  beforeAll(async () => {
    local = await startLocalShopify({ apiSecret: "s", clock: "frozen", startAt: new Date(START) });
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await local.stop();
  });

  it("does not exist outside local mode", async () => {
    const { idle } = await loadRoute({ LOCAL_CLOCK_URL: undefined });
    expect((await idle()).status).toBe(404);
  });

  it("reports a due job as busy, and a job due later as idle until Local Shopify's clock reaches it", async () => {
    const { idle, queue } = await loadRoute({
      SHOPIFY_ADMIN_API_ORIGIN: local.origin,
      LOCAL_CLOCK_URL: `${local.origin}/_local/clock`,
    });
    expect(await idle("")).toEqual({ status: 400, body: expect.stringContaining("shop: required") });
    expect((await idle()).body).toEqual({
      now: "2026-11-02T09:00:00.000Z",
      idle: true,
      running: 0,
      due: 0,
      nextRunAt: null,
      nextRetryAt: null,
    });

    const later = new Date(START + 3_600_000);
    await queue.enqueue({ shop: SHOP, type: "deadline_sweep", payload: {}, lockKey: `shop:${SHOP}`, runAt: later });
    await queue.enqueue({ shop: "other.myshopify.com", type: "reconcile", payload: {}, runAt: new Date(START) });
    expect((await idle()).body).toMatchObject({ idle: true, due: 0, nextRunAt: later.toISOString() });

    await local.control.advanceClock(3_600_000);
    expect((await idle()).body).toMatchObject({ now: later.toISOString(), idle: false, due: 1 });
  });

  it("reports the sweep of a waiting line's next notice as the next run, in the next hour once this one was swept", async () => {
    const { idle } = await loadRoute({
      SHOPIFY_ADMIN_API_ORIGIN: local.origin,
      LOCAL_CLOCK_URL: `${local.origin}/_local/clock`,
    });
    const { default: db } = await import("~/db.server");
    await db.job.deleteMany({ where: { shop: SHOP } });
    const orderedAt = new Date((await local.control.clock()).nowMs);
    await db.backorderLine.create({
      data: {
        shop: SHOP,
        orderId: "gid://shopify/Order/1",
        orderName: "#1001",
        orderedAt,
        lineItemId: "gid://shopify/LineItem/2",
        title: "Chair",
        quantity: 2,
        backorderedQty: 2,
        promisedAt: new Date(orderedAt.getTime() + 14 * DAY),
        deadlineAt: new Date(orderedAt.getTime() + 30 * DAY),
      },
    });
    // Default settings: the reminder comes 3 days before the promised date.
    const reminder = new Date(orderedAt.getTime() + 11 * DAY);
    expect((await idle()).body).toMatchObject({ idle: true, nextRunAt: reminder.toISOString() });

    const slot = Math.floor(reminder.getTime() / 3_600_000);
    await db.job.create({
      data: { shop: SHOP, type: "deadline_sweep", dedupeKey: `deadline_sweep:${slot}`, status: "succeeded" },
    });
    expect((await idle()).body).toMatchObject({ nextRunAt: new Date((slot + 1) * 3_600_000).toISOString() });
    await db.backorderLine.deleteMany({ where: { shop: SHOP } });
  });

  it("a job enqueued without a time is due at the app's now (Local Shopify's clock), not the database's", async () => {
    const { idle, queue } = await loadRoute({
      SHOPIFY_ADMIN_API_ORIGIN: local.origin,
      LOCAL_CLOCK_URL: `${local.origin}/_local/clock`,
    });
    const { default: db } = await import("~/db.server");
    await db.job.deleteMany({ where: { shop: SHOP } });
    await idle();
    await queue.enqueue({ shop: SHOP, type: "allocate", payload: {}, lockKey: `shop:${SHOP}` });
    const { nowMs } = await local.control.clock();
    expect((await idle()).body).toMatchObject({ idle: false, due: 1 });
    const job = await db.job.findFirstOrThrow({ where: { shop: SHOP, type: "allocate" } });
    expect(job.runAt.getTime()).toBe(nowMs);
  });

  it("names when a failed job is retried: idle meanwhile, but its work is not done", async () => {
    const { idle } = await loadRoute({
      SHOPIFY_ADMIN_API_ORIGIN: local.origin,
      LOCAL_CLOCK_URL: `${local.origin}/_local/clock`,
    });
    const { default: db } = await import("~/db.server");
    await db.job.deleteMany({ where: { shop: SHOP } });
    const { nowMs } = await local.control.clock();
    const retryAt = new Date(nowMs + 1_500);
    const sweepAt = new Date(nowMs + 600_000);
    await db.job.createMany({
      data: [
        { shop: SHOP, type: "deadline_sweep", runAt: sweepAt },
        { shop: SHOP, type: "order_routed", attempts: 1, lastError: "503 Service Unavailable", runAt: retryAt },
      ],
    });
    expect((await idle()).body).toMatchObject({
      idle: true,
      nextRunAt: retryAt.toISOString(),
      nextRetryAt: retryAt.toISOString(),
    });
    await db.job.updateMany({ where: { shop: SHOP, attempts: 1 }, data: { status: "succeeded" } });
    expect((await idle()).body).toMatchObject({ nextRunAt: sweepAt.toISOString(), nextRetryAt: null });
  });

  it("on a running clock counts a job due within a second as due: another process's clock may run ahead", async () => {
    const running = await startLocalShopify({ apiSecret: "s", clock: "real", startAt: new Date(START) });
    try {
      const { idle } = await loadRoute({
        SHOPIFY_ADMIN_API_ORIGIN: running.origin,
        LOCAL_CLOCK_URL: `${running.origin}/_local/clock`,
      });
      const { default: db } = await import("~/db.server");
      await db.job.deleteMany({ where: { shop: SHOP } });
      const { nowMs } = await running.control.clock();
      await db.job.create({ data: { shop: SHOP, type: "allocate", runAt: new Date(nowMs + 300) } });
      expect((await idle()).body).toMatchObject({ idle: false, due: 1 });
      await db.job.deleteMany({ where: { shop: SHOP } });
      await db.job.create({ data: { shop: SHOP, type: "deadline_sweep", runAt: new Date(nowMs + 600_000) } });
      expect((await idle()).body).toMatchObject({ idle: true, due: 0 });
    } finally {
      await running.stop();
    }
  });
});
