import { nextSweepAt } from "../domain";
import type { Db } from "../db.server";
import { SWEEP_EVERY_HOURS } from "../jobs/schedule.server";
import { findOpenLines, findWaitingDelayNotices } from "../models/backorders.server";
import { hasDedupedJob, jobActivity } from "../models/jobs.server";
import { getSettings } from "../models/settings.server";
import { sweepLine } from "./deadlines.server";
import { engineSettings } from "./records-for-engine";

const SWEEP_MS = SWEEP_EVERY_HOURS * 3_600_000;

/**
 * A job due within `spreadMs` counts as due: with several processes it may be one another just enqueued for now.
 * The schedule sweeps once per hour, so a notice due in an hour already swept waits for the next sweep.
 */
export async function shopActivity(db: Db, shop: string, now: Date, spreadMs = 0) {
  const activity = await jobActivity(db, shop, now, spreadMs);
  const idle = activity.running === 0 && activity.due === 0;
  const sweep = idle ? await nextSweep(db, shop, now.getTime()) : null;
  const next = [activity.nextRunAt?.getTime() ?? null, sweep].filter((at): at is number => at !== null);
  return { ...activity, idle, nextRunAt: next.length > 0 ? new Date(Math.min(...next)) : null };
}

async function nextSweep(db: Db, shop: string, now: number): Promise<number | null> {
  const settings = engineSettings(await getSettings(db, shop));
  const lines = (await findOpenLines(db, shop)).filter((row) => row.backorderedQty > 0);
  const notices = await findWaitingDelayNotices(db, shop);
  const due = lines
    .map((row, arrival) => nextSweepAt(sweepLine(row, arrival, notices.get(row.id) ?? []), settings, now))
    .filter((at): at is number => at !== null);
  if (due.length === 0) return null;
  const at = Math.max(now, Math.min(...due));
  const slot = Math.floor(at / SWEEP_MS);
  return (await hasDedupedJob(db, shop, `deadline_sweep:${slot}`)) ? (slot + 1) * SWEEP_MS : at;
}
