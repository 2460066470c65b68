import { placeOrder, type StockBefore } from "./detect";
import { planShipment } from "./shipment";
import type { Settings } from "./types";

export interface NewOrderLine {
  lineId: string;
  variantId: string;
  productId: string | null;
  locationId: string | null;
  unfulfilled: number;
}

/** What becomes of one line of a new order. `hold + release = shipNow + backordered`. */
export interface NewLinePlan {
  lineId: string;
  ordered: number;
  shipNow: number;
  backordered: number;
  capReached: number;
  /** Every waiting unit, and units in stock the partial-shipment rule keeps back. */
  hold: number;
  release: number;
}

export interface NewLineQuantities {
  quantity: number;
  shippedQty: number;
  reservedQty: number;
  backorderedQty: number;
  lostQty: number;
  lostReason: "cap_reached" | null;
}

export function stockKey(variantId: string, locationId: string | null): string {
  return `${variantId}@${locationId ?? "any"}`;
}

type NewOrderSettings = Pick<
  Settings,
  "allocationWindow" | "backorderCap" | "variantCaps" | "partialShipment" | "thresholdPercent" | "neverSplitProductIds"
>;

/** Null when the whole order ships as Shopify routed it; `stock` is each item's stock just before this order. */
export function planNewOrder(
  lines: readonly NewOrderLine[],
  stock: ReadonlyMap<string, StockBefore>,
  settings: NewOrderSettings,
): NewLinePlan[] | null {
  const plans = planNewOrderLines(lines, stock, settings);
  if (plans.every((plan) => plan.backordered === 0 && plan.capReached === 0)) return null;
  return plans.filter((plan) => plan.backordered > 0 || plan.hold > 0 || plan.capReached > 0);
}

/**
 * Every line's plan, in the order's line order, those that ship as routed included: the simulator keeps every
 * line of an order, the app records only the lines `planNewOrder` keeps.
 */
export function planNewOrderLines(
  lines: readonly NewOrderLine[],
  stock: ReadonlyMap<string, StockBefore>,
  settings: NewOrderSettings,
): NewLinePlan[] {
  // Caps are set per variant; each (variant, location) item takes its variant's.
  const variantCaps = { ...settings.variantCaps };
  for (const line of lines) {
    if (Object.hasOwn(settings.variantCaps, line.variantId))
      variantCaps[stockKey(line.variantId, line.locationId)] = settings.variantCaps[line.variantId] ?? null;
  }
  const detections = placeOrder(
    lines.map((line) => ({
      lineId: line.lineId,
      itemId: stockKey(line.variantId, line.locationId),
      quantity: line.unfulfilled,
    })),
    stock,
    { ...settings, variantCaps },
  );
  const plans: NewLinePlan[] = detections.map((detection, index) => ({
    lineId: detection.lineId,
    ordered: lines[index]!.unfulfilled,
    shipNow: detection.shipNow,
    backordered: detection.backordered,
    capReached: detection.capReached,
    hold: 0,
    release: 0,
  }));
  const shipment = planShipment(
    plans.map((plan, index) => ({
      lineId: plan.lineId,
      productId: lines[index]!.productId ?? "",
      ordered: plan.ordered,
      shipped: 0,
      reserved: plan.shipNow,
      backordered: plan.backordered,
      lost: plan.capReached,
    })),
    settings,
  );
  if (shipment.kind === "decisions") {
    for (const decision of shipment.decisions) {
      const plan = plans.find((candidate) => candidate.lineId === decision.lineId)!;
      if (decision.kind === "hold") plan.hold += decision.quantity;
      else plan.release += decision.quantity;
    }
  }
  return plans;
}

export function newLineQuantities(plan: NewLinePlan): NewLineQuantities {
  return {
    quantity: plan.ordered,
    shippedQty: plan.release,
    reservedQty: plan.hold - plan.backordered,
    backorderedQty: plan.backordered,
    lostQty: plan.capReached,
    lostReason: plan.capReached > 0 ? "cap_reached" : null,
  };
}
