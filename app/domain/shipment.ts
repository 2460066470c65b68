import type { BackorderLine, Settings } from "./types";

export type HoldReason = "awaiting_stock" | "ship_complete" | "below_threshold" | "never_split";

export type ShipmentDecision =
  | { kind: "release"; lineId: string; quantity: number }
  | { kind: "hold"; lineId: string; quantity: number; reason: HoldReason };

export type ShipmentPlan =
  { kind: "decisions"; decisions: ShipmentDecision[] } | { kind: "nothing_to_do"; reason: "order_settled" };

export type ShipmentLine = Pick<
  BackorderLine,
  "lineId" | "productId" | "ordered" | "shipped" | "reserved" | "backordered" | "lost"
>;

type ShipmentSettings = Pick<Settings, "partialShipment" | "thresholdPercent" | "neverSplitProductIds">;

/** The holds describe the whole desired state, so replanning after the releases gives the same holds. */
export function planShipment(lines: readonly ShipmentLine[], settings: ShipmentSettings): ShipmentPlan {
  if (lines.every((line) => line.reserved === 0 && line.backordered === 0)) {
    return { kind: "nothing_to_do", reason: "order_settled" };
  }
  const blocker = orderBlocker(lines, settings);
  const decisions: ShipmentDecision[] = [];
  for (const line of lines) {
    if (line.reserved > 0) {
      const reason =
        blocker ??
        (line.backordered > 0 && settings.neverSplitProductIds.includes(line.productId) ? "never_split" : null);
      decisions.push(
        reason === null
          ? { kind: "release", lineId: line.lineId, quantity: line.reserved }
          : { kind: "hold", lineId: line.lineId, quantity: line.reserved, reason },
      );
    }
    if (line.backordered > 0) {
      decisions.push({ kind: "hold", lineId: line.lineId, quantity: line.backordered, reason: "awaiting_stock" });
    }
  }
  return { kind: "decisions", decisions };
}

function orderBlocker(lines: readonly ShipmentLine[], settings: ShipmentSettings): HoldReason | null {
  const waiting = lines.some((line) => line.backordered > 0);
  if (!waiting || settings.partialShipment === "ship_available") return null;
  if (settings.partialShipment === "ship_complete") return "ship_complete";
  // Once a partial shipment went out the threshold was met; later units follow as they come.
  if (lines.some((line) => line.shipped > 0)) return null;
  let allocated = 0;
  let expected = 0;
  for (const line of lines) {
    allocated += line.shipped + line.reserved;
    expected += line.ordered - line.lost;
  }
  return allocated * 100 >= settings.thresholdPercent * expected ? null : "below_threshold";
}

export interface GrantedLine {
  lineId: string;
  granted: number;
  backordered: number;
  reserved: number;
  release: number;
}

export function grantToOrder(
  lines: readonly ShipmentLine[],
  grants: ReadonlyMap<string, number>,
  settings: ShipmentSettings,
): GrantedLine[] {
  const granted = lines.map((line) => {
    const units = Math.min(grants.get(line.lineId) ?? 0, line.backordered);
    return { ...line, backordered: line.backordered - units, reserved: line.reserved + units, granted: units };
  });
  const shipment = planShipment(granted, settings);
  const releases = new Map(
    shipment.kind === "decisions"
      ? shipment.decisions.flatMap((d) => (d.kind === "release" ? [[d.lineId, d.quantity] as const] : []))
      : [],
  );
  return granted.map(({ lineId, granted: units, backordered, reserved }) => ({
    lineId,
    granted: units,
    backordered,
    reserved,
    release: releases.get(lineId) ?? 0,
  }));
}
