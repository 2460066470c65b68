/**
 * One module per kind of Shopify operation, each through the ledger (`applyOnce`) under a key naming the decision.
 *
 * ORDER, per decision (orders, shipping, allocation, deadlines, dates and caps services):
 *   1. Removals with their refund before any hold (Shopify picks the fulfillment order a refund takes units from),
 *      then fulfillment order moves, then holds (the first carrying tag, metafield, dates and trigger) or releases.
 *   2. The decision's records in one transaction, with its Flow events, e-mails and settled pending allocation.
 *   3. What Shopify shows of the records: status metafields, storefront dates, tags off, queued Flow events sent.
 *   4. Variant policies at their caps, from the totals the records now hold.
 * An allocation notes its grants (PendingAllocation) before its releases.
 *
 * FAILING PART-WAY: an applier throws and the job is retried, reading and deciding afresh. For a crash after Shopify
 * applied and before the ledger, each applier recognises its own work on Shopify: a hold by its handle, a release
 * by the fulfillment order read before it, a partial release by `partialReleaseStarted`, a refund by the lines'
 * target quantity and its `@idempotent` key; Flow events are never sent twice (docs/decisions/0018-effects-once.md).
 */

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
