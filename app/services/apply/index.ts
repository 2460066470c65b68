/**
 * The appliers: one module per kind of Shopify operation, each applied through the ledger (`applyOnce`,
 * app/models/ledger.server.ts) under a key that names the decision, so a retried job never applies it twice.
 *
 * ORDER. A job applies its operations in this order (orders.server.ts, shipping.server.ts, allocation.server.ts,
 * deadlines.server.ts, dates.server.ts, caps.server.ts):
 *   1. What changes which units Shopify lets ship: removals with their refund (refunds), before any hold, since
 *      Shopify picks the fulfillment order a refund takes units from; fulfillment order moves (fulfillment-moves);
 *      then holds (holds, with the tag, order metafield, storefront dates and "created" trigger riding on the
 *      order's first hold: first-hold) or releases (releases: whole ones batched, then each partial one).
 *   2. The records of the decision, in one transaction (applyLineChanges / recordDetectedOrder): line changes,
 *      timeline, lost sales, the Flow events and customer e-mails it causes, the settled pending allocation
 *      (re-dating queues its delay notices just after its records).
 *   3. What Shopify shows of the records: the orders' status metafields and the storefront dates (metafields),
 *      the tag off orders with nothing left waiting (order-tags), and the queued Flow events sent (flow). Neither
 *      depends on the other: shipping writes metafields and tags first, removals and cancellations send Flow first.
 *   4. The variants' policy at their caps (variant-policy), from the totals the records now hold.
 * An allocation notes its grants (PendingAllocation) before its releases. A job that takes several decisions
 * runs this order once for each, one after the other: a removal then lets allocated units ship (shipOrders),
 * an allocation then re-dates the lines left waiting (redateItem).
 *
 * FAILING PART-WAY. Any applier throws on a userError (ShopifyUserErrors) or a failed request; the job fails and
 * the runner retries it with backoff until its attempts run out (then dead-lettered). A refused move alone is
 * not an error: it is logged and kept in the ledger, and not asked again. The retry starts over: it reads the
 * records and Shopify afresh and decides again. An operation already applied returns its ledgered result when
 * the decision is the same; where the decision is keyed by what it does (a digest of the releases, the
 * metafields, the tagged orders; a removal's lines and units) a changed decision is a new operation. For a crash
 * after Shopify applied and before the ledger recorded, each applier also recognises its own work on Shopify:
 * a hold by its handle (`holdHandle`, DUPLICATE_FULFILLMENT_HOLD_HANDLE), a release by the fulfillment order
 * read before it (`releaseAction` finds nothing left to release), a partial release by the note written before
 * it (`partialReleaseStarted`), a refund by the lines' target quantity and its `@idempotent` key. Records are
 * all or none per decision; a crash after Shopify released units and before the records is finished with the
 * pending allocation's own grants. Flow events are never sent twice: queued with the records, marked `sending`
 * before their request, put back only when Shopify certainly did not run it; every job of the shop starts by
 * sending what an earlier run left queued (app/jobs/handlers.server.ts, docs/decisions/0018-effects-once.md).
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
