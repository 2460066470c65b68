import { fulfillmentOrderStatusPayload, holdPayload, orderPayload } from "../webhooks/payloads";
import { changeQuantity, levelOf } from "./inventory";
import { addFulfillmentOrder, fulfillmentOrdersOf, touchOrder } from "./orders";
import type { Runtime } from "./runtime";
import type {
  Fulfillment,
  FulfillmentHold,
  FulfillmentOrder,
  FulfillmentOrderLineItem,
  FulfillmentOrderRequestStatus,
  Shop,
} from "./state";

export interface UserError {
  field: string[] | null;
  message: string;
  code: string | null;
}

export interface LineSelection {
  id: number | null;
  quantity: number;
}

/** Shopify: "up to 10 holds per fulfillment order per app". */
export const MAX_HOLDS_PER_APP = 10;
export const MAX_HANDLE_LENGTH = 64;

/**
 * Request statuses in which the fulfillment order awaits its fulfillment service: `fulfillmentOrderMove`'s
 * 2026-10 description refuses a move in exactly these ("can't be re-assigned without first having the fulfillment
 * service accept a cancellation request"), and Local Shopify refuses a hold in them too (parity row T2).
 */
export const REQUEST_UNDER_WAY: readonly FulfillmentOrderRequestStatus[] = [
  "SUBMITTED",
  "ACCEPTED",
  "CANCELLATION_REQUESTED",
  "CANCELLATION_REJECTED",
];

export function requestUnderWay(fo: FulfillmentOrder): boolean {
  return REQUEST_UNDER_WAY.includes(fo.requestStatus);
}

export function fulfillmentServiceOf(shop: Shop, fo: FulfillmentOrder) {
  return shop.locations.find((l) => l.id === fo.locationId)?.fulfillmentService ?? null;
}

/**
 * What the requesting (merchant's) app may do now. At a fulfillment service location the work is the service's:
 * an unsubmitted or rejected fulfillment order offers REQUEST_FULFILLMENT instead of CREATE_FULFILLMENT; one whose
 * request is under way offers only what ends the request — CANCEL_FULFILLMENT_ORDER while SUBMITTED or
 * CANCELLATION_REQUESTED (`fulfillmentOrderCancel`'s description), REQUEST_CANCELLATION once ACCEPTED
 * (`FulfillmentOrderMerchantRequestKind.CANCELLATION_REQUEST`) — no HOLD, MOVE or SPLIT (our stricter reading).
 */
export function supportedActions(shop: Shop, fo: FulfillmentOrder): string[] {
  const units = fo.lineItems.reduce((n, l) => n + l.remainingQuantity, 0);
  const service = fulfillmentServiceOf(shop, fo) !== null;
  if (service && requestUnderWay(fo)) {
    if (fo.status === "CLOSED" || fo.status === "CANCELLED" || fo.status === "INCOMPLETE") return [];
    return fo.requestStatus === "SUBMITTED" || fo.requestStatus === "CANCELLATION_REQUESTED"
      ? ["CANCEL_FULFILLMENT_ORDER"]
      : ["REQUEST_CANCELLATION"];
  }
  switch (fo.status) {
    case "OPEN":
    case "IN_PROGRESS": {
      const actions = [service ? "REQUEST_FULFILLMENT" : "CREATE_FULFILLMENT", "HOLD", "MOVE"];
      if (units > 1) actions.push("SPLIT");
      if (mergeCandidates(shop, fo).length > 0) actions.push("MERGE");
      return actions;
    }
    case "ON_HOLD":
      return ["RELEASE_HOLD", "HOLD", "MOVE"];
    default:
      return [];
  }
}

function mergeCandidates(shop: Shop, fo: FulfillmentOrder): FulfillmentOrder[] {
  return fulfillmentOrdersOf(shop, fo.orderId).filter(
    (other) => other.id !== fo.id && other.locationId === fo.locationId && other.status === "OPEN",
  );
}

/**
 * Validates a line-item selection against a fulfillment order; on success returns the selected
 * quantities by fulfillment order line id.
 */
