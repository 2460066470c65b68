import { clock, onClockJump } from "../clock.server";
import type { Db } from "../db.server";
import { installedShops } from "../models/backorders.server";
import { getSettings, type Settings } from "../models/settings.server";
import { shopLockKey } from "../services/intake.server";
import { ShopInfoDocument } from "../shopify/generated/operations";
import { gatewayForShop } from "../shopify/gateway.server";
import type { EnqueueJob, JobQueue } from "../models/job-types";

/** Each run of a period has its own dedupe key, so ticking often costs nothing. */
export const SWEEP_EVERY_HOURS = 1;
export const RECONCILE_EVERY_HOURS = 6;
export const PAYLOAD_RETENTION = "payload_retention";

export function nextCutoff(now: Date, cutoffTime: string, timeZone: string): Date {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(cutoffTime);
  if (!match) throw new Error(`cutoffTime must be HH:MM, got ${JSON.stringify(cutoffTime)}`);
  const [hours, minutes] = [Number(match[1]), Number(match[2])];
  const local = wallClock(now, timeZone);
  for (let days = 0; days <= 1; days++) {
    const candidate = instantOf(local.year, local.month, local.day + days, hours, minutes, timeZone);
    if (candidate.getTime() >= now.getTime()) return candidate;
  }
  throw new Error("unreachable: a cut-off is at most a day away");
}

function wallClock(at: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  return {
    year: get("year"),
    month: get("month"),
    day: get("day"),
    hour: get("hour"),
    minute: get("minute"),
    second: get("second"),
  };
}

/** DST gaps resolve forward. */
function instantOf(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): Date {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  let guess = asUtc;
  for (let i = 0; i < 2; i++) {
    const shown = wallClock(new Date(guess), timeZone);
    const shownAsUtc = Date.UTC(shown.year, shown.month - 1, shown.day, shown.hour, shown.minute, shown.second);
    guess += asUtc - shownAsUtc;
  }
  return new Date(guess);
}

export function periodicJobs(shop: string, settings: Settings, now: Date, timeZone: string): EnqueueJob[] {
  const hour = Math.floor(now.getTime() / 3_600_000);
  const jobs: EnqueueJob[] = [
    { shop, type: "deadline_sweep", payload: {}, dedupeKey: `deadline_sweep:${Math.floor(hour / SWEEP_EVERY_HOURS)}` },
    { shop, type: "reconcile", payload: {}, dedupeKey: `reconcile:${Math.floor(hour / RECONCILE_EVERY_HOURS)}` },
    // The restock dates page's list of continue-selling variants; the first tick after install reads it.
    { shop, type: "variant_sync", payload: {}, dedupeKey: `variant_sync:${Math.floor(hour / RECONCILE_EVERY_HOURS)}` },
    // Raw webhook payloads past the dead-letter retention lose what processing does not read (no Admin call).
    { shop, type: PAYLOAD_RETENTION, payload: {}, dedupeKey: `${PAYLOAD_RETENTION}:${Math.floor(hour / 24)}` },
  ];
  if (settings.allocationWindow === "batch" && settings.automaticCutoff) {
    const at = nextCutoff(now, settings.cutoffTime, timeZone);
    jobs.push({ shop, type: "allocate", payload: {}, dedupeKey: `cutoff:${at.toISOString()}`, runAt: at });
  }
  return jobs.map((job) => ({ ...job, lockKey: shopLockKey(shop), runAt: job.runAt ?? now }));
}

export interface ScheduleDeps {
  db: Db;
  queue: JobQueue;
  timeZoneFor: (shop: string) => Promise<string>;
}

export async function scheduleTick(deps: ScheduleDeps, now: Date): Promise<number> {
  let enqueued = 0;
  for (const shop of await installedShops(deps.db)) {
    const settings = await getSettings(deps.db, shop);
    const timeZone =
      settings.allocationWindow === "batch" && settings.automaticCutoff ? await deps.timeZoneFor(shop) : "UTC";
    for (const job of periodicJobs(shop, settings, now, timeZone)) {
      if (!(await deps.queue.enqueue(job)).duplicate) enqueued++;
    }
  }
  return enqueued;
}

export function shopTimeZones(db: Db): (shop: string) => Promise<string> {
  const known = new Map<string, string>();
  return async (shop) => {
    const cached = known.get(shop);
    if (cached) return cached;
    const data = await (await gatewayForShop(db, shop)).query(ShopInfoDocument, {});
    known.set(shop, data.shop.ianaTimezone);
    return data.shop.ianaTimezone;
  };
}

export function startSchedule(deps: ScheduleDeps, everyMs = 5 * 60_000, now: () => Date = clock.now): () => void {
  const tick = () =>
    scheduleTick(deps, now()).catch((error: unknown) => console.warn(`schedule tick failed: ${String(error)}`));
  void tick();
  const timer = setInterval(tick, everyMs);
  // A local clock advanced by hours or days: what came due meanwhile is enqueued now, not minutes later.
  const unsubscribe = onClockJump(tick);
  return () => {
    clearInterval(timer);
    unsubscribe();
  };
}
