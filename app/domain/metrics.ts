import { daysBetween } from "./time";
import { LOST_REASONS, type BackorderLine, type LostReason } from "./types";

export type MetricsLine = Pick<
  BackorderLine,
  "orderId" | "ordered" | "shipped" | "price" | "orderedAt" | "lastShippedAt" | "losses"
>;

export interface Metrics {
  unitsOrdered: number;
  unitsShipped: number;
  fillRate: number | null;
  orders: number;
  ordersCompleted: number;
  customersServed: number;
  /** Over lines that shipped; units never shipped count in the fill rate and losses instead. */
  meanWaitDays: number | null;
  p95WaitDays: number | null;
  lostUnits: Record<LostReason | "total", number>;
  lostRevenue: Record<LostReason | "total", number>;
}

export function metrics(lines: readonly MetricsLine[]): Metrics {
  const lostUnits = {
    deadline: 0,
    customer_cancelled: 0,
    merchant_cancelled: 0,
    cap_reached: 0,
    no_consent: 0,
    total: 0,
  };
  const lostRevenue = { ...lostUnits };
  const orders = new Map<string, { complete: boolean; served: boolean }>();
  const waits: number[] = [];
  let unitsOrdered = 0;
  let unitsShipped = 0;

  for (const line of lines) {
    unitsOrdered += line.ordered;
    unitsShipped += line.shipped;
    const order = orders.get(line.orderId) ?? { complete: true, served: false };
    order.complete &&= line.shipped === line.ordered;
    order.served ||= line.shipped > 0;
    orders.set(line.orderId, order);
    if (line.shipped > 0 && line.lastShippedAt !== null) waits.push(daysBetween(line.orderedAt, line.lastShippedAt));
    for (const loss of line.losses) {
      lostUnits[loss.reason] += loss.quantity;
      lostUnits.total += loss.quantity;
      lostRevenue[loss.reason] += loss.quantity * line.price;
    }
  }
  for (const reason of LOST_REASONS) lostRevenue[reason] = toCents(lostRevenue[reason]);
  lostRevenue.total = toCents(LOST_REASONS.reduce((sum, reason) => sum + lostRevenue[reason], 0));

  waits.sort((a, b) => a - b);
  let ordersCompleted = 0;
  let customersServed = 0;
  for (const order of orders.values()) {
    if (order.complete) ordersCompleted += 1;
    if (order.served) customersServed += 1;
  }
  return {
    unitsOrdered,
    unitsShipped,
    fillRate: unitsOrdered === 0 ? null : unitsShipped / unitsOrdered,
    orders: orders.size,
    ordersCompleted,
    customersServed,
    meanWaitDays: waits.length === 0 ? null : waits.reduce((sum, wait) => sum + wait, 0) / waits.length,
    // Nearest rank: the smallest wait at or above 95% of the lines.
    p95WaitDays: waits.length === 0 ? null : waits[Math.ceil(0.95 * waits.length) - 1]!,
    lostUnits,
    lostRevenue,
  };
}

function toCents(amount: number): number {
  return Math.round(amount * 100) / 100;
}