function checkSelection(
  fo: FulfillmentOrder,
  selection: LineSelection[],
  field: string[],
  codes: { duplicated?: string; notPositive: string; tooMany: string },
): Map<number, number> | UserError {
  const chosen = new Map<number, number>();
  for (const [index, entry] of selection.entries()) {
    const line = fo.lineItems.find((l) => l.id === entry.id);
    const at = [...field, String(index)];
    if (!line) {
      return { field: [...at, "id"], message: "The fulfillment order line item does not exist.", code: codes.tooMany };
    }
    if (chosen.has(line.id)) {
      return { field: at, message: "The fulfillment order line items must be unique.", code: codes.duplicated ?? null };
    }
    if (entry.quantity <= 0) {
      return { field: [...at, "quantity"], message: "Quantity must be greater than 0.", code: codes.notPositive };
    }
    if (entry.quantity > line.remainingQuantity) {
      return {
        field: [...at, "quantity"],
        message: `The line item quantity is invalid: ${entry.quantity} exceeds the remaining quantity ${line.remainingQuantity}.`,
        code: codes.tooMany,
      };
    }
    chosen.set(line.id, entry.quantity);
  }
  return chosen;
}

/**
 * Moves the chosen quantities out of `fo` into a new fulfillment order at the same location and
 * returns the new one. Lines left empty are dropped from `fo`.
 */
function carveOut(rt: Runtime, shop: Shop, fo: FulfillmentOrder, chosen: Map<number, number>): FulfillmentOrder {
  const now = rt.clock.iso();
  const id = rt.id();
  const lines: FulfillmentOrderLineItem[] = [];
  for (const line of fo.lineItems) {
    const quantity = chosen.get(line.id) ?? 0;
    if (quantity === 0) continue;
    line.totalQuantity -= quantity;
    line.remainingQuantity -= quantity;
    lines.push({
      __typename: "FulfillmentOrderLineItem",
      id: rt.id(),
      fulfillmentOrderId: id,
      lineItemId: line.lineItemId,
      totalQuantity: quantity,
      remainingQuantity: quantity,
    });
  }
  fo.lineItems = fo.lineItems.filter((l) => l.totalQuantity > 0);
  fo.updatedAt = now;
  const created: FulfillmentOrder = {
    ...fo,
    id,
    status: "OPEN",
    lineItems: lines,
    holds: [],
    createdAt: now,
    updatedAt: now,
  };
  addFulfillmentOrder(shop, created);
  return created;
}

/** The complement of `chosen`: every remaining unit of `fo` not selected. */
function complement(fo: FulfillmentOrder, chosen: Map<number, number>): Map<number, number> {
  const rest = new Map<number, number>();
  for (const line of fo.lineItems) {
    const left = line.remainingQuantity - (chosen.get(line.id) ?? 0);
    if (left > 0) rest.set(line.id, left);
  }
  return rest;
}

export interface HoldInput {
  reason: string;
  reasonNotes?: string | null;
  handle?: string | null;
  externalId?: string | null;
  notifyMerchant?: boolean | null;
  fulfillmentOrderLineItems?: LineSelection[] | null;
}

export type HoldResult =
  | { ok: true; hold: FulfillmentHold; fulfillmentOrder: FulfillmentOrder; remaining: FulfillmentOrder | null }
  | { ok: false; error: UserError };

/**
 * `fulfillmentOrderHold`. With line items covering less than the whole order, Shopify splits it: the held
 * units stay on the original fulfillment order (now ON_HOLD) and the rest move to a new OPEN one,
 * returned as `remainingFulfillmentOrder`.
 */
