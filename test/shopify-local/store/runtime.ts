import { randomBytes } from "node:crypto";
import type { AppIdentity, Shop } from "./state";

/**
 * The virtual clock. `real` flows with wall time plus whatever `advance` added; `frozen` moves only
 * through `advance`, which makes timestamps and bucket refills exact in tests.
 */
export class VirtualClock {
  private offsetMs = 0;
  private readonly frozenAt: number;

  constructor(
    readonly mode: "real" | "frozen",
    startAt: number,
  ) {
    this.frozenAt = startAt;
    if (mode === "real") this.offsetMs = startAt - Date.now();
  }

  nowMs(): number {
    return (this.mode === "frozen" ? this.frozenAt : Date.now()) + this.offsetMs;
  }

  /** GraphQL's DateTime: UTC, to the second ("2026-11-20T10:00:00Z"). */
  iso(): string {
    return new Date(this.nowMs()).toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/** A subscribed topic fired from a state change; the payload is built at once so it snapshots the state. */
export type EmitWebhook = (shop: Shop, topic: string, payload: () => unknown) => void;

interface Scheduled {
  dueMs: number;
  timer: NodeJS.Timeout;
  run: () => void;
}

/**
 * Shared by every shop of one Local Shopify: ids, clock, the scheduler of Shopify's asynchronous work
 * (routing, jobs, bulk operations, webhook retries) and the webhook sink.
 */
export class Runtime {
  private nextNumericId = 1001;
  private readonly scheduled = new Set<Scheduled>();
  readonly shopsByToken = new Map<string, Shop>();
  readonly shopsByDomain = new Map<string, Shop>();
  emit: EmitWebhook = () => {};

  constructor(
    readonly app: AppIdentity,
    readonly clock: VirtualClock,
    /** Real milliseconds per Shopify millisecond for every delay (1 = real time). */
    readonly timeScale: number,
  ) {}

  id(): number {
    return this.nextNumericId++;
  }

  token(prefix: string): string {
    return `${prefix}${randomBytes(16).toString("hex")}`;
  }

  /** Runs `run` after `shopifyMs` of Shopify time: scaled real time, or sooner when the clock is advanced past it. */
  schedule(shopifyMs: number, run: () => void): void {
    const entry: Scheduled = {
      dueMs: this.clock.nowMs() + shopifyMs,
      run,
      timer: setTimeout(
        () => {
          this.scheduled.delete(entry);
          run();
        },
        Math.max(0, Math.round(shopifyMs * this.timeScale)),
      ),
    };
    this.scheduled.add(entry);
  }

  /** Moves the virtual clock and runs, in due order, the work whose Shopify delay has now passed. */
  advance(ms: number): void {
    this.clock.advance(ms);
    const now = this.clock.nowMs();
    const due = [...this.scheduled].filter((s) => s.dueMs <= now).sort((a, b) => a.dueMs - b.dueMs);
    for (const entry of due) {
      clearTimeout(entry.timer);
      this.scheduled.delete(entry);
      entry.run();
    }
  }

  /** Runs every pending task now, whatever its due time (used by `settle` in tests and the demo). */
  flush(): void {
    while (this.scheduled.size > 0) {
      const entries = [...this.scheduled].sort((a, b) => a.dueMs - b.dueMs);
      for (const entry of entries) {
        clearTimeout(entry.timer);
        this.scheduled.delete(entry);
        entry.run();
      }
    }
  }

  pendingTasks(): number {
    return this.scheduled.size;
  }

  stop(): void {
    for (const entry of this.scheduled) clearTimeout(entry.timer);
    this.scheduled.clear();
  }
}
