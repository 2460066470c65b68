/**
 * One module per kind of Shopify operation, each through the ledger (`applyOnce`) under a key naming the decision;
 * `applyOperations` runs the engine's list of operations (app/domain/operations.ts) through them.
 *
 * ORDER, per decision (orders, shipping, allocation, deadlines, dates and caps services):
 *   1. Removals with their refund before any hold (Shopify picks the fulfillment order a refund takes units from),
 *      then fulfillment order moves, then holds (the first carrying tag, metafield, dates and trigger) or releases.
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
import { removeUnits, type RemovalRefund } from "./refunds.server";
import { applyReleases } from "./releases.server";

export { ShopifyUserErrors, unwrap } from "./user-errors";
export { removeUnits, idempotencyKeyFor, type RemovalRefund, type UnitRemoval } from "./refunds.server";
export { moveFulfillmentOrder } from "./fulfillment-moves.server";
export { HOLD_NOTE, holdHandle } from "./hold-handle.server";
export type { FirstHoldExtras } from "./first-hold.server";
export { notHeldReason, placeHolds, type PlacedHold, type UnheldUnits } from "./holds.server";
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
}

/** Step 2: what the caller writes, given what step 1 answered and the Flow events to queue with its records. */
export type WriteRecords = (applied: AppliedOperations & { flows: readonly NewFlowEvent[] }) => Promise<void>;

export interface ApplyOptions {
  /** Ledger keys for the step-3 batches, for a caller whose calls had these keys before they joined a list. */
  metafields?: string;
  tags?: string;
  /** False: the events stay queued for the caller's next list to send in its batch (the deadline sweep's notices). */
  sendFlows?: boolean;
}

/**
 * Any list of operations, in the ORDER above; the caller's records are written at step 2 by `writeRecords`. Each
 * kind goes as one batch under one ledger key named by its content, so the same decision asks nothing twice:
 * `releases:`, `order-metafields:` and `tags-remove:` followed by the digest of the kind's operations in list
 * order, unless `options` names them; a removal is keyed by its own `key` (`<key>:refund`). Flow triggers no workflow uses (or with Flow off)
 * are dropped; queued events are sent at step 3, this decision's and any an earlier run left.
 *
 * FAILING PART-WAY: whatever throws stops the list there, and the job's retry reads Shopify and the records again
 * and the engine decides afresh. What was applied already is seen on Shopify by that read (a release, a re-hold
 * by its handle, `partialReleaseStarted`) or found in the ledger under the same key (a refund, a batch). A crash
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
  for (const op of operations) if (op.kind === "remove_units") refunds.set(op.key, await removeOnce(p, op));
  const releases = operations.filter((op) => op.kind === "release" || op.kind === "partial");
  const reheld = releases.length > 0 ? await applyReleases(p, `releases:${digest(releases)}`, releases) : new Map();

  const flows: NewFlowEvent[] = [];
  for (const op of operations)
    if (op.kind === "flow") flows.push(...(await flowEvent(p, FLOW_TRIGGERS[op.trigger], op.subject, op.payload)));
  await writeRecords({ refunds, reheld, flows });

  const metafields = operations.flatMap((op) => (op.kind === "set_metafield" ? [op.metafield] : []));
  await setMetafields(p, options.metafields ?? `order-metafields:${digest(metafields)}`, metafields);
  await removeTags(p, operations, options.tags);
  if (options.sendFlows !== false) await sendQueuedFlows(p);
  return { refunds, reheld };
}

/** The order is read first: the refund takes what is still on its lines, so a repeat refunds nothing twice. */
async function removeOnce(p: Pipeline, op: Extract<Operation, { kind: "remove_units" }>): Promise<RemovalRefund> {
  const order = await readOrder(p.admin, op.orderId);
  if (!order) throw new Error(`order ${op.orderId} has backorder records but Shopify no longer finds it`);
  return removeUnits(p, op.key, order, op.removals, op.note);
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
