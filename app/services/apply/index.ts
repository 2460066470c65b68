/**
 * One module per kind of Shopify operation, each through the ledger (`applyOnce`) under a key naming the decision;
 * `applyOperations` runs the engine's list of operations (app/domain/operations.ts) through them.
 *
 * ORDER, per decision (orders, shipping, allocation, deadlines, dates and caps services):
 *   1. Removals with their refund before any hold (Shopify picks the fulfillment order a refund takes units from),
 *      then fulfillment order moves, then holds (the first carrying tag, metafield, dates and trigger; with no hold
 *      requested, those go alone) and releases.
 *   2. The decision's records in one transaction, with its Flow events, e-mails and settled pending allocation.
 *   3. What Shopify shows of the records: status metafields, storefront dates, tags off, queued Flow events sent.
 *   4. Variant policies at their caps, from the totals the records now hold.
 * An allocation notes its grants (PendingAllocation) before its releases. A removal is three lists: its refund with
 * its records, then the shipping it allows (`shipOrders`), then the order's status metafield and tag off, read from
 * the records both left. The deadline sweep's notices are a list of records and Flow events only, written before its
 * removals; their events are sent with the first removal's (`sendFlows: false`), in one batch.
 *
 * FAILING PART-WAY: an applier throws and the job is retried, reading and deciding afresh. For a crash after Shopify
 * applied and before the ledger, each applier recognises its own work on Shopify: a hold by its handle, a release
 * by the fulfillment order read before it, a partial release by `partialReleaseStarted`, a refund by the lines'
 * target quantity and its `@idempotent` key; Flow events are never sent twice (docs/decisions/0018-effects-once.md).
 */
import { createHash } from "node:crypto";

import type { Operation } from "../../domain";
import { setOrderUpdatedAt } from "../../models/backorders.server";
import type { NewFlowEvent } from "../../models/flow-events.server";
import type { Pipeline } from "../pipeline.server";
import { FLOW_TRIGGERS, flowEvent, sendQueuedFlows } from "./flow.server";
import { setMetafields } from "./metafields.server";
import { removeTagsFromOrders } from "./order-tags.server";
import { readOrder } from "../reads/orders.server";
import type { OrderSnapshot } from "../reads/snapshot";
import { placeHolds } from "./holds.server";
import { removeUnits, type RemovalRefund } from "./refunds.server";
import { applyReleases } from "./releases.server";

export { ShopifyUserErrors, unwrap } from "./user-errors";
export { removeUnits, idempotencyKeyFor, type RemovalRefund, type UnitRemoval } from "./refunds.server";
export { moveFulfillmentOrder } from "./fulfillment-moves.server";
export { HOLD_NOTE, holdHandle } from "./hold-handle.server";
export type { FirstHoldExtras } from "./first-hold.server";
export { notHeldReason, placeHolds, type PlacedHolds, type UnheldUnits } from "./holds.server";
export { applyReleases, partialReleaseStarted, releaseAction, type ReleaseAction } from "./releases.server";
export { deleteMetafields, setMetafields, variantDatesToWrite } from "./metafields.server";
export { removeTagsFromOrders } from "./order-tags.server";
export { FLOW_TRIGGERS, flowEvent, sendQueuedFlows } from "./flow.server";
export { setVariantPolicy } from "./variant-policy.server";

export interface AppliedOperations {
  /** What Shopify refunded for each removal, by the removal's key. */
  refunds: ReadonlyMap<string, RemovalRefund>;
  /** Each hold a partial release replaced, and the id of the hold that replaced it. */
  reheld: ReadonlyMap<string, string>;
  /** The id of each hold placed, by fulfillment order. */
  held: ReadonlyMap<string, string>;
  /** Each detected order's updatedAt after the request that tagged it, where Shopify answered one. */
  orderUpdatedAt: ReadonlyMap<string, string>;
}

/** Step 2: what the caller writes, given what step 1 answered and the Flow events to queue with its records. */
export type WriteRecords = (applied: AppliedOperations & { flows: readonly NewFlowEvent[] }) => Promise<void>;

export interface ApplyOptions {
  /** Ledger keys for the step-3 batches, for a caller whose calls had these keys before they joined a list. */
  metafields?: string;
  tags?: string;
  /** False: the events stay queued for the caller's next list to send in its batch (the deadline sweep's notices). */
  sendFlows?: boolean;
  /** Orders the caller read in this job, which a removal takes rather than reading again. */
  read?: ReadonlyMap<string, OrderSnapshot>;
}

