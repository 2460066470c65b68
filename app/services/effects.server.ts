import {
  claimQueuedFlowEvents,
  flowEventStatus,
  markFlowEventSending,
  settleFlowEvents,
  type NewFlowEvent,
} from "../models/flow-events.server";
import { isFlowTriggerInUse } from "../models/flow-usage.server";
import { applyOnce, findEffect, latestEffect, recordEffect } from "../models/ledger.server";
import type {
  FulfillmentOrderHoldInput,
  MetafieldIdentifierInput,
  MetafieldInput,
  MetafieldsSetInput,
  OrderInput,
} from "../shopify/generated/admin.types";
import {
  BackorderExtraHoldDocument,
  BackorderFlowTriggerDocument,
  BackorderHoldDocument,
  BackorderMetafieldsDeleteDocument,
  BackorderMetafieldsSetDocument,
  BackorderMoveDocument,
  BackorderOrderUpdateDocument,
  BackorderTagsRemoveDocument,
  BackorderVariantPolicyDocument,
} from "../shopify/generated/operations";
import { batchMutation, releaseHolds } from "../shopify/batch.server";
import { AdminApiError, type MutationResult, type UserError } from "../shopify/gateway.server";
import type { Pipeline } from "./pipeline.server";
import { numericId } from "./shopify-values";
import { FLOW_TRIGGERS, type FlowTriggerHandle } from "./flow-triggers";
import {
  offers,
  readOrder,
  readOrderByFulfillmentOrder,
  type OrderSnapshot,
  type SnapshotFulfillmentOrder,
} from "./shopify-reads.server";

/**
 * Every Shopify effect of the pipeline, each applied through the ledger under a key that names the decision,
 * so that a retried job never applies it twice. Where Shopify itself can recognise a repeat (a hold's handle,
 * a quantity already edited), the effect checks that too: it covers a crash after Shopify applied the effect
 * and before the ledger recorded it. Flow triggers, which Shopify cannot recognise, are events recorded before
 * they are sent (FlowTriggerEvent, docs/decisions/0018-effects-once.md).
 */

export class ShopifyUserErrors extends Error {
  override readonly name = "ShopifyUserErrors";
  constructor(
    readonly operation: string,
    readonly userErrors: UserError[],
  ) {
    super(`${operation}: ${userErrors.map((e) => `${(e.field ?? []).join(".") || "-"}: ${e.message}`).join("; ")}`);
  }
}

export function unwrap<T>(operation: string, result: MutationResult<T>): T {
  if (!result.ok) throw new ShopifyUserErrors(operation, result.userErrors);
  return result.data;
}

export const HOLD_NOTE = "Backordered: waiting for stock";

/** One hold per fulfillment order per detection: the handle names both, so Shopify refuses a second one. */
export function holdHandle(orderId: string, fulfillmentOrderId: string): string {
  return `backorder-${numericId(orderId)}-${numericId(fulfillmentOrderId)}`;
}

export interface PlacedHold {
  fulfillmentOrderId: string;
  holdId: string;
  handle: string;
  lines: { lineItemId: string; quantity: number }[];
}

/**
 * Units left without a hold because Shopify offers no HOLD on their fulfillment order: a fulfillment service has
 * its request (docs/decisions/0020-fulfillment-services.md). They are recorded as backordered all the same.
 */
export interface UnheldUnits {
  fulfillmentOrderId: string;
  requestStatus: string;
  lines: { lineItemId: string; quantity: number }[];
}

/** Request statuses in which the fulfillment service has the work (fulfillmentOrderMove's 2026-10 list). */
const REQUEST_UNDER_WAY = ["SUBMITTED", "ACCEPTED", "CANCELLATION_REQUESTED", "CANCELLATION_REJECTED"];

/** Why a fulfillment order that offers no HOLD was not held, for the merchant's timeline. */
export function notHeldReason(requestStatus: string): string {
  return REQUEST_UNDER_WAY.includes(requestStatus) ? "fulfillment_service_has_the_request" : "hold_not_offered";
}

