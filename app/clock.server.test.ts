import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { startLocalShopify, type LocalShopify } from "../test/shopify-local/server";

const START = Date.parse("2026-11-02T09:00:00Z");
const DAY = 86_400_000;

/** The clock module as the app loads it at boot with this environment. */
async function loadClock(env: Record<string, string | undefined>) {
  vi.resetModules();
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  return import("./clock.server");
}

describe("the app's clock", () => {
  let frozen: LocalShopify;
  let moving: LocalShopify;
  beforeAll(async () => {
    frozen = await startLocalShopify({ apiSecret: "s", clock: "frozen", startAt: new Date(START) });
    moving = await startLocalShopify({ apiSecret: "s", clock: "real", startAt: new Date(START) });
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await frozen.stop();
    await moving.stop();
  });

  it("is the system clock without LOCAL_CLOCK_URL, and syncing changes nothing", async () => {
    const { clock, syncClock, isLocalClock } = await loadClock({ LOCAL_CLOCK_URL: undefined });
    expect(isLocalClock()).toBe(false);
    await syncClock();
    expect(Math.abs(clock.nowMs() - Date.now())).toBeLessThan(60_000);
  });

  it("follows Local Shopify's frozen clock exactly, and tells listeners when it jumps", async () => {
    const { clock, syncClock, onClockJump } = await loadClock({
      SHOPIFY_ADMIN_API_ORIGIN: frozen.origin,
      LOCAL_CLOCK_URL: `${frozen.origin}/_local/clock`,
    });
    const jumps: number[] = [];
    onClockJump(() => jumps.push(clock.nowMs()));
    await syncClock();
    expect(clock.now().toISOString()).toBe("2026-11-02T09:00:00.000Z");
    expect(jumps).toEqual([]);

    await frozen.control.advanceClock(14 * DAY);
    // Between syncs the app keeps its last reading: no HTTP call per now().
    expect(clock.nowMs()).toBe(START);
    await syncClock();
    expect(clock.nowMs()).toBe(START + 14 * DAY);
    expect(jumps).toEqual([START + 14 * DAY]);
  });

  it("makes a sync that comes during another's jump work wait for it, so no reader sees the jump half done", async () => {
    const { syncClock, onClockJump } = await loadClock({
      SHOPIFY_ADMIN_API_ORIGIN: frozen.origin,
      LOCAL_CLOCK_URL: `${frozen.origin}/_local/clock`,
    });
    await syncClock();
    let finish: (() => void) | undefined;
    onClockJump(() => new Promise<void>((resolve) => (finish = resolve)));
    await frozen.control.advanceClock(DAY);
    const jumping = syncClock();
    await vi.waitFor(() => expect(finish).toBeDefined());
    let later = false;
    const reader = syncClock().then(() => (later = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(later).toBe(false);
    finish!();
    await Promise.all([jumping, reader]);
    expect(later).toBe(true);
  });

  it("keeps Local Shopify's offset while its clock moves with wall time", async () => {
    const { clock, syncClock } = await loadClock({
      SHOPIFY_ADMIN_API_ORIGIN: moving.origin,
      LOCAL_CLOCK_URL: `${moving.origin}/_local/clock`,
    });
    await moving.control.advanceClock(3 * DAY);
    await syncClock();
    const shopify = (await moving.control.clock()).nowMs;
    // Both clocks run on this machine's wall time; they differ by the request's latency only.
    expect(Math.abs(clock.nowMs() - shopify)).toBeLessThan(5_000);
    expect(clock.nowMs()).toBeGreaterThanOrEqual(START + 3 * DAY);
  });

  it("cannot be pointed anywhere in production: boot refuses the override", async () => {
    await expect(
      loadClock({
        SHOPIFY_ADMIN_API_ORIGIN: undefined,
        LOCAL_CLOCK_URL: `${frozen.origin}/_local/clock`,
      }),
    ).rejects.toThrow(/LOCAL_CLOCK_URL is refused/);
  });
});