export function placeHold(
  rt: Runtime,
  shop: Shop,
  appId: number | null,
  fo: FulfillmentOrder | undefined,
  input: HoldInput,
): HoldResult {
  const fail = (field: string[] | null, message: string, code: string | null): HoldResult => ({
    ok: false,
    error: { field, message, code },
  });
  if (!fo) return fail(["id"], "Fulfillment order does not exist.", "FULFILLMENT_ORDER_NOT_FOUND");
  const handle = input.handle ?? "";
  if (handle.length > MAX_HANDLE_LENGTH) {
    return fail(["fulfillmentHold", "handle"], `Handle is too long (maximum is ${MAX_HANDLE_LENGTH} characters)`, null);
  }
  if (fo.status !== "OPEN" && fo.status !== "ON_HOLD" && fo.status !== "IN_PROGRESS" && fo.status !== "SCHEDULED") {
    return fail(["id"], `The fulfillment order's status (${fo.status.toLowerCase()}) does not allow a hold.`, null);
  }
  // Its fulfillment service has the request: HOLD is not among its supportedActions, and the hold error codes
  // have none for the state, so the refusal carries no code (parity row T2).
  if (requestUnderWay(fo)) {
    return fail(
      ["id"],
      `The fulfillment order's fulfillment request is ${fo.requestStatus.toLowerCase().replace(/_/g, " ")}: it cannot be put on hold.`,
      null,
    );
  }
  const ownHolds = fo.holds.filter((h) => h.appId === appId);
  if (ownHolds.some((h) => h.handle === handle)) {
    return fail(
      ["fulfillmentHold", "handle"],
      "The handle provided for the fulfillment hold is already in use by this app for another hold on this fulfillment order.",
      "DUPLICATE_FULFILLMENT_HOLD_HANDLE",
    );
  }
  if (ownHolds.length >= MAX_HOLDS_PER_APP) {
    return fail(
      ["id"],
      `The maximum number of fulfillment holds for this fulfillment order has been reached for this app. An app can only have up to ${MAX_HOLDS_PER_APP} holds on a single fulfillment order at any one time.`,
      "FULFILLMENT_ORDER_HOLD_LIMIT_REACHED",
    );
  }

  let remaining: FulfillmentOrder | null = null;
  const selection = input.fulfillmentOrderLineItems;
  if (selection && selection.length > 0) {
    if (fo.status === "ON_HOLD") {
      return fail(
        ["fulfillmentHold", "fulfillmentOrderLineItems"],
        "The fulfillment order could not be split: it is already on hold.",
        "FULFILLMENT_ORDER_NOT_SPLITTABLE",
      );
    }
    const chosen = checkSelection(fo, selection, ["fulfillmentHold", "fulfillmentOrderLineItems"], {
      duplicated: "DUPLICATED_FULFILLMENT_ORDER_LINE_ITEMS",
      notPositive: "GREATER_THAN_ZERO",
      tooMany: "INVALID_LINE_ITEM_QUANTITY",
    });
    if (!(chosen instanceof Map)) return { ok: false, error: chosen };
    const rest = complement(fo, chosen);
    if (rest.size > 0) remaining = carveOut(rt, shop, fo, rest);
  }

  const hold: FulfillmentHold = {
    __typename: "FulfillmentHold",
    id: rt.id(),
    fulfillmentOrderId: fo.id,
    handle,
    reason: input.reason,
    reasonNotes: input.reasonNotes ?? null,
    appId,
    externalId: input.externalId ?? null,
  };
  const first = fo.status !== "ON_HOLD";
  fo.holds.push(hold);
  fo.status = "ON_HOLD";
  fo.updatedAt = rt.clock.iso();
  const heldLines = fo.lineItems.map((l) => ({ id: l.id, quantity: l.remainingQuantity }));
  // The topic's description: "only trigger once when the first hold is applied" (parity row H8).
  if (!first) return { ok: true, hold, fulfillmentOrder: fo, remaining };
  rt.emit(shop, "fulfillment_orders/placed_on_hold", () => ({
    fulfillment_order: {
      ...fulfillmentOrderStatusPayload(fo),
      fulfillment_holds: fo.holds.map((h) => holdPayload(h, rt.app.id)),
    },
    remaining_fulfillment_order: remaining ? fulfillmentOrderStatusPayload(remaining) : null,
    held_fulfillment_order_line_items: heldLines.map((l) => ({
      id: `gid://shopify/FulfillmentOrderLineItem/${l.id}`,
      quantity: l.quantity,
    })),
    created_fulfillment_hold: holdPayload(hold, rt.app.id),
  }));
  return { ok: true, hold, fulfillmentOrder: fo, remaining };
}

export type ReleaseResult = { ok: true; fulfillmentOrder: FulfillmentOrder } | { ok: false; error: UserError };

/**
 * `fulfillmentOrderReleaseHold`. Without `holdIds` Shopify releases every hold the app may release,
 * not only the caller's — the reason to always pass them. An app naming another holder's hold (another app's
 * or the merchant's) is refused; the merchant (`releaser` "merchant", from the admin) releases any.
 */
export function releaseHolds(
  rt: Runtime,
  shop: Shop,
  releaser: number | "merchant",
  fo: FulfillmentOrder | undefined,
  holdIds: number[] | null,
): ReleaseResult {
  if (!fo)
    return {
      ok: false,
      error: { field: ["id"], message: "Fulfillment order does not exist.", code: "FULFILLMENT_ORDER_NOT_FOUND" },
    };
  if (fo.status !== "ON_HOLD") {
    return { ok: false, error: { field: ["id"], message: "The fulfillment order is not on hold.", code: null } };
  }
  let released: FulfillmentHold[];
  if (holdIds === null) {
    released = fo.holds;
  } else {
    const unknown = holdIds.find((id) => !fo.holds.some((h) => h.id === id));
    if (unknown !== undefined) {
      return {
        ok: false,
        error: {
          field: ["holdIds"],
          message: `Fulfillment hold gid://shopify/FulfillmentHold/${unknown} does not exist on this fulfillment order.`,
          code: null,
        },
      };
    }
    released = fo.holds.filter((h) => holdIds.includes(h.id));
    if (releaser !== "merchant" && released.some((h) => h.appId !== releaser)) {
      return {
        ok: false,
        error: {
          field: ["holdIds"],
          message: "The app cannot release holds placed by another app.",
          code: "INVALID_ACCESS",
        },
      };
    }
  }
  fo.holds = fo.holds.filter((h) => !released.includes(h));
  fo.updatedAt = rt.clock.iso();
  // The topic's description: "only be triggered once when the last hold is released" (parity row H9).
  if (fo.holds.length > 0) return { ok: true, fulfillmentOrder: fo };
  fo.status = "OPEN";
  rt.emit(shop, "fulfillment_orders/hold_released", () => ({ fulfillment_order: fulfillmentOrderStatusPayload(fo) }));
  return { ok: true, fulfillmentOrder: fo };
}