export interface FirstHoldExtras {
  /**
   * Tags to add with tagsAdd (never orderUpdate's `tags`, which replace the list and would drop a tag the
   * merchant added since the read). Null when the app's tag is already there.
   */
  tags: string[] | null;
  /** The order's own metafields (no ownerId: orderUpdate sets them on the order). */
  orderMetafields: MetafieldInput[];
  /** Storefront dates of the waiting variants that do not show them yet (see `variantDatesToWrite`). */
  variantDates: MetafieldsSetInput[];
  /** The "backorder created" Flow payload, sent when the shop has Flow on and a workflow uses the trigger. */
  created: Record<string, unknown> | null;
}

/** The Flow event of `handle`, or none when the shop does not want that trigger sent. */
export async function flowEvent(
  p: Pipeline,
  handle: FlowTriggerHandle,
  key: string,
  payload: Record<string, unknown>,
): Promise<NewFlowEvent[]> {
  return (await flowWanted(p, handle)) ? [{ key: `${handle}:${key}`, handle, payload }] : [];
}

/** Whether Shopify may have applied a mutation whose request threw: only an answer that says not rules it out. */
function mayHaveApplied(error: unknown): boolean {
  return !(error instanceof AdminApiError) || error.detail.mayHaveApplied !== false;
}

/**
 * Whether the order's "backorder created" event goes in this run's hold request. An event left `sending` by
 * an earlier attempt went out in a hold request whose answer was lost: if the app's hold is on the order, that
 * request ran, and with it the trigger right after the hold (mutation fields run in order), so it counts as
 * sent; with no hold of the app, the request never ran and the event goes again.
 */
async function createdEventToSend(p: Pipeline, order: OrderSnapshot, extras: FirstHoldExtras) {
  const [event] = extras.created ? await flowEvent(p, FLOW_TRIGGERS.created, order.id, extras.created) : [];
  if (!event) return { event: null, send: false, queue: false };
  const status = await flowEventStatus(p.db, p.shop, event.key);
  const priorHold = order.fulfillmentOrders.some((fo) =>
    fo.holds.some((hold) => hold.ours && hold.handle === holdHandle(order.id, fo.id)),
  );
  if (status === "sending" && priorHold) await settleFlowEvents(p.db, p.shop, { sent: [event.key] }, p.now());
  return { event, send: status === null || (status === "sending" && !priorHold), queue: status === null };
}

/** Records what the hold request's flowTriggerReceive answered (nothing when it did not answer). */
async function settleCreatedEvent(p: Pipeline, key: string, data: unknown): Promise<void> {
  const payload = (data as { flowTriggerReceive?: { userErrors?: UserError[] } | null } | undefined)
    ?.flowTriggerReceive;
  if (!payload) return;
  const errors = payload.userErrors ?? [];
  await settleFlowEvents(
    p.db,
    p.shop,
    errors.length === 0 ? { sent: [key] } : { refused: [{ key, error: JSON.stringify(errors) }] },
    p.now(),
  );
}

/**
 * Puts `quantityByLine` units of the order's lines on hold, fulfillment order by fulfillment order, with a
 * partial hold where only some units wait (Shopify splits the rest into an open fulfillment order). The first
 * hold carries the order's tags and metafields (one orderUpdate), the variants' dates when they change and
 * the Flow trigger in the same request. Returns the Flow events to queue with the records (the trigger when
 * no hold request carried it).
 */
export async function placeHolds(
  p: Pipeline,
  order: OrderSnapshot,
  quantityByLine: ReadonlyMap<string, number>,
  extras: FirstHoldExtras,
): Promise<{ holds: PlacedHold[]; unheld: UnheldUnits[]; orderUpdatedAt: string | null; flows: NewFlowEvent[] }> {
  const holds: PlacedHold[] = [];
  const unheld: UnheldUnits[] = [];
  let orderUpdatedAt: string | null = null;
  let extrasSent = false;
  const created = await createdEventToSend(p, order, extras);

  for (const step of holdSteps(order, quantityByLine)) {
    if (step.kind === "ours") holds.push(step.hold);
    else if (step.kind === "unheld") unheld.push(step.units);
    else {
      const placed = await requestHold(p, order.id, step, extrasSent ? null : { extras, created });
      extrasSent = true;
      if (placed.updatedAt) orderUpdatedAt = placed.updatedAt;
      const lines = step.selection.map(({ lineItemId, quantity }) => ({ lineItemId, quantity }));
      holds.push({ fulfillmentOrderId: step.fo.id, holdId: placed.holdId, handle: step.handle, lines });
    }
  }

  if (!extrasSent) {
    await setMetafields(p, `variant-dates:${order.id}:detected`, extras.variantDates);
    await recordVariantDates(p, order.id, extras.variantDates);
    orderUpdatedAt = (await updateOrder(p, `order-update:${order.id}:detected`, order.id, extras)) ?? orderUpdatedAt;
  }
  // No hold request carried it: queued with the records, sent after them.
  return { holds, unheld, orderUpdatedAt, flows: !extrasSent && created.queue ? [created.event!] : [] };
}

