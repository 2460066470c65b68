import { env } from "./env.server";

/**
 * Business time: read "now" here and nowhere else. In local mode (LOCAL_CLOCK_URL) it follows Local Shopify's
 * virtual clock, whose state is fetched every `SYNC_EVERY_MS` and by `syncClock`, never once per `now()`.
 */
export interface Clock {
  now(): Date;
  nowMs(): number;
}

interface LocalClockState {
  mode: "real" | "frozen";
  nowMs: number;
}

const SYNC_EVERY_MS = 200;
/** A move bigger than this is the clock being advanced, not drift: the schedule then looks again at once. */
const JUMP_MS = 1_000;

let mode: "system" | "real" | "frozen" = "system";
// real: Local Shopify's now = Date.now() + offsetMs; frozen: it is frozenAtMs until the next advance.
let offsetMs = 0;
let frozenAtMs = 0;
const jumpListeners = new Set<() => unknown>();
let jumpWork: Promise<void> = Promise.resolve();

function nowMs(): number {
  if (mode === "frozen") return frozenAtMs;
  return Date.now() + offsetMs;
}

export const clock: Clock = {
  now: () => new Date(nowMs()),
  nowMs,
};

export function isLocalClock(): boolean {
  return env.LOCAL_CLOCK_URL !== undefined;
}

/** A no-op in production. */
export async function syncClock(): Promise<Date> {
  const url = env.LOCAL_CLOCK_URL;
  if (!url) return clock.now();
  const response = await fetch(url);
  if (!response.ok) throw new Error(`local clock ${url} answered ${response.status}`);
  const state = (await response.json()) as LocalClockState;
  const before = mode === "system" ? null : nowMs();
  if (state.mode === "frozen") {
    mode = "frozen";
    frozenAtMs = state.nowMs;
  } else {
    mode = "real";
    offsetMs = state.nowMs - Date.now();
  }
  // Listeners (the schedule's tick) are awaited, so whoever synced sees the work the jump made due; a sync that
  // comes while another one's listeners still run waits for them too (the idle signal must not answer early).
  if (before !== null && Math.abs(nowMs() - before) > JUMP_MS)
    jumpWork = Promise.all([...jumpListeners].map((listener) => listener())).then(() => undefined);
  await jumpWork;
  return clock.now();
}

/** `syncClock` waits for what `listener` returns. */
export function onClockJump(listener: () => unknown): () => void {
  jumpListeners.add(listener);
  return () => jumpListeners.delete(listener);
}

/** How far apart the clocks of two processes that follow a running Local Shopify clock may be. */
const SPREAD_MS = 1_000;

/**
 * Each process follows Local Shopify's running clock from its own reads, each off by that read's latency, so a
 * job another process enqueued "now" may look a few ms ahead here. Frozen (and system) clocks agree: 0.
 */
export function clockSpreadMs(): number {
  return mode === "real" ? SPREAD_MS : 0;
}

export function followLocalClock(): () => void {
  if (!isLocalClock()) return () => {};
  let stopped = false;
  const loop = () => {
    if (stopped) return;
    syncClock()
      .catch((error: unknown) => console.warn(`local clock sync failed: ${String(error)}`))
      .finally(() => {
        if (!stopped) setTimeout(loop, SYNC_EVERY_MS).unref();
      });
  };
  loop();
  return () => {
    stopped = true;
  };
}
