import { describe, expect, it } from "vitest";
import { metrics, type MetricsLine } from "./metrics";
import { addDays } from "./time";

const T0 = Date.UTC(2026, 10, 2, 9);

function line(orderId: string, counts: Partial<MetricsLine>): MetricsLine {
  return { orderId, ordered: 0, shipped: 0, price: 10, orderedAt: T0, lastShippedAt: null, losses: [], ...counts };
}

describe("metrics", () => {
  it("computes fill rate, orders completed, customers served, waits and losses by reason", () => {
    const lines = [
      line("A", { ordered: 3, shipped: 3, lastShippedAt: T0 }),
      line("A", { ordered: 2, shipped: 2, lastShippedAt: addDays(T0, 4) }),
      line("B", {
        ordered: 4,
        shipped: 1,
        price: 19.99,
        lastShippedAt: addDays(T0, 30),
        losses: [
          { reason: "cap_reached", quantity: 1, at: T0 },
          { reason: "deadline", quantity: 2, at: addDays(T0, 30) },
        ],
      }),
      line("C", { ordered: 2, losses: [{ reason: "customer_cancelled", quantity: 2, at: T0 }] }),
      line("D", { ordered: 1 }),
    ];
    expect(metrics(lines)).toEqual({
      unitsOrdered: 12,
      unitsShipped: 6,
      fillRate: 0.5,
      orders: 4,
      ordersCompleted: 1,
      customersServed: 2,
      meanWaitDays: (0 + 4 + 30) / 3,
      p95WaitDays: 30,
      lostUnits: { deadline: 2, customer_cancelled: 2, merchant_cancelled: 0, cap_reached: 1, no_consent: 0, total: 5 },
      lostRevenue: {
        deadline: 39.98,
        customer_cancelled: 20,
        merchant_cancelled: 0,
        cap_reached: 19.99,
        no_consent: 0,
        total: 79.97,
      },
    });
  });

  it("uses the nearest rank for the 95th percentile", () => {
    const lines = Array.from({ length: 20 }, (_, i) =>
      line(`O${i}`, { ordered: 1, shipped: 1, lastShippedAt: addDays(T0, i + 1) }),
    );
    expect(metrics(lines).p95WaitDays).toBe(19);
  });

  it("has no rates or waits for an empty set", () => {
    expect(metrics([])).toMatchObject({ fillRate: null, meanWaitDays: null, p95WaitDays: null, orders: 0 });
  });
});