type HoldStep =
  | { kind: "ours"; hold: PlacedHold }
  | { kind: "unheld"; units: UnheldUnits }
  | {
      kind: "hold";
      fo: SnapshotFulfillmentOrder;
      handle: string;
      selection: { id: string; quantity: number; lineItemId: string }[];
    };

/**
 * Which of the order's fulfillment orders to hold and how many units of each line, from what Shopify shows:
 * a fulfillment order the app already holds counts as held (a retry asks nothing twice).
 */
function holdSteps(order: OrderSnapshot, quantityByLine: ReadonlyMap<string, number>): HoldStep[] {
  const left = new Map(quantityByLine);
  const take = (lines: readonly { lineItemId: string; quantity: number }[]) => {
    for (const line of lines) left.set(line.lineItemId, (left.get(line.lineItemId) ?? 0) - line.quantity);
  };
  const steps: HoldStep[] = [];
  for (const fo of order.fulfillmentOrders) {
    const handle = holdHandle(order.id, fo.id);
    const existing = fo.holds.find((hold) => hold.ours && hold.handle === handle);
    if (existing) {
      const lines = fo.lines
        .filter((line) => line.remaining > 0)
        .map((line) => ({ lineItemId: line.lineItemId, quantity: line.remaining }));
      take(lines);
      steps.push({ kind: "ours", hold: { fulfillmentOrderId: fo.id, holdId: existing.id, handle, lines } });
      continue;
    }
    if (fo.status !== "OPEN" && fo.status !== "IN_PROGRESS" && fo.status !== "ON_HOLD") continue;
    const selection = fo.lines.flatMap((line) => {
      const quantity = Math.min(line.remaining, left.get(line.lineItemId) ?? 0);
      return quantity > 0 ? [{ id: line.id, quantity, lineItemId: line.lineItemId }] : [];
    });
    if (selection.length === 0) continue;
    take(selection);
    const lines = selection.map(({ lineItemId, quantity }) => ({ lineItemId, quantity }));
    // A fulfillment service has the request: Shopify would refuse the hold, and withdrawing the merchant's
    // request is not the app's call. The units wait unheld; the service ships them when it has them.
    if (!offers(fo, "HOLD"))
      steps.push({ kind: "unheld", units: { fulfillmentOrderId: fo.id, requestStatus: fo.requestStatus, lines } });
    else steps.push({ kind: "hold", fo, handle, selection });
  }
  return steps;
}

/**
 * One hold, once (through the ledger). The first hold of an order carries its tags, metafields, the variants'
 * dates and the Flow trigger (`first`); the others are a plain hold.
 */
