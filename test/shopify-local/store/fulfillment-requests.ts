import { gid } from "../ids";
import { fulfillmentServiceOf, type UserError } from "./fulfillment";
import type { Runtime } from "./runtime";
import type { FulfillmentOrder, FulfillmentOrderRequestStatus, Shop } from "./state";

/**
 * The fulfillment request of a fulfillment order assigned to a fulfillment service location, as the merchant (or
 * an order management app) and the service move it through `FulfillmentOrderRequestStatus` (2026-10):
 * UNSUBMITTED → SUBMITTED (the merchant requests fulfillment) → ACCEPTED (the service takes it into work: status
 * IN_PROGRESS) or REJECTED (back to OPEN, to be requested again or moved). Played through the control API: Local
 * Shopify has one app, so neither the merchant's admin nor the service's app calls these as GraphQL mutations.
 */
export type RequestResult = { ok: true; fulfillmentOrder: FulfillmentOrder } | { ok: false; error: UserError };

const fail = (message: string): RequestResult => ({ ok: false, error: { field: ["id"], message, code: null } });

/** Statuses a new request may start from: never submitted, or ended by the service. */
const REQUESTABLE: readonly FulfillmentOrderRequestStatus[] = ["UNSUBMITTED", "REJECTED", "CANCELLATION_ACCEPTED"];

/** The merchant requests fulfillment (`fulfillmentOrderSubmitFulfillmentRequest`, whole fulfillment order). */
export function submitFulfillmentRequest(shop: Shop, fo: FulfillmentOrder | undefined, now: string): RequestResult {
  if (!fo) return fail("Fulfillment order does not exist.");
  if (!fulfillmentServiceOf(shop, fo)) return fail("The fulfillment order is not assigned to a fulfillment service.");
  // FulfillmentOrderStatus.ON_HOLD: "The fulfillment process can't be initiated until the hold … is released."
  if (fo.status === "ON_HOLD") return fail("The fulfillment order is on hold: release its holds first.");
  if (fo.status !== "OPEN" || !REQUESTABLE.includes(fo.requestStatus)) {
    return fail(`A fulfillment request cannot be submitted: its request status is ${fo.requestStatus.toLowerCase()}.`);
  }
  fo.requestStatus = "SUBMITTED";
  fo.updatedAt = now;
  return { ok: true, fulfillmentOrder: fo };
}

/**
 * The service accepts (`fulfillmentOrderAcceptFulfillmentRequest`): the fulfillment order is IN_PROGRESS and
 * `fulfillment_orders/fulfillment_request_accepted` fires with the service's message, as in Shopify's sample.
 */
export function acceptFulfillmentRequest(
  rt: Runtime,
  shop: Shop,
  fo: FulfillmentOrder | undefined,
  message: string | null,
): RequestResult {
  if (!fo) return fail("Fulfillment order does not exist.");
  if (fo.requestStatus !== "SUBMITTED") return fail("The fulfillment order has no submitted fulfillment request.");
  fo.requestStatus = "ACCEPTED";
  fo.status = "IN_PROGRESS";
  fo.updatedAt = rt.clock.iso();
  rt.emit(shop, "fulfillment_orders/fulfillment_request_accepted", () => ({
    fulfillment_order: {
      id: gid("FulfillmentOrder", fo.id),
      status: fo.status.toLowerCase(),
      request_status: fo.requestStatus.toLowerCase(),
    },
    message,
  }));
  return { ok: true, fulfillmentOrder: fo };
}

/** The service rejects (`fulfillmentOrderRejectFulfillmentRequest`): OPEN again, request status REJECTED. */
export function rejectFulfillmentRequest(fo: FulfillmentOrder | undefined, now: string): RequestResult {
  if (!fo) return fail("Fulfillment order does not exist.");
  if (fo.requestStatus !== "SUBMITTED") return fail("The fulfillment order has no submitted fulfillment request.");
  fo.requestStatus = "REJECTED";
  fo.status = "OPEN";
  fo.updatedAt = now;
  return { ok: true, fulfillmentOrder: fo };
}
