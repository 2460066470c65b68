import type { Db } from "../../db.server";
import {
  backorderedByDay,
  byCentsThenTitle,
  type LostGroup,
  type LostRow,
  lostByDayAndReason,
  lostByProduct,
  openBackorders,
  shopCurrency,
  waitDays,
} from "../../models/analytics.server";
import { DAY_MS } from "../../domain";

export const WINDOWS = [7, 30, 90] as const;
const TOP_PRODUCTS = 10;

const REASON_LABEL: Record<string, string> = {
  deadline: "Deadline passed",
  customer_cancelled: "Customer cancelled",
  merchant_cancelled: "Cancelled by you",
  cap_reached: "Backorder cap reached",
  no_consent: "No reply to a delay notice",
};

export function windowDays(url: URL): number {
  const days = Number(url.searchParams.get("days"));
  return (WINDOWS as readonly number[]).includes(days) ? days : 30;
}

/** The one sum that Analytics and the what-if both show. */
export function lostTotals(groups: readonly Pick<LostGroup, "units" | "cents">[]) {
  return {
    lostUnits: groups.reduce((sum, group) => sum + group.units, 0),
    lostCents: groups.reduce((sum, group) => sum + group.cents, 0),
  };
}

/** A chart's axis must skip no day: days without rows are zeros. */
function everyDay(trend: ReadonlyMap<string, TrendDay>, from: Date, now: Date): TrendDay[] {
  if (trend.size === 0) return [];
  const days: TrendDay[] = [];
  const last = now.toISOString().slice(0, 10);
  for (let at = Date.parse(from.toISOString().slice(0, 10)); ; at += DAY_MS) {
    const day = new Date(at).toISOString().slice(0, 10);
    if (day > last) break;
    days.push(trend.get(day) ?? { day, backordered: 0, lost: 0 });
  }
  return days;
}

export interface TrendDay {
  day: string;
  backordered: number;
  lost: number;
}

export async function loadAnalytics(db: Db, shop: string, url: URL, now: Date) {
  const days = windowDays(url);
  const from = new Date(now.getTime() - days * DAY_MS);
  const [ordered, open, waits, lost, products, currency] = await Promise.all([
    backorderedByDay(db, shop, from),
    openBackorders(db, shop),
    waitDays(db, shop, from),
    lostByDayAndReason(db, shop, from),
    lostByProduct(db, shop, from),
    shopCurrency(db, shop),
  ]);
  const unitsOrdered = ordered.reduce((sum, row) => sum + row.units, 0);
  const unitsShipped = ordered.reduce((sum, row) => sum + row.shipped, 0);

  const reasons = new Map<string, LostRow>();
  const trend = new Map<string, TrendDay>(
    ordered.map((row) => [row.day, { day: row.day, backordered: row.units, lost: 0 }]),
  );
  for (const group of lost) {
    const reason = reasons.get(group.reason) ?? { key: group.reason, title: group.reason, units: 0, cents: 0 };
    reason.units += group.units;
    reason.cents += group.cents;
    reasons.set(group.reason, reason);
    const day = trend.get(group.day) ?? { day: group.day, backordered: 0, lost: 0 };
    day.lost += group.units;
    trend.set(group.day, day);
  }
  const byReason = [...reasons.values()].sort(byCentsThenTitle);
  return {
    days,
    currency,
    fillRate: unitsOrdered === 0 ? null : unitsShipped / unitsOrdered,
    unitsOrdered,
    unitsShipped,
    openLines: open.lines,
    openUnits: open.units,
    meanWaitDays: waits.mean,
    p95WaitDays: waits.p95,
    shippedLines: waits.lines,
    ...lostTotals(lost),
    byReason: byReason.map((row) => ({ ...row, title: REASON_LABEL[row.key] ?? row.key })),
    byProduct: products.slice(0, TOP_PRODUCTS),
    trend: everyDay(trend, from, now),
  };
}
