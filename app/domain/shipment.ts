import {
  numericId,
  releaseAction,
  type FulfillmentOrderState,
  type Operation,
  type ReleaseOperation,
} from "./operations";
import { lineStatus, orderMetafield, type LineStatus, type OrderLineState } from "./order-status";
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

/** A recorded line as shipping reads it; `lineId` is the line item's id, as the grants name it. */
export interface ShippingLine extends ShipmentLine {
  recordId: string;
  orderId: string;
  title: string;
  lostReason: string | null;
  promisedAt: number | null;
  fulfillmentOrderId: string | null;
  holdId: string | null;
  /** The handle of the hold (the read fills it in for records made before handles were stored). */
  holdHandle: string | null;
}

export interface ShippingSnapshot {
  /** Each order's recorded lines, orders and lines in the order they are planned. */
  orders: readonly { orderId: string; lines: readonly ShippingLine[] }[];
  /** Shopify's fulfillment orders of every order that releases units (`ordersReleasing`), by order id. */
  fulfillmentOrders: ReadonlyMap<string, readonly FulfillmentOrderState[]>;
  /** Holds of ours Shopify no longer shows whose partial release the ledger noted as started. */
  partialReleasesStarted: ReadonlySet<string>;
  /** Each line item's lost units by reason. */
  losses: ReadonlyMap<string, Readonly<Record<string, number>>>;
}

export type ShippingSettings = ShipmentSettings & { orderTag: string };

export interface ShippingLineChange {
  recordId: string;
  change: { shippedQty: number; reservedQty: number; backorderedQty: number; status: LineStatus; holdId?: string };
  /** The hold a partial release in the operations replaces: the line takes the re-hold's id once applied. */
  reheldFrom?: string;
}

export interface ShippingEvent {
  orderId: string;
  recordId: string;
  kind: "allocated" | "released";
  quantity: number;
  at: number;
}

export interface PartShippedMessage {
  kind: "part_shipped";
  orderId: string;
  subject: string;
  facts: { items: { title: string; quantity: number }[]; promisedAt: string | null };
}

export interface ShippingDecision {
  lineChanges: ShippingLineChange[];
  events: ShippingEvent[];
  operations: Operation[];
  messages: PartShippedMessage[];
  releasedUnits: number;
}

interface OrderPlan {
  orderId: string;
  lines: readonly ShippingLine[];
  granted: GrantedLine[];
}

interface Releases {
  operations: ReleaseOperation[];
  shippable: Set<string>;
  /** Old hold id → the new one where Shopify shows it already, or null where a partial release makes it. */
  replaced: Map<string, string | null>;
}

/** The orders whose grant releases units: only theirs are read from Shopify. */
export function ordersReleasing(
  orders: ShippingSnapshot["orders"],
  grants: ReadonlyMap<string, number>,
  settings: ShipmentSettings,
): string[] {
  return plansOf(orders, grants, settings)
    .filter(releases)
    .map((plan) => plan.orderId);
}

/**
 * The whole decision for granted units (none, after a deadline removed units or for ship-ready): releases, the
 * records, what Shopify shows of them, the Flow trigger and the customer's e-mail. Replanning after the releases
 * asks nothing twice: a retry's snapshot shows the releases done.
 */
export function shipGrants(
  snapshot: ShippingSnapshot,
  grants: ReadonlyMap<string, number>,
  settings: ShippingSettings,
  now: number,
): ShippingDecision {
  const plans = plansOf(snapshot.orders, grants, settings);
  const releasing = plans.filter(releases);
  const request = releasesOf(releasing, snapshot);
  const decision: ShippingDecision = {
    lineChanges: [],
    events: [],
    operations: [...request.operations],
    messages: [],
    releasedUnits: 0,
  };
  for (const plan of plans) {
    const ships = request.shippable.has(plan.orderId) || !releasing.includes(plan);
    orderShipment(plan, { ships, replaced: request.replaced, losses: snapshot.losses, settings, now }, decision);
  }
  return decision;
}

function plansOf(
  orders: ShippingSnapshot["orders"],
  grants: ReadonlyMap<string, number>,
  settings: ShipmentSettings,
): OrderPlan[] {
  return orders.map(({ orderId, lines }) => ({ orderId, lines, granted: grantToOrder(lines, grants, settings) }));
}

const releases = (plan: OrderPlan) => plan.granted.some((line) => line.release > 0);

/** Another holder's hold keeps a partial release from splitting: those orders' granted units stay reserved. */
function releasesOf(releasing: readonly OrderPlan[], snapshot: ShippingSnapshot): Releases {
  const request: Releases = { operations: [], shippable: new Set(), replaced: new Map() };
  for (const plan of releasing) {
    const fulfillmentOrders = snapshot.fulfillmentOrders.get(plan.orderId);
    if (!fulfillmentOrders) throw new Error(`the snapshot has no fulfillment orders of ${plan.orderId}`);
    let holdsPresent = true;
    let blocked = false;
    const own: ReleaseOperation[] = [];
    for (const hold of holdsOf(plan.lines)) {
      const fo = fulfillmentOrders.find((candidate) => candidate.id === hold.fulfillmentOrderId);
      if (!fo) {
        holdsPresent = false;
        continue;
      }
      if (!fo.holds.some((h) => h.id === hold.holdId)) {
        // Gone: released outside the app, or by a partial release of ours that a crash cut short.
        if (!snapshot.partialReleasesStarted.has(hold.holdId)) {
          holdsPresent = false;
          continue;
        }
        const reheld = fo.holds.find((h) => h.ours && h.handle === hold.handle);
        if (reheld) {
          request.replaced.set(hold.holdId, reheld.id);
          continue;
        }
      }
      const keep = new Map(
        plan.lines.flatMap((line, i) => {
          const { backordered, reserved, release } = plan.granted[i]!;
          return line.holdId === hold.holdId ? [[line.lineId, backordered + reserved - release] as const] : [];
        }),
      );
      const action = releaseAction(fo, hold.holdId, hold.handle, keep);
      if (action?.kind === "blocked") blocked = true;
      else if (action) own.push(action);
    }
    // The order's releases go together or not at all: its records count them shipped as one.
    if (!blocked) {
      request.operations.push(...own);
      for (const action of own) if (action.kind === "partial") request.replaced.set(action.holdId, null);
    }
    // A hold released outside the app is the order sync's to record (orders.server.ts), not this plan's.
    if (holdsPresent && !blocked) request.shippable.add(plan.orderId);
  }
  return request;
}