export type SplitResult =
  { ok: true; fulfillmentOrder: FulfillmentOrder; remaining: FulfillmentOrder } | { ok: false; error: UserError };

/** `fulfillmentOrderSplit`: the selected units move to a new fulfillment order (`remainingFulfillmentOrder`). */
export function splitFulfillmentOrder(
  rt: Runtime,
  shop: Shop,
  fo: FulfillmentOrder | undefined,
  selection: LineSelection[],
  index: number,
): SplitResult {
  const field = ["fulfillmentOrderSplits", String(index)];
  if (!fo)
    return {
      ok: false,
      error: {
        field: [...field, "fulfillmentOrderId"],
        message: "Fulfillment order does not exist.",
        code: "FULFILLMENT_ORDER_NOT_FOUND",
      },
    };
  // Shopify lists SPLIT among an ON_HOLD fulfillment order's supportedActions never; its split error codes
  // have none for the state, so the refusal carries no code (parity row H7).
  if (!supportedActions(shop, fo).includes("SPLIT")) {
    return {
      ok: false,
      error: {
        field: [...field, "fulfillmentOrderId"],
        message: `The fulfillment order cannot be split: its status (${fo.status.toLowerCase()}) does not support it.`,
        code: null,
      },
    };
  }
  if (selection.length === 0) {
    return {
      ok: false,
      error: {
        field: [...field, "fulfillmentOrderLineItems"],
        message: "No line items provided to split.",
        code: "NO_LINE_ITEMS_PROVIDED_TO_SPLIT",
      },
    };
  }
  const chosen = checkSelection(fo, selection, [...field, "fulfillmentOrderLineItems"], {
    notPositive: "GREATER_THAN",
    tooMany: "INVALID_LINE_ITEM_QUANTITY",
  });
  if (!(chosen instanceof Map)) return { ok: false, error: chosen };
  if (complement(fo, chosen).size === 0) {
    return {
      ok: false,
      error: {
        field: [...field, "fulfillmentOrderLineItems"],
        message: "The fulfillment order cannot be split: every unit was selected.",
        code: "INVALID_LINE_ITEM_QUANTITY",
      },
    };
  }
  const remaining = carveOut(rt, shop, fo, chosen);
  rt.emit(shop, "fulfillment_orders/split", () => ({
    split_line_items: selection.map((s) => ({
      id: `gid://shopify/FulfillmentOrderLineItem/${s.id}`,
      quantity: s.quantity,
    })),
    fulfillment_order: fulfillmentOrderStatusPayload(fo),
    remaining_fulfillment_order: fulfillmentOrderStatusPayload(remaining),
    replacement_fulfillment_order: null,
  }));
  return { ok: true, fulfillmentOrder: fo, remaining };
}

export type MergeResult = { ok: true; fulfillmentOrder: FulfillmentOrder } | { ok: false; error: UserError };

