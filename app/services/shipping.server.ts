import { createHash } from "node:crypto";

import { grantToOrder, type GrantedLine } from "../domain";
import {
  applyLineChanges,
  findOrderLines,
  lossesByLine,
  setOrderUpdatedAt,
  type BackorderLineRow,
  type LineUpdate,
  type NewTimelineEvent,
} from "../models/backorders.server";
import type { Pipeline } from "./pipeline.server";
import { engineLine, engineSettings, lineStatus } from "./records-for-engine";
import { numericId } from "./shopify-values";
import type { NewCustomerMessage } from "../models/customer-messages.server";
import type { NewFlowEvent } from "../models/flow-events.server";
import { customerMessage } from "./messages/compose";
import {
  applyReleases,
  FLOW_TRIGGERS,
  flowEvent,
  holdHandle,
  partialReleaseStarted,
  releaseAction,
  removeTagsFromOrders,
  sendQueuedFlows,
  setMetafields,
  type ReleaseAction,
} from "./apply";
import { orderMetafield, type OrderLineState } from "./metafields";
import type { MetafieldsSetInput } from "../shopify/generated/admin.types";
import { readOrders } from "./reads/orders.server";

interface OrderPlan {
  orderId: string;
  rows: BackorderLineRow[];
  lines: (GrantedLine & { row: BackorderLineRow })[];
}

interface ReleaseRequest {
  actions: ReleaseAction[];
  shippable: Set<string>;
  replaced: Map<string, string>;
}

interface ShipmentRecords {
  updates: LineUpdate[];
  events: NewTimelineEvent[];
  metafields: MetafieldsSetInput[];
  settled: string[];
  flows: NewFlowEvent[];
  messages: NewCustomerMessage[];
  releasedUnits: number;
}

/**
 * Shopify is only asked for what it has not done yet (the fulfillment orders are read first), so a retry after a
 * crash releases nothing twice and still records all. Also used without grants after a deadline removed units.
 */
export async function shipOrders(
  p: Pipeline,
  orderIds: readonly string[],
  grants: ReadonlyMap<string, number>,
  settlesAllocation?: string,
): Promise<number> {
  const settings = engineSettings(p.settings);
  const plans: OrderPlan[] = [];
  for (const orderId of orderIds) {
    const rows = await findOrderLines(p.db, p.shop, orderId);
    const granted = grantToOrder(
      rows.map((row, arrival) => engineLine(row, arrival)),
      grants,
      settings,
    );
    plans.push({ orderId, rows, lines: granted.map((line, i) => ({ ...line, row: rows[i]! })) });
  }
  const releasing = plans.filter((plan) => plan.lines.some((line) => line.release > 0));
  const request = await releasesToRequest(p, releasing);
  for (const [from, to] of await applyReleases(p, `releases:${digest(request.actions)}`, request.actions))
    request.replaced.set(from, to);

  const losses = await lossesByLine(
    p.db,
    p.shop,
    plans.map((plan) => plan.orderId),
  );
  const records = await shipmentRecords(p, plans, {
    ships: (plan) => request.shippable.has(plan.orderId) || !releasing.includes(plan),
    replaced: request.replaced,
    losses,
  });
  // Every order's grant in one transaction: a crash after Shopify released units must leave either all of
  // this decision in the records or none of it. With some orders written and some not, the retry would count
  // the units already released to the unwritten orders as free again and share the same stock twice.
  if (records.updates.length > 0 || settlesAllocation)
    await applyLineChanges(p.db, p.shop, records.updates, records.events, [], {
      flows: records.flows,
      messages: records.messages,
      settlesAllocation,
    });

  await setMetafields(p, `order-metafields:${digest(records.metafields)}`, records.metafields);
  const tagged = await removeTagsFromOrders(p, `tags-remove:${digest(records.settled)}`, records.settled, [
    p.settings.orderTag,
  ]);
  for (const [orderId, updatedAt] of Object.entries(tagged))
    await setOrderUpdatedAt(p.db, p.shop, orderId, new Date(updatedAt));
  await sendQueuedFlows(p);
  return records.releasedUnits;
}

