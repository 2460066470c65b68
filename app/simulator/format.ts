import type { Metrics, ReplayResult } from "../domain";

export function toJson(result: ReplayResult) {
  return { policy: result.policy, lines: result.lines, metrics: result.metrics };
}

export function linesTable(result: ReplayResult): string {
  const rows = result.lines.map((line) => [
    line.orderId,
    line.sku,
    String(line.ordered),
    String(line.shipped),
    String(line.reserved),
    String(line.backordered),
    String(line.lost),
    line.lostReason ?? "",
  ]);
  return table(
    ["order", "sku", "ordered", "shipped", "reserved", "backordered", "lost", "lost reason"],
    rows,
    [2, 3, 4, 5, 6],
  );
}

export function comparisonTable(results: readonly ReplayResult[]): string {
  const rows = results.map(({ policy, metrics }) => [
    policy,
    percent(metrics.fillRate),
    `${metrics.ordersCompleted}/${metrics.orders}`,
    `${metrics.customersServed}/${metrics.orders}`,
    days(metrics.meanWaitDays),
    days(metrics.p95WaitDays),
    String(metrics.lostUnits.total),
    metrics.lostRevenue.total.toFixed(2),
    lostByReason(metrics),
  ]);
  return table(
    [
      "policy",
      "fill rate",
      "orders completed",
      "customers served",
      "mean wait (d)",
      "p95 wait (d)",
      "lost units",
      "lost revenue",
      "lost by reason",
    ],
    rows,
    [1, 2, 3, 4, 5, 6, 7],
  );
}

function lostByReason(metrics: Metrics): string {
  const parts = Object.entries(metrics.lostUnits)
    .filter(([reason, units]) => reason !== "total" && units > 0)
    .map(([reason, units]) => `${reason} ${units}`);
  return parts.length === 0 ? "-" : parts.join(", ");
}

function percent(rate: number | null): string {
  return rate === null ? "-" : `${(rate * 100).toFixed(1)}%`;
}

function days(value: number | null): string {
  return value === null ? "-" : value.toFixed(2);
}

function table(header: string[], rows: string[][], right: number[]): string {
  const widths = header.map((title, col) => Math.max(title.length, ...rows.map((row) => row[col]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, col) => (right.includes(col) ? cell.padStart(widths[col]!) : cell.padEnd(widths[col]!)))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((width) => "-".repeat(width)).join("  "), ...rows.map(line)].join("\n");
}