/** `fulfillmentOrderMerge`: open fulfillment orders of one order at one location become the first of them. */
export function mergeFulfillmentOrders(rt: Runtime, shop: Shop, ids: number[], index: number): MergeResult {
  const field = ["fulfillmentOrderMergeInputs", String(index), "mergeIntents"];
  const fos = ids.map((id) => shop.fulfillmentOrders.get(id));
  const missing = fos.findIndex((fo) => !fo);
  if (missing >= 0) {
    return {
      ok: false,
      error: {
        field: [...field, String(missing), "fulfillmentOrderId"],
        message: "Fulfillment order does not exist.",
        code: "FULFILLMENT_ORDER_NOT_FOUND",
      },
    };
  }
  const [target, ...others] = fos as FulfillmentOrder[];
  if (
    !target ||
    others.some((o) => o.orderId !== target.orderId || o.locationId !== target.locationId || o.status !== "OPEN") ||
    target.status !== "OPEN" ||
    (fos as FulfillmentOrder[]).some(requestUnderWay)
  ) {
    return {
      ok: false,
      error: {
        field,
        message: "The fulfillment orders cannot be merged: they must be open, of one order and at one location.",
        code: null,
      },
    };
  }
  // The payload names the units each merged fulfillment order brought, as they were before the merge.
  const intents = (fos as FulfillmentOrder[]).map((fo) => ({
    fulfillment_order_id: fo.id,
    fulfillment_order_line_items: fo.lineItems.map((l) => ({ id: l.id, quantity: l.remainingQuantity })),
  }));
  for (const other of others) {
    for (const line of other.lineItems) {
      const same = target.lineItems.find((l) => l.lineItemId === line.lineItemId);
      if (same) {
        same.totalQuantity += line.remainingQuantity;
        same.remainingQuantity += line.remainingQuantity;
      } else {
        target.lineItems.push({ ...line, fulfillmentOrderId: target.id, totalQuantity: line.remainingQuantity });
      }
    }
    other.lineItems = [];
    other.status = "CLOSED";
    other.updatedAt = rt.clock.iso();
  }
  target.updatedAt = rt.clock.iso();
  rt.emit(shop, "fulfillment_orders/merged", () => ({
    merge_intents: intents,
    fulfillment_order_merges: { fulfillment_order: fulfillmentOrderStatusPayload(target) },
  }));
  return { ok: true, fulfillmentOrder: target };
}

export type FulfilResult = { ok: true; fulfillment: Fulfillment } | { ok: false; error: UserError };

/**
 * Ships units of a fulfillment order (`fulfillmentCreate`, or the merchant in the admin): they leave
 * `committed`, so `on_hand` drops while `available` stays.
 */
export function fulfil(
  rt: Runtime,
  shop: Shop,
  fo: FulfillmentOrder | undefined,
  selection: LineSelection[] | null,
): FulfilResult {
  if (!fo)
    return {
      ok: false,
      error: {
        field: ["fulfillment", "lineItemsByFulfillmentOrder"],
        message: "Fulfillment order does not exist.",
        code: null,
      },
    };
  if (fo.status !== "OPEN" && fo.status !== "IN_PROGRESS") {
    return {
      ok: false,
      error: {
        field: ["fulfillment"],
        message: `Fulfillment order ${fo.id} has an unfulfillable status= ${fo.status.toLowerCase()}.`,
        code: null,
      },
    };
  }
  const chosen =
    selection && selection.length > 0
      ? checkSelection(
          fo,
          selection,
          ["fulfillment", "lineItemsByFulfillmentOrder", "0", "fulfillmentOrderLineItems"],
          {
            notPositive: "GREATER_THAN",
            tooMany: "INVALID_LINE_ITEM_QUANTITY",
          },
        )
      : complement(fo, new Map());
  if (!(chosen instanceof Map)) return { ok: false, error: chosen };
  const order = shop.orders.get(fo.orderId)!;
  const lines: Fulfillment["lines"] = [];
  for (const foLine of fo.lineItems) {
    const quantity = chosen.get(foLine.id) ?? 0;
    if (quantity === 0) continue;
    foLine.remainingQuantity -= quantity;
    const line = order.lineItems.find((l) => l.id === foLine.lineItemId)!;
    line.fulfilledQuantity += quantity;
    const allocation = line.allocations?.find((a) => a.locationId === fo.locationId);
    if (allocation) allocation.quantity -= quantity;
    lines.push({ lineItemId: line.id, quantity });
    const variant = shop.variants.get(line.variantId ?? -1);
    const level = variant && levelOf(shop, variant.inventoryItemId, fo.locationId);
    if (level && shop.inventoryItems.get(variant.inventoryItemId)?.tracked) {
      changeQuantity(rt, shop, level, "committed", -quantity);
    }
  }
  fo.status = fo.lineItems.every((l) => l.remainingQuantity === 0) ? "CLOSED" : "IN_PROGRESS";
  fo.updatedAt = rt.clock.iso();
  const fulfillment: Fulfillment = {
    __typename: "Fulfillment",
    id: rt.id(),
    orderId: order.id,
    fulfillmentOrderId: fo.id,
    lines,
    createdAt: rt.clock.iso(),
  };
  shop.fulfillments.set(fulfillment.id, fulfillment);
  const complete = order.lineItems.every((l) => l.fulfilledQuantity >= l.currentQuantity);
  rt.emit(shop, complete ? "orders/fulfilled" : "orders/partially_fulfilled", () => orderPayload(shop, order));
  touchOrder(rt, shop, order);
  return { ok: true, fulfillment };
}