/** Another holder's hold keeps a partial release from splitting: those orders' granted units stay reserved. */
async function releasesToRequest(p: Pipeline, releasing: readonly OrderPlan[]): Promise<ReleaseRequest> {
  const orders = await readOrders(
    p.admin,
    releasing.map((plan) => plan.orderId),
  );
  const request: ReleaseRequest = { actions: [], shippable: new Set(), replaced: new Map() };
  for (const plan of releasing) {
    const order = orders.get(plan.orderId);
    if (!order) throw new Error(`order ${plan.orderId} has backorder records but Shopify no longer finds it`);
    let holdsPresent = true;
    let blocked = false;
    const own: ReleaseAction[] = [];
    for (const hold of holdsOf(plan.rows)) {
      const fo = order.fulfillmentOrders.find((candidate) => candidate.id === hold.fulfillmentOrderId);
      if (!fo) {
        holdsPresent = false;
        continue;
      }
      if (!fo.holds.some((h) => h.id === hold.holdId)) {
        // Gone: released outside the app, or by a partial release of ours that a crash cut short.
        if (!(await partialReleaseStarted(p, hold.holdId))) {
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
        plan.lines
          .filter(({ row }) => row.holdId === hold.holdId)
          .map(({ row, backordered, reserved, release }) => [row.lineItemId, backordered + reserved - release]),
      );
      const action = releaseAction(fo, hold.holdId, hold.handle, keep);
      if (action?.kind === "blocked") blocked = true;
      else if (action) own.push(action);
    }
    // The order's releases go together or not at all: its records count them shipped as one.
    if (!blocked) request.actions.push(...own);
    // A hold released outside the app is the order sync's to record (orders.server.ts), not this plan's.
    if (holdsPresent && !blocked) request.shippable.add(plan.orderId);
  }
  return request;
}

async function shipmentRecords(
  p: Pipeline,
  plans: readonly OrderPlan[],
  context: {
    ships: (plan: OrderPlan) => boolean;
    replaced: ReadonlyMap<string, string>;
    losses: Map<string, Record<string, number>>;
  },
): Promise<ShipmentRecords> {
  const records: ShipmentRecords = {
    updates: [],
    events: [],
    metafields: [],
    settled: [],
    flows: [],
    messages: [],
    releasedUnits: 0,
  };
  const now = p.now();
  for (const plan of plans) {
    const { changed, states, released } = orderLineChanges(now, plan, context.ships(plan), context, records);
    if (!changed) continue;
    records.metafields.push(orderMetafield(plan.orderId, states));
    if (states.every((state) => state.open === 0)) records.settled.push(plan.orderId);
    if (released > 0) {
      // One event per release: the order's shipped total only grows.
      const shippedTotal = states.reduce((n, state) => n + state.shipped, 0);
      records.flows.push(
        ...(await flowEvent(p, FLOW_TRIGGERS.allocated, `${plan.orderId}:${shippedTotal}`, {
          order_id: Number(numericId(plan.orderId)),
          "Released units": released,
          "Units still backordered": states.reduce((n, state) => n + state.backordered, 0),
        })),
      );
      records.messages.push(...partShipped(p, plan, states, shippedTotal));
    }
    records.releasedUnits += released;
  }
  return records;
}

function orderLineChanges(
  now: Date,
  plan: OrderPlan,
  ships: boolean,
  context: { replaced: ReadonlyMap<string, string>; losses: Map<string, Record<string, number>> },
  records: Pick<ShipmentRecords, "updates" | "events">,
): { changed: boolean; states: (OrderLineState & { open: number })[]; released: number } {
  let changed = false;
  let released = 0;
  const states: (OrderLineState & { open: number })[] = [];
  for (const { row, granted, backordered, reserved, release } of plan.lines) {
    const shipped = ships ? release : 0;
    const change = {
      shippedQty: row.shippedQty + shipped,
      reservedQty: reserved - shipped,
      backorderedQty: backordered,
    };
    const status = lineStatus({ ...row, ...change });
    states.push({
      lineItemId: row.lineItemId,
      status,
      backordered,
      shipped: change.shippedQty,
      lost: row.lostQty,
      lostReason: row.lostReason,
      losses: context.losses.get(row.lineItemId) ?? {},
      promisedAt: row.promisedAt,
      open: change.backorderedQty + change.reservedQty,
    });
    const newHold = row.holdId !== null ? context.replaced.get(row.holdId) : undefined;
    if (granted === 0 && shipped === 0 && !newHold) continue;
    changed = true;
    records.updates.push({ id: row.id, change: { ...change, status, ...(newHold ? { holdId: newHold } : {}) } });
    const event = { orderId: plan.orderId, backorderLineId: row.id, at: now };
    if (granted > 0) records.events.push({ ...event, kind: "allocated", quantity: granted });
    if (shipped > 0) records.events.push({ ...event, kind: "released", quantity: shipped });
    released += shipped;
  }
  return { changed, states, released };
}

function digest(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 32);
}

interface HeldBy {
  fulfillmentOrderId: string;
  holdId: string;
  handle: string;
}

function holdsOf(rows: readonly BackorderLineRow[]): HeldBy[] {
  const holds = new Map<string, HeldBy>();
  for (const row of rows) {
    if (row.holdId && row.fulfillmentOrderId && row.backorderedQty + row.reservedQty > 0) {
      const handle = row.holdHandle ?? holdHandle(row.orderId, row.fulfillmentOrderId);
      holds.set(row.holdId, { fulfillmentOrderId: row.fulfillmentOrderId, holdId: row.holdId, handle });
    }
  }
  return [...holds.values()];
}

function partShipped(
  p: Pipeline,
  plan: { orderId: string; lines: readonly { row: BackorderLineRow }[] },
  states: readonly { lineItemId: string; backordered: number; promisedAt: Date | null }[],
  shippedTotal: number,
): NewCustomerMessage[] {
  const waiting = states.filter((state) => state.backordered > 0);
  if (waiting.length === 0) return [];
  const titles = new Map(plan.lines.map(({ row }) => [row.lineItemId, row.title]));
  const latest = waiting.reduce<Date | null>(
    (at, s) => (s.promisedAt && (!at || s.promisedAt > at) ? s.promisedAt : at),
    null,
  );
  return customerMessage(p, "part_shipped", plan.orderId, `${plan.orderId}:${shippedTotal}`, {
    items: waiting.map((state) => ({ title: titles.get(state.lineItemId) ?? "", quantity: state.backordered })),
    promisedAt: latest ? latest.toISOString().slice(0, 10) : null,
  });
}
