import { gid } from "../ids";
import { fulfillmentOrderStatusPayload } from "../webhooks/payloads";
import { requestUnderWay, type LineSelection, type UserError } from "./fulfillment";
import { activateLevel, changeQuantity, levelOf } from "./inventory";
import { addFulfillmentOrder } from "./orders";
import type { Runtime } from "./runtime";
import type { FulfillmentOrder, FulfillmentOrderLineItem, LineItem, Shop } from "./state";

export type MoveResult =
  { ok: true; moved: FulfillmentOrder; original: FulfillmentOrder } | { ok: false; error: UserError };

const fail = (message: string, field: string[] | null = ["id"]): MoveResult => ({
  ok: false,
  error: { field, message, code: null },
});

/**
 * `fulfillmentOrderMove`, as its 2026-10 description says: a closed fulfillment order, one with a
 * fulfillment request under way, or a destination that does not stock a moved item is refused. Moving every
 * unfulfilled unit of a fulfillment order with nothing fulfilled keeps its id (and its holds) and changes its
 * assigned location; otherwise the selected units move to a new fulfillment order at the destination. The
 * committed units move with them (`committed` and `available` change at both locations), and
 * `fulfillment_orders/moved` fires with the keys of Shopify's sample.
 */
export function moveFulfillmentOrder(
  rt: Runtime,
  shop: Shop,
  fo: FulfillmentOrder | undefined,
  locationId: number | null,
  selection: LineSelection[] | null,
): MoveResult {
  if (!fo) return fail("Fulfillment order does not exist.");
  if (fo.status === "CLOSED" || fo.status === "CANCELLED" || fo.status === "INCOMPLETE") {
    return fail("Cannot move a fulfillment order that is closed.");
  }
  // The description's list: SUBMITTED, ACCEPTED, CANCELLATION_REQUESTED, CANCELLATION_REJECTED.
  if (requestUnderWay(fo)) {
    return fail("Cannot move a fulfillment order that has a fulfillment request in progress.");
  }
  const destination = shop.locations.find((l) => l.id === locationId && l.isActive);
  if (!destination) return fail("Location does not exist.", ["newLocationId"]);
  if (destination.id === fo.locationId) return fail("The fulfillment order is already assigned to this location.");

  const chosen = new Map<number, number>();
  for (const [index, entry] of (selection ?? []).entries()) {
    const line = fo.lineItems.find((l) => l.id === entry.id);
    if (!line || entry.quantity < 1 || entry.quantity > line.remainingQuantity) {
      return fail("Invalid fulfillment order line item quantity.", ["fulfillmentOrderLineItems", String(index)]);
    }
    chosen.set(line.id, entry.quantity);
  }
  if (!selection || selection.length === 0)
    for (const line of fo.lineItems) chosen.set(line.id, line.remainingQuantity);

  const order = shop.orders.get(fo.orderId)!;
  for (const [foLineId] of chosen) {
    const lineItem = order.lineItems.find((l) => l.id === fo.lineItems.find((f) => f.id === foLineId)?.lineItemId);
    const variant = lineItem && shop.variants.get(lineItem.variantId ?? -1);
    const item = variant && shop.inventoryItems.get(variant.inventoryItemId);
    if (item?.tracked && !levelOf(shop, item.id, destination.id)) {
      return fail(`The destination location doesn't stock ${lineItem!.title}.`, ["newLocationId"]);
    }
  }

  const source = fo.locationId;
  const whole =
    fo.lineItems.every((l) => l.totalQuantity === l.remainingQuantity && chosen.get(l.id) === l.remainingQuantity) &&
    [...chosen.values()].reduce((n, q) => n + q, 0) > 0;
  const now = rt.clock.iso();
  let moved: FulfillmentOrder;
  if (whole) {
    fo.locationId = destination.id;
    fo.updatedAt = now;
    moved = fo;
  } else {
    const id = rt.id();
    const lines: FulfillmentOrderLineItem[] = [];
    for (const line of fo.lineItems) {
      const quantity = chosen.get(line.id) ?? 0;
      if (quantity === 0) continue;
      line.totalQuantity -= quantity;
      line.remainingQuantity -= quantity;
      lines.push({
        ...line,
        id: rt.id(),
        fulfillmentOrderId: id,
        totalQuantity: quantity,
        remainingQuantity: quantity,
      });
    }
    fo.lineItems = fo.lineItems.filter((l) => l.totalQuantity > 0);
    if (fo.lineItems.every((l) => l.remainingQuantity === 0)) fo.status = "CLOSED";
    fo.updatedAt = now;
    moved = {
      ...fo,
      id,
      locationId: destination.id,
      status: "OPEN",
      lineItems: lines,
      holds: [],
      createdAt: now,
      updatedAt: now,
    };
    addFulfillmentOrder(shop, moved);
  }

  for (const foLine of moved.lineItems) {
    const lineItem = order.lineItems.find((l) => l.id === foLine.lineItemId)!;
    const quantity = foLine.remainingQuantity;
    const variant = shop.variants.get(lineItem.variantId ?? -1);
    const item = variant && shop.inventoryItems.get(variant.inventoryItemId);
    if (item?.tracked && quantity > 0) {
      const from = levelOf(shop, item.id, source) ?? activateLevel(rt, shop, item.id, source);
      const to = levelOf(shop, item.id, destination.id)!;
      changeQuantity(rt, shop, from, "committed", -quantity);
      changeQuantity(rt, shop, from, "available", quantity);
      changeQuantity(rt, shop, to, "committed", quantity);
      changeQuantity(rt, shop, to, "available", -quantity);
    }
    moveAllocation(lineItem, source, destination.id, quantity);
  }

  const requested = [...chosen].map(([id, quantity]) => ({ id: gid("FulfillmentOrderLineItem", id), quantity }));
  const original = fo;
  rt.emit(shop, "fulfillment_orders/moved", () => ({
    original_fulfillment_order: {
      ...fulfillmentOrderStatusPayload(original),
      assigned_location_id: gid("Location", original.locationId),
    },
    moved_fulfillment_order: {
      ...fulfillmentOrderStatusPayload(moved),
      assigned_location_id: gid("Location", moved.locationId),
    },
    destination_location_id: gid("Location", destination.id),
    fulfillment_order_line_items_requested: requested,
    source_location: { id: gid("Location", source) },
  }));
  return { ok: true, moved, original };
}

/** Where the line's units are committed now: a moved line is split across locations when only some moved. */
function moveAllocation(line: LineItem, from: number, to: number, quantity: number): void {
  const allocations = line.allocations ?? [
    { locationId: line.locationId, quantity: line.currentQuantity - line.fulfilledQuantity },
  ];
  const source = allocations.find((a) => a.locationId === from);
  if (source) source.quantity -= quantity;
  const target = allocations.find((a) => a.locationId === to);
  if (target) target.quantity += quantity;
  else allocations.push({ locationId: to, quantity });
  const live = allocations.filter((a) => a.quantity > 0);
  if (live.length <= 1) {
    line.locationId = live[0]?.locationId ?? to;
    delete line.allocations;
  } else {
    line.locationId = live[0]!.locationId;
    line.allocations = live;
  }
}
