import type { Db } from "../../db.server";
import { dailyTrend, fulfilment, lostSales, shopCurrency, waitDays } from "../../models/analytics.server";

const DAY_MS = 86_400_000;
export const WINDOWS = [7, 30, 90] as const;

const REASON_LABEL: Record<string, string> = {
  deadline: "Deadline passed",
  customer_cancelled: "Customer cancelled",
  merchant_cancelled: "Cancelled by you",
  cap_reached: "Backorder cap reached",
};

/** The analysis window from `?days=`; anything else is the 30-day default. */
export function windowDays(url: URL): number {
  const days = Number(url.searchParams.get("days"));
  return (WINDOWS as readonly number[]).includes(days) ? days : 30;
}

export async function loadAnalytics(db: Db, shop: string, url: URL, now: Date) {
  const days = windowDays(url);
  const from = new Date(now.getTime() - days * DAY_MS);
  const [fill, waits, { byReason, byProduct }, trend, currency] = await Promise.all([
    fulfilment(db, shop, from),
    waitDays(db, shop, from),
    lostSales(db, shop, from),
    dailyTrend(db, shop, from),
    shopCurrency(db, shop),
  ]);
  const lostUnits = byReason.reduce((sum, row) => sum + row.units, 0);
  const lostCents = byReason.reduce((sum, row) => sum + row.cents, 0);
  return {
    days,
    currency,
    fillRate: fill.unitsOrdered === 0 ? null : fill.unitsShipped / fill.unitsOrdered,
    unitsOrdered: fill.unitsOrdered,
    unitsShipped: fill.unitsShipped,
    openLines: fill.openLines,
    openUnits: fill.openUnits,
    meanWaitDays: waits.mean,
    p95WaitDays: waits.p95,
    shippedLines: waits.lines,
    lostUnits,
    lostCents,
    byReason: byReason.map((row) => ({ ...row, title: REASON_LABEL[row.key] ?? row.key })),
    byProduct,
    trend,
  };
}