interface HeldBy {
  fulfillmentOrderId: string;
  holdId: string;
  handle: string;
}

function holdsOf(lines: readonly ShippingLine[]): HeldBy[] {
  const holds = new Map<string, HeldBy>();
  for (const line of lines) {
    if (line.holdId && line.fulfillmentOrderId && line.holdHandle !== null && line.backordered + line.reserved > 0) {
      holds.set(line.holdId, {
        fulfillmentOrderId: line.fulfillmentOrderId,
        holdId: line.holdId,
        handle: line.holdHandle,
      });
    }
  }
  return [...holds.values()];
}

type LineStateWithOpen = OrderLineState & { open: number };

function orderShipment(
  plan: OrderPlan,
  context: {
    ships: boolean;
    replaced: ReadonlyMap<string, string | null>;
    losses: ShippingSnapshot["losses"];
    settings: ShippingSettings;
    now: number;
  },
  decision: ShippingDecision,
): void {
  const { changed, states, released } = orderLineChanges(plan, context, decision);
  if (!changed) return;
  decision.operations.push({ kind: "set_metafield", metafield: orderMetafield(plan.orderId, states) });
  if (states.every((state) => state.open === 0))
    decision.operations.push({ kind: "remove_tags", orderId: plan.orderId, tags: [context.settings.orderTag] });
  if (released > 0) {
    // One event per release: the order's shipped total only grows.
    const shippedTotal = states.reduce((n, state) => n + state.shipped, 0);
    decision.operations.push({
      kind: "flow",
      trigger: "allocated",
      subject: `${plan.orderId}:${shippedTotal}`,
      payload: {
        order_id: Number(numericId(plan.orderId)),
        "Released units": released,
        "Units still backordered": states.reduce((n, state) => n + state.backordered, 0),
      },
    });
    decision.messages.push(...partShipped(plan, states, shippedTotal));
  }
  decision.releasedUnits += released;
}

function orderLineChanges(
  plan: OrderPlan,
  context: {
    ships: boolean;
    replaced: ReadonlyMap<string, string | null>;
    losses: ShippingSnapshot["losses"];
    now: number;
  },
  decision: Pick<ShippingDecision, "lineChanges" | "events">,
): { changed: boolean; states: LineStateWithOpen[]; released: number } {
  let changed = false;
  let released = 0;
  const states: LineStateWithOpen[] = [];
  plan.lines.forEach((line, i) => {
    const { granted, backordered, reserved, release } = plan.granted[i]!;
    const shipped = context.ships ? release : 0;
    const change = { shippedQty: line.shipped + shipped, reservedQty: reserved - shipped, backorderedQty: backordered };
    const status = lineStatus({ ...change, quantity: line.ordered, lostQty: line.lost, lostReason: line.lostReason });
    states.push({
      lineItemId: line.lineId,
      status,
      backordered,
      shipped: change.shippedQty,
      lost: line.lost,
      lostReason: line.lostReason,
      losses: context.losses.get(line.lineId) ?? {},
      promisedAt: line.promisedAt,
      open: change.backorderedQty + change.reservedQty,
    });
    const replaced = line.holdId !== null && context.replaced.has(line.holdId);
    if (granted === 0 && shipped === 0 && !replaced) return;
    changed = true;
    const newHold = line.holdId !== null ? context.replaced.get(line.holdId) : undefined;
    decision.lineChanges.push({
      recordId: line.recordId,
      change: { ...change, status, ...(newHold ? { holdId: newHold } : {}) },
      ...(newHold === null ? { reheldFrom: line.holdId! } : {}),
    });
    const event = { orderId: plan.orderId, recordId: line.recordId, at: context.now };
    if (granted > 0) decision.events.push({ ...event, kind: "allocated", quantity: granted });
    if (shipped > 0) decision.events.push({ ...event, kind: "released", quantity: shipped });
    released += shipped;
  });
  return { changed, states, released };
}

function partShipped(
  plan: OrderPlan,
  states: readonly LineStateWithOpen[],
  shippedTotal: number,
): PartShippedMessage[] {
  const waiting = states.filter((state) => state.backordered > 0);
  if (waiting.length === 0) return [];
  const titles = new Map(plan.lines.map((line) => [line.lineId, line.title]));
  const latest = waiting.reduce<number | null>(
    (at, s) => (s.promisedAt !== null && (at === null || s.promisedAt > at) ? s.promisedAt : at),
    null,
  );
  return [
    {
      kind: "part_shipped",
      orderId: plan.orderId,
      subject: `${plan.orderId}:${shippedTotal}`,
      facts: {
        items: waiting.map((state) => ({ title: titles.get(state.lineItemId) ?? "", quantity: state.backordered })),
        promisedAt: latest !== null ? new Date(latest).toISOString().slice(0, 10) : null,
      },
    },
  ];
}
