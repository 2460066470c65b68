import type { Operation, OrderDetected } from "../../domain";
import { markFlowEventSending, type NewFlowEvent } from "../../models/flow-events.server";
import { applyOnce } from "../../models/ledger.server";
import { BackorderExtraHoldDocument } from "../../shopify/generated/operations";
import { onOwnerUpdate } from "../metafields";
import type { Pipeline } from "../pipeline.server";
import {
  createdEventToSend,
  firstHoldRequest,
  settleCreatedEvent,
  updateOrder,
  type CreatedEvent,
  type FirstHoldExtras,
} from "./first-hold.server";
import { findHoldByHandle, holdInput } from "./hold-handle.server";
import { recordVariantDates, setMetafields } from "./metafields.server";
import { ShopifyUserErrors } from "./user-errors";

export type { UnheldUnits } from "../../domain";

export type HoldOperation = Extract<Operation, { kind: "hold" }>;

export interface PlacedHolds {
  /** The id of each hold placed (or found placed by an earlier run), by fulfillment order. */
  holds: Map<string, string>;
  orderUpdatedAt: string | null;
  /** The created event, when no hold request carried it: queued with the records, sent after them. */
  flows: NewFlowEvent[];
}

/** Request statuses in which the fulfillment service has the work (fulfillmentOrderMove's 2026-10 list). */
const REQUEST_UNDER_WAY = ["SUBMITTED", "ACCEPTED", "CANCELLATION_REQUESTED", "CANCELLATION_REJECTED"];

export function notHeldReason(requestStatus: string): string {
  return REQUEST_UNDER_WAY.includes(requestStatus) ? "fulfillment_service_has_the_request" : "hold_not_offered";
}

/**
 * The order's holds in list order, the first carrying what the order shows of its detection; with no hold to
 * request that goes alone, as variant dates (metafieldsSet) and an orderUpdate. Shopify splits the units not held
 * into an open fulfillment order.
 */
export async function placeHolds(
  p: Pipeline,
  detected: OrderDetected,
  requests: readonly HoldOperation[],
): Promise<PlacedHolds> {
  const extras: FirstHoldExtras = {
    tags: detected.addTags,
    orderMetafields: detected.orderMetafields.map(onOwnerUpdate),
    variantDates: detected.variantDates,
    created: detected.created,
  };
  const holds = new Map<string, string>();
  let orderUpdatedAt: string | null = null;
  const created = await createdEventToSend(p, detected.orderId, extras, detected.heldBefore);

  for (const [index, request] of requests.entries()) {
    const placed = await requestHold(p, request, index === 0 ? { extras, created } : null);
    if (placed.updatedAt) orderUpdatedAt = placed.updatedAt;
    holds.set(request.fulfillmentOrderId, placed.holdId);
  }

  const orderId = detected.orderId;
  if (requests.length === 0) {
    await setMetafields(p, `variant-dates:${orderId}:detected`, extras.variantDates);
    await recordVariantDates(p, orderId, extras.variantDates);
    orderUpdatedAt = (await updateOrder(p, `order-update:${orderId}:detected`, orderId, extras)) ?? orderUpdatedAt;
  }
  return { holds, orderUpdatedAt, flows: requests.length === 0 && created.queue ? [created.event!] : [] };
}

async function requestHold(
  p: Pipeline,
  { orderId, fulfillmentOrderId, handle, lines }: HoldOperation,
  first: { extras: FirstHoldExtras; created: CreatedEvent } | null,
): Promise<{ holdId: string; updatedAt: string | null }> {
  const hold = holdInput(handle, lines);
  const notify = first !== null && first.created.send;
  return applyOnce(p.db, p.shop, `hold:${fulfillmentOrderId}:${handle}`, "fulfillment_hold", async () => {
    if (notify) await markFlowEventSending(p.db, p.shop, first.created.event!);
    const result = first
      ? await firstHoldRequest(p, orderId, fulfillmentOrderId, hold, first.extras, notify, first.created.event?.key)
      : await p.admin.mutate(BackorderExtraHoldDocument, { id: fulfillmentOrderId, hold });
    if (notify) await settleCreatedEvent(p, first.created.event!.key, result.data);
    if (!result.ok) {
      if (result.userErrors.some((e) => e.code === "DUPLICATE_FULFILLMENT_HOLD_HANDLE")) {
        return { holdId: await findHoldByHandle(p, orderId, fulfillmentOrderId, handle), updatedAt: null };
      }
      throw new ShopifyUserErrors("fulfillmentOrderHold", result.userErrors);
    }
    const data = result.data as {
      fulfillmentOrderHold?: { fulfillmentHold?: { id: string } | null } | null;
      orderUpdate?: { order?: { updatedAt?: string } | null } | null;
    };
    const holdId = data.fulfillmentOrderHold?.fulfillmentHold?.id;
    if (!holdId) throw new Error(`fulfillmentOrderHold on ${fulfillmentOrderId} returned no hold`);
    if (first) await recordVariantDates(p, orderId, first.extras.variantDates);
    return { holdId, updatedAt: data.orderUpdate?.order?.updatedAt ?? null };
  });
}