async function requestHold(
  p: Pipeline,
  orderId: string,
  { fo, handle, selection }: Extract<HoldStep, { kind: "hold" }>,
  first: { extras: FirstHoldExtras; created: Awaited<ReturnType<typeof createdEventToSend>> } | null,
): Promise<{ holdId: string; updatedAt: string | null }> {
  // Held already by the merchant or another app: Shopify takes a further hold (since 2025-01) only without
  // line items, so the app's hold covers the whole fulfillment order (decision 0017).
  const shared = fo.status === "ON_HOLD";
  const hold = {
    reason: "INVENTORY_OUT_OF_STOCK" as const,
    reasonNotes: HOLD_NOTE,
    handle,
    notifyMerchant: false,
    ...(shared ? {} : { fulfillmentOrderLineItems: selection.map(({ id, quantity }) => ({ id, quantity })) }),
  };
  const notify = first !== null && first.created.send;
  return applyOnce(p.db, p.shop, `hold:${fo.id}:${handle}`, "fulfillment_hold", async () => {
    if (notify) await markFlowEventSending(p.db, p.shop, first.created.event!);
    const result = first
      ? await firstHoldRequest(p, orderId, fo.id, hold, first.extras, notify, first.created.event?.key)
      : await p.admin.mutate(BackorderExtraHoldDocument, { id: fo.id, hold });
    if (notify) await settleCreatedEvent(p, first.created.event!.key, result.data);
    if (!result.ok) {
      if (result.userErrors.some((e) => e.code === "DUPLICATE_FULFILLMENT_HOLD_HANDLE")) {
        return { holdId: await findHoldByHandle(p, orderId, fo.id, handle), updatedAt: null };
      }
      throw new ShopifyUserErrors("fulfillmentOrderHold", result.userErrors);
    }
    const data = result.data as {
      fulfillmentOrderHold?: { fulfillmentHold?: { id: string } | null } | null;
      orderUpdate?: { order?: { updatedAt?: string } | null } | null;
    };
    const holdId = data.fulfillmentOrderHold?.fulfillmentHold?.id;
    if (!holdId) throw new Error(`fulfillmentOrderHold on ${fo.id} returned no hold`);
    if (first) await recordVariantDates(p, orderId, first.extras.variantDates);
    return { holdId, updatedAt: data.orderUpdate?.order?.updatedAt ?? null };
  });
}

async function firstHoldRequest(
  p: Pipeline,
  orderId: string,
  fulfillmentOrderId: string,
  hold: FulfillmentOrderHoldInput,
  extras: FirstHoldExtras,
  notify: boolean,
  eventKey: string | undefined,
) {
  return p.admin
    .mutate(
      BackorderHoldDocument,
      {
        fulfillmentOrderId,
        hold,
        order: orderInput(orderId, extras),
        orderId,
        addTags: extras.tags ?? [],
        tagOrder: extras.tags !== null && extras.tags.length > 0,
        variantDates: extras.variantDates,
        setVariantDates: extras.variantDates.length > 0,
        notify,
        flowPayload: extras.created,
      },
      // With the trigger in it, a request whose answer is lost is not sent again (see createdEventToSend).
      { repeatable: !notify },
    )
    .catch(async (error: unknown) => {
      if (notify && !mayHaveApplied(error)) await settleFlowEvents(p.db, p.shop, { unsent: [eventKey!] }, p.now());
      throw error;
    });
}

async function findHoldByHandle(p: Pipeline, orderId: string, foId: string, handle: string): Promise<string> {
  const order = await readOrder(p.admin, orderId);
  const hold = order?.fulfillmentOrders.find((fo) => fo.id === foId)?.holds.find((h) => h.ours && h.handle === handle);
  if (!hold) throw new Error(`hold ${handle} on ${foId} was reported as a duplicate but cannot be found`);
  return hold.id;
}

function orderInput(orderId: string, extras: FirstHoldExtras): OrderInput {
  return { id: orderId, metafields: extras.orderMetafields };
}

async function updateOrder(p: Pipeline, key: string, orderId: string, extras: FirstHoldExtras): Promise<string | null> {
  return applyOnce(p.db, p.shop, key, "order_update", async () => {
    const result = await p.admin.mutate(BackorderOrderUpdateDocument, {
      orderId,
      addTags: extras.tags ?? [],
      tagOrder: extras.tags !== null && extras.tags.length > 0,
      order: orderInput(orderId, extras),
    });
    return unwrap("orderUpdate", result).orderUpdate?.order?.updatedAt ?? null;
  });
}

const variantDatePrefix = (variantId: string) => `variant-date:${variantId}:`;

/**
 * The storefront dates that must be written: those of variants whose date, as the app last wrote it, is
 * another one or was cleared since (`variant-date:<variant>:cleared:…` from allocation). The metafield is
 * app-owned (`$app`), so only the app changes it and its own ledger says what Shopify shows: a backordered
 * order costs no metafieldsSet while its variant already shows today's date.
 */
