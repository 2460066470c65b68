import { markFlowEventSending, type NewFlowEvent } from "../../models/flow-events.server";
import { applyOnce } from "../../models/ledger.server";
import { BackorderExtraHoldDocument } from "../../shopify/generated/operations";
import type { Pipeline } from "../pipeline.server";
import { offers, type OrderSnapshot, type SnapshotFulfillmentOrder } from "../reads/snapshot";
import {
  createdEventToSend,
  firstHoldRequest,
  settleCreatedEvent,
  updateOrder,
  type CreatedEvent,
  type FirstHoldExtras,
} from "./first-hold.server";
import { findHoldByHandle, holdHandle, holdInput } from "./hold-handle.server";
import { recordVariantDates, setMetafields } from "./metafields.server";
import { ShopifyUserErrors } from "./user-errors";

export interface PlacedHold {
  fulfillmentOrderId: string;
  holdId: string;
  handle: string;
  lines: { lineItemId: string; quantity: number }[];
}

/** No HOLD offered: a fulfillment service has the request (docs/decisions/0020-fulfillment-services.md). */
export interface UnheldUnits {
  fulfillmentOrderId: string;
  requestStatus: string;
  lines: { lineItemId: string; quantity: number }[];
}

/** Request statuses in which the fulfillment service has the work (fulfillmentOrderMove's 2026-10 list). */
const REQUEST_UNDER_WAY = ["SUBMITTED", "ACCEPTED", "CANCELLATION_REQUESTED", "CANCELLATION_REJECTED"];

export function notHeldReason(requestStatus: string): string {
  return REQUEST_UNDER_WAY.includes(requestStatus) ? "fulfillment_service_has_the_request" : "hold_not_offered";
}

/** Shopify splits the units not held into an open fulfillment order; the first hold carries the order's extras. */
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

/** A fulfillment order the app already holds counts as held, so a retry asks nothing twice. */
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

async function requestHold(
  p: Pipeline,
  orderId: string,
  { fo, handle, selection }: Extract<HoldStep, { kind: "hold" }>,
  first: { extras: FirstHoldExtras; created: CreatedEvent } | null,
): Promise<{ holdId: string; updatedAt: string | null }> {
  // Held already by the merchant or another app: Shopify takes a further hold (since 2025-01) only without
  // line items, so the app's hold covers the whole fulfillment order (decision 0017).
  const hold = holdInput(handle, fo.status === "ON_HOLD" ? null : selection);
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