/**
 * Any list of operations, in the ORDER above; the caller's records are written at step 2 by `writeRecords`. Each
 * kind goes as one batch under one ledger key named by its content, so the same decision asks nothing twice:
 * `releases:`, `order-metafields:` and `tags-remove:` followed by the digest of the kind's operations in list
 * order, unless `options` names them; a removal is keyed by its own `key` (`<key>:refund`), taking the order from
 * `options.read` where the caller read it in this job; a hold by its fulfillment order and handle
 * (`hold:<fo>:<handle>`), and what a detected order shows without a hold by `variant-dates:<order>:detected` and
 * `order-update:<order>:detected`. Flow triggers no workflow uses (or with Flow off)
 * are dropped; queued events are sent at step 3, this decision's and any an earlier run left.
 *
 * FAILING PART-WAY: whatever throws stops the list there, and the job's retry reads Shopify and the records again
 * and the engine decides afresh. What was applied already is seen on Shopify by that read (a release, a re-hold
 * by its handle, `partialReleaseStarted`) or found in the ledger under the same key (a refund, a batch, a hold);
 * a hold Shopify refuses as a duplicate handle is found by reading the order, and a created trigger left `sending`
 * counts as sent once the app's hold is on the order (`order_detected.heldBefore`). A crash
 * between steps 1 and 2 leaves Shopify ahead of the records until the retry writes them; one between steps 2 and
 * 3 leaves what Shopify shows (metafields, tags) behind the records until the order's next decision writes it; one
 * after the sweep's notices leaves their events queued, sent by the retry or the next list's step 3 (never twice).
 */
export async function applyOperations(
  p: Pipeline,
  operations: readonly Operation[],
  writeRecords: WriteRecords,
  options: ApplyOptions = {},
): Promise<AppliedOperations> {
  const refunds = new Map<string, RemovalRefund>();
  for (const op of operations)
    if (op.kind === "remove_units") refunds.set(op.key, await removeOnce(p, op, options.read ?? new Map()));
  const flows: NewFlowEvent[] = [];
  const { held, orderUpdatedAt } = await holdDetected(p, operations, flows);
  const releases = operations.filter((op) => op.kind === "release" || op.kind === "partial");
  const reheld = releases.length > 0 ? await applyReleases(p, `releases:${digest(releases)}`, releases) : new Map();

  for (const op of operations)
    if (op.kind === "flow") flows.push(...(await flowEvent(p, FLOW_TRIGGERS[op.trigger], op.subject, op.payload)));
  const applied = { refunds, reheld, held, orderUpdatedAt };
  await writeRecords({ ...applied, flows });

  const metafields = operations.flatMap((op) => (op.kind === "set_metafield" ? [op.metafield] : []));
  await setMetafields(p, options.metafields ?? `order-metafields:${digest(metafields)}`, metafields);
  await removeTags(p, operations, options.tags);
  if (options.sendFlows !== false) await sendQueuedFlows(p);
  return applied;
}

/**
 * The order is read first, unless the caller read it in this job: the refund takes what is still on its lines, so
 * a repeat refunds nothing twice.
 */
async function removeOnce(
  p: Pipeline,
  op: Extract<Operation, { kind: "remove_units" }>,
  read: ReadonlyMap<string, OrderSnapshot>,
): Promise<RemovalRefund> {
  const order = read.get(op.orderId) ?? (await readOrder(p.admin, op.orderId));
  if (!order) throw new Error(`order ${op.orderId} has backorder records but Shopify no longer finds it`);
  return removeUnits(p, op.key, order, op.removals, op.note);
}

/** Each detected order's holds, the first carrying what the order shows of its detection. */
async function holdDetected(p: Pipeline, operations: readonly Operation[], flows: NewFlowEvent[]) {
  const held = new Map<string, string>();
  const orderUpdatedAt = new Map<string, string>();
  const holds = operations.flatMap((op) => (op.kind === "hold" ? [op] : []));
  const detected = operations.flatMap((op) => (op.kind === "order_detected" ? [op] : []));
  if (holds.some((hold) => !detected.some((order) => order.orderId === hold.orderId)))
    throw new Error("a hold is placed with its order's detection");
  for (const order of detected) {
    const placed = await placeHolds(
      p,
      order,
      holds.filter((hold) => hold.orderId === order.orderId),
    );
    for (const [fulfillmentOrderId, holdId] of placed.holds) held.set(fulfillmentOrderId, holdId);
    if (placed.orderUpdatedAt) orderUpdatedAt.set(order.orderId, placed.orderUpdatedAt);
    flows.push(...placed.flows);
  }
  return { held, orderUpdatedAt };
}

/** Each order's new updatedAt is kept, so that the orders/updated the removal causes is known as the app's own. */
async function removeTags(p: Pipeline, operations: readonly Operation[], key?: string): Promise<void> {
  const removals = operations.flatMap((op) => (op.kind === "remove_tags" ? [op] : []));
  if (removals.length === 0) return;
  const tags = removals[0]!.tags;
  if (removals.some((op) => JSON.stringify(op.tags) !== JSON.stringify(tags)))
    throw new Error("one list of operations removes one set of tags");
  const orderIds = removals.map((op) => op.orderId);
  const tagged = await removeTagsFromOrders(p, key ?? `tags-remove:${digest(orderIds)}`, orderIds, tags);
  for (const [orderId, updatedAt] of Object.entries(tagged))
    await setOrderUpdatedAt(p.db, p.shop, orderId, new Date(updatedAt));
}

function digest(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 32);
}