export async function variantDatesToWrite(p: Pipeline, dates: MetafieldsSetInput[]): Promise<MetafieldsSetInput[]> {
  const stale: MetafieldsSetInput[] = [];
  for (const date of dates) {
    const last = await latestEffect(p.db, p.shop, variantDatePrefix(date.ownerId));
    if (!last?.key.startsWith(`${variantDatePrefix(date.ownerId)}set:${date.value}:`)) stale.push(date);
  }
  return stale;
}

async function recordVariantDates(p: Pipeline, orderId: string, dates: MetafieldsSetInput[]): Promise<void> {
  for (const date of dates) {
    await recordEffect(
      p.db,
      p.shop,
      `${variantDatePrefix(date.ownerId)}set:${date.value}:${orderId}`,
      "metafields_set",
      null,
    );
  }
}

/** metafieldsSet takes at most 25 metafields per call and is atomic. */
export async function setMetafields(p: Pipeline, key: string, metafields: MetafieldsSetInput[]): Promise<void> {
  if (metafields.length === 0) return;
  await applyOnce(p.db, p.shop, key, "metafields_set", async () => {
    for (let start = 0; start < metafields.length; start += 25) {
      const result = await p.admin.mutate(BackorderMetafieldsSetDocument, {
        metafields: metafields.slice(start, start + 25),
      });
      unwrap("metafieldsSet", result);
    }
    return null;
  });
}

export async function deleteMetafields(
  p: Pipeline,
  key: string,
  metafields: MetafieldIdentifierInput[],
): Promise<void> {
  if (metafields.length === 0) return;
  await applyOnce(p.db, p.shop, key, "metafields_delete", async () => {
    unwrap("metafieldsDelete", await p.admin.mutate(BackorderMetafieldsDeleteDocument, { metafields }));
    return null;
  });
}

/** What Shopify must do so that a held fulfillment order keeps only the units that still wait. */
export type ReleaseAction =
  | { kind: "release"; fulfillmentOrderId: string; holdId: string }
  | {
      kind: "partial";
      fulfillmentOrderId: string;
      holdId: string;
      handle: string;
      keep: FoLine[];
      /** False on a retry that finds the hold already released by the first step. */
      held: boolean;
    };

interface FoLine {
  id: string;
  quantity: number;
}

/**
 * From the fulfillment order as Shopify has it now: everything on it ships → release the app's hold by id;
 * some units ship → "partial": release the hold, then hold the waiting units again with a partial hold, which
 * splits off the rest (Shopify's supportedActions offer no SPLIT on an ON_HOLD fulfillment order, and a
 * partial hold is refused while another holder's hold remains: then "blocked", the units wait); nothing left
 * to ship (already done, e.g. before a crash) → null.
 */
export function releaseAction(
  fo: SnapshotFulfillmentOrder,
  holdId: string,
  handle: string,
  keepByLine: ReadonlyMap<string, number>,
): ReleaseAction | { kind: "blocked" } | null {
  const keep: FoLine[] = [];
  let released = 0;
  for (const line of fo.lines) {
    const kept = Math.min(line.remaining, keepByLine.get(line.lineItemId) ?? 0);
    released += line.remaining - kept;
    if (kept > 0) keep.push({ id: line.id, quantity: kept });
  }
  if (released === 0) return null;
  const held = fo.holds.some((h) => h.id === holdId);
  // Shopify lists what it allows; an ON_HOLD fulfillment order always offers RELEASE_HOLD, but nothing is assumed.
  // A hold already gone (a partial release cut short after its first step) needs only the re-hold.
  if (!offers(fo, held ? "RELEASE_HOLD" : "HOLD")) return { kind: "blocked" };
  if (keep.length === 0) return { kind: "release", fulfillmentOrderId: fo.id, holdId };
  if (fo.holds.some((h) => !h.ours)) return { kind: "blocked" };
  return { kind: "partial", fulfillmentOrderId: fo.id, holdId, handle, keep, held };
}

const partialReleaseKey = (holdId: string, step: "started" | "released" | "reheld") =>
  `partial-release:${holdId}:${step}`;

/**
 * Whether a partial release of this hold was begun: it is noted before the hold is released, so that a crash
 * anywhere between the release and the re-hold, which leaves the hold gone from Shopify and every unit open,
 * is told apart from a release outside the app (the units still wait, and the retry holds them again).
 */
export async function partialReleaseStarted(p: Pipeline, holdId: string): Promise<boolean> {
  return (await findEffect(p.db, p.shop, partialReleaseKey(holdId, "started"))) !== null;
}

/**
 * Applies releases for many orders in few calls: every whole release in aliased batches (holdIds always
 * given), then each partial release in two ledgered steps, release and re-hold under the same handle.
 * Returns the hold that replaced each partially released one, for the records.
 */
export async function applyReleases(
  p: Pipeline,
  key: string,
  actions: readonly ReleaseAction[],
): Promise<Map<string, string>> {
  const releases = actions.flatMap((a) =>
    a.kind === "release" ? [{ fulfillmentOrderId: a.fulfillmentOrderId, holdIds: [a.holdId] }] : [],
  );
  if (releases.length > 0) {
    await applyOnce(p.db, p.shop, key, "release", async () => {
      for (const result of await releaseHolds(p.admin, releases)) {
        if (!result.ok) throw new ShopifyUserErrors("fulfillmentOrderReleaseHold", result.userErrors);
      }
      return null;
    });
  }
  const replaced = new Map<string, string>();
  for (const action of actions) {
    if (action.kind === "partial") replaced.set(action.holdId, await releasePartly(p, action));
  }
  return replaced;
}

async function releasePartly(p: Pipeline, action: Extract<ReleaseAction, { kind: "partial" }>): Promise<string> {
  const { fulfillmentOrderId, holdId, handle } = action;
  await recordEffect(p.db, p.shop, partialReleaseKey(holdId, "started"), "release", null);
  await applyOnce(p.db, p.shop, partialReleaseKey(holdId, "released"), "release", async () => {
    if (!action.held) return null;
    const [result] = await releaseHolds(p.admin, [{ fulfillmentOrderId, holdIds: [holdId] }]);
    if (result && !result.ok) throw new ShopifyUserErrors("fulfillmentOrderReleaseHold", result.userErrors);
    return null;
  });
  return applyOnce(p.db, p.shop, partialReleaseKey(holdId, "reheld"), "fulfillment_hold", async () => {
    const hold = {
      reason: "INVENTORY_OUT_OF_STOCK" as const,
      reasonNotes: HOLD_NOTE,
      handle,
      notifyMerchant: false,
      fulfillmentOrderLineItems: action.keep,
    };
    const result = await p.admin.mutate(BackorderExtraHoldDocument, { id: fulfillmentOrderId, hold });
    if (result.ok) {
      const id = result.data.fulfillmentOrderHold?.fulfillmentHold?.id;
      if (!id) throw new Error(`fulfillmentOrderHold on ${fulfillmentOrderId} returned no hold`);
      return id;
    }
    // Held again before a crash lost the answer: the handle finds that hold.
    if (!result.userErrors.some((e) => e.code === "DUPLICATE_FULFILLMENT_HOLD_HANDLE"))
      throw new ShopifyUserErrors("fulfillmentOrderHold", result.userErrors);
    const order = await readOrderByFulfillmentOrder(p.admin, fulfillmentOrderId);
    if (!order) throw new Error(`fulfillment order ${fulfillmentOrderId} is gone`);
    return findHoldByHandle(p, order.id, fulfillmentOrderId, handle);
  });
}

/**
 * The tag comes off orders with nothing left waiting, many orders per call. Returns each order's updatedAt
 * after the change, so that the orders/updated it causes is recognised as the app's own.
 */
export async function removeTagsFromOrders(
  p: Pipeline,
  key: string,
  orderIds: readonly string[],
  tags: string[],
): Promise<Record<string, string>> {
  if (orderIds.length === 0) return {};
  return applyOnce(p.db, p.shop, key, "tags_remove", async () => {
    const results = await batchMutation(
      p.admin,
      BackorderTagsRemoveDocument,
      orderIds.map((id) => ({ id, tags })),
    );
    const updatedAt: Record<string, string> = {};
    results.forEach((result, index) => {
      if (!result.ok) throw new ShopifyUserErrors("tagsRemove", result.userErrors);
      const at =
        result.data.tagsRemove?.node && "updatedAt" in result.data.tagsRemove.node
          ? result.data.tagsRemove.node.updatedAt
          : null;
      if (at) updatedAt[orderIds[index]!] = at;
    });
    return updatedAt;
  });
}

/** One call's worth of flowTriggerReceive (10 points each, 1,000 per query). */
const FLOW_BATCH = 100;

/**
 * Sends the shop's queued Flow events, many per call, each marked `sending` before its request. A request
 * Shopify certainly did not run puts its events back in the queue; one whose answer was lost leaves them
 * `sending`, never sent again: Flow keeps no record the app could check, so a trigger may be lost in that
 * window but never doubled. Refused events are kept with their userErrors, which are then thrown.
 */
export async function sendQueuedFlows(p: Pipeline): Promise<void> {
  for (;;) {
    const batch = await claimQueuedFlowEvents(p.db, p.shop, FLOW_BATCH);
    if (batch.length === 0) return;
    let results: MutationResult<unknown>[];
    try {
      results = await batchMutation(
        p.admin,
        BackorderFlowTriggerDocument,
        batch.map(({ handle, payload }) => ({ handle, payload })),
        { repeatable: false },
      );
    } catch (error) {
      if (!mayHaveApplied(error)) await settleFlowEvents(p.db, p.shop, { unsent: batch.map((e) => e.key) }, p.now());
      throw error;
    }
    const refused = batch.flatMap((event, i) => {
      const result = results[i]!;
      return result.ok ? [] : [{ key: event.key, error: JSON.stringify(result.userErrors), errors: result.userErrors }];
    });
    const sent = batch.filter((_, i) => results[i]!.ok).map((event) => event.key);
    await settleFlowEvents(p.db, p.shop, { sent, refused }, p.now());
    if (refused.length > 0)
      throw new ShopifyUserErrors(
        "flowTriggerReceive",
        refused.flatMap((r) => r.errors),
      );
  }
}

export { FLOW_TRIGGERS };

/**
 * Whether flowTriggerReceive is worth sending: the merchant has Flow on in the app's settings, and Flow's
 * lifecycle callback said a turned-on workflow starts from this trigger, or no callback about it was ever
 * recorded (docs/decisions/0018-effects-once.md). A trigger no workflow uses starts nothing and costs 10 points.
 */
async function flowWanted(p: Pipeline, handle: FlowTriggerHandle): Promise<boolean> {
  return p.settings.flowEnabled && (await isFlowTriggerInUse(p.db, p.shop, handle));
}

/**
 * Moves a fulfillment order whole to another location (its holds go with it). Returns the moved fulfillment
 * order's id, or null when Shopify refused (it stays where it is; the refusal is logged and kept in the ledger,
 * so the same move is not asked again).
 */
export async function moveFulfillmentOrder(
  p: Pipeline,
  fulfillmentOrderId: string,
  locationId: string,
): Promise<string | null> {
  return applyOnce(p.db, p.shop, `move:${fulfillmentOrderId}:${locationId}`, "fulfillment_order_move", async () => {
    const result = await p.admin.mutate(BackorderMoveDocument, { id: fulfillmentOrderId, locationId });
    if (!result.ok) {
      console.warn(`${new ShopifyUserErrors("fulfillmentOrderMove", result.userErrors).message} (not moved)`);
      return null;
    }
    return result.data.fulfillmentOrderMove?.movedFulfillmentOrder?.id ?? fulfillmentOrderId;
  });
}

export async function setVariantPolicy(
  p: Pipeline,
  key: string,
  productId: string,
  variantId: string,
  policy: "DENY" | "CONTINUE",
): Promise<void> {
  await applyOnce(p.db, p.shop, key, "variant_policy", async () => {
    unwrap(
      "productVariantsBulkUpdate",
      await p.admin.mutate(BackorderVariantPolicyDocument, {
        productId,
        variants: [{ id: variantId, inventoryPolicy: policy }],
      }),
    );
    return null;
  });
}
