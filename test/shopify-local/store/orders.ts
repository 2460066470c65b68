import { fulfillmentOrderStatusPayload, orderEditPayload, orderPayload } from "../webhooks/payloads";
import { activateLevel, changeQuantity, levelOf } from "./inventory";
import { lineMoney, shippingMoney, ZERO, type OrderPricing } from "./money";
import { recordSales } from "./payments";
import type { Runtime } from "./runtime";
import { InputError, upsertCustomer, type CustomerInput } from "./shops";
import type { FulfillmentOrder, LineItem, Order, Shop } from "./state";

/** Shopify routes an order to locations shortly after checkout; fulfillment orders exist only after that. */
export const ROUTING_DELAY_MS = 1_000;

export interface PlaceOrderInput {
  customer?: CustomerInput;
  lines: { variantId: string | number; quantity: number }[];
  tags?: string[];
  note?: string;
  /** Discount, taxes, shipping and the customer's currency (store/money.ts); none by default. */
  pricing?: OrderPricing;
  /** Payments other than the checkout gateway's, in the presentment currency; the gateway takes the rest. */
  payments?: { gateway: string; amount: string }[];
  /** The checkout's storefront language (`Order.customerLocale`); "en" by default. */
  locale?: string;
}

/** The checkout refused the cart, as the storefront refuses a DENY variant without stock. */
export class OversellError extends InputError {}

/**
 * What a customer's checkout does: checks DENY variants, commits inventory at the routed location
 * (`available` → `committed`; CONTINUE variants may go below zero), creates the order paid in full, fires
 * `orders/create`, then routes it into one fulfillment order per location.
 */
export function placeOrder(rt: Runtime, shop: Shop, input: PlaceOrderInput): Order {
  if (input.lines.length === 0) throw new InputError("lines", "an order needs at least one line");
  const planned = input.lines.map((line, index) => {
    const variantId = typeof line.variantId === "number" ? line.variantId : Number(/(\d+)$/.exec(line.variantId)?.[1]);
    const variant = shop.variants.get(variantId);
    if (!variant) throw new InputError(`lines[${index}].variantId`, `no variant ${String(line.variantId)}`);
    if (!Number.isInteger(line.quantity) || line.quantity < 1) {
      throw new InputError(`lines[${index}].quantity`, "must be a whole number of at least 1");
    }
    const item = shop.inventoryItems.get(variant.inventoryItemId)!;
    const deny = item.tracked && variant.inventoryPolicy === "DENY";
    const allocations = routeLine(shop, variant.inventoryItemId, line.quantity, item.tracked, deny);
    if (deny) {
      const available = allocations.reduce(
        (n, a) => n + Math.max(0, levelOf(shop, variant.inventoryItemId, a.locationId)?.quantities.available ?? 0),
        0,
      );
      if (available < line.quantity) {
        throw new OversellError(
          `lines[${index}]`,
          `only ${Math.max(available, 0)} of variant ${variant.id} can be sold (inventory policy DENY)`,
        );
      }
    }
    const locationId = allocations[0]!.locationId;
    return { variant, item, quantity: line.quantity, locationId, allocations };
  });

  const now = rt.clock.iso();
  const customer = input.customer ? upsertCustomer(rt, shop, input.customer) : null;
  const number = shop.nextOrderNumber++;
  const order: Order = {
    __typename: "Order",
    id: rt.id(),
    number,
    name: `#${number}`,
    token: rt.token(""),
    email: customer?.email ?? "",
    customerLocale: input.locale ?? "en",
    customerId: customer?.id ?? null,
    lineItems: [],
    tags: input.tags ?? [],
    note: input.note ?? null,
    currency: shop.currency,
    presentmentCurrency: input.pricing?.presentmentCurrency ?? shop.currency,
    shipping: { ...shippingMoney(input.pricing ?? {}), refunded: { price: ZERO, tax: ZERO } },
    createdAt: now,
    updatedAt: now,
    processedAt: now,
    cancelledAt: null,
    cancelReason: null,
    closedAt: null,
    routed: false,
    edited: false,
  };
  for (const { variant, item, quantity, locationId, allocations } of planned) {
    const product = shop.products.get(variant.productId)!;
    const line: LineItem = {
      __typename: "LineItem",
      id: rt.id(),
      orderId: order.id,
      variantId: variant.id,
      productId: product.id,
      title: product.title,
      variantTitle: variant.title,
      sku: variant.sku,
      vendor: product.vendor,
      priceCents: variant.priceCents,
      quantity,
      currentQuantity: quantity,
      fulfilledQuantity: 0,
      requiresShipping: item.requiresShipping,
      locationId,
      money: lineMoney(variant.priceCents, quantity, input.pricing ?? {}),
      refundedQuantity: 0,
      ...(allocations.length > 1 ? { allocations } : {}),
    };
    order.lineItems.push(line);
    if (item.tracked) for (const a of allocations) commit(rt, shop, line, a.quantity, a.locationId);
  }
  shop.orders.set(order.id, order);
  recordSales(rt, shop, order, input.payments);
  rt.emit(shop, "orders/create", () => orderPayload(shop, order));
  rt.schedule(ROUTING_DELAY_MS, () => routeOrder(rt, shop, order));
  return order;
}

/**
 * Where checkout commits a line, by location priority (the shop's location order): the first location that
 * can ship the whole line; else, for a DENY ("stop selling when out of stock") variant whose units exist over
 * several locations, split across them, first location first — shopify.dev "Split line items across
 * fulfillment orders" (since 2025-04: splitting happens only when the quantity is more than one location can
 * ship but no more than all of them have, so that no location goes below zero); else the first location
 * stocking the item, where a CONTINUE variant goes below zero (no split: overselling is what it allows).
 */
function routeLine(
  shop: Shop,
  inventoryItemId: number,
  quantity: number,
  tracked: boolean,
  deny: boolean,
): { locationId: number; quantity: number }[] {
  const stocking = shop.locations.filter((l) => l.isActive && levelOf(shop, inventoryItemId, l.id));
  const fallback = [{ locationId: (stocking[0] ?? shop.locations[0]!).id, quantity }];
  if (!tracked) return fallback;
  const availableAt = (id: number) => levelOf(shop, inventoryItemId, id)!.quantities.available;
  const enough = stocking.find((l) => availableAt(l.id) >= quantity);
  if (enough) return [{ locationId: enough.id, quantity }];
  const total = stocking.reduce((n, l) => n + Math.max(0, availableAt(l.id)), 0);
  if (!deny || total < quantity) return fallback;
  const split: { locationId: number; quantity: number }[] = [];
  let left = quantity;
  for (const location of stocking) {
    const take = Math.min(left, Math.max(0, availableAt(location.id)));
    if (take > 0) split.push({ locationId: location.id, quantity: take });
    left -= take;
  }
  return split;
}

/** The units of a line committed at each location (one entry unless checkout split it). */
export function lineAllocations(line: LineItem): { locationId: number; quantity: number }[] {
  return line.allocations ?? [{ locationId: line.locationId, quantity: line.currentQuantity - line.fulfilledQuantity }];
}

function commit(rt: Runtime, shop: Shop, line: LineItem, quantity: number, locationId = line.locationId): void {
  const variant = shop.variants.get(line.variantId ?? -1);
  if (!variant) return;
  // CONTINUE variants may be sold where they were never stocked: the level is created and goes negative.
  const level =
    levelOf(shop, variant.inventoryItemId, locationId) ?? activateLevel(rt, shop, variant.inventoryItemId, locationId);
  changeQuantity(rt, shop, level, "committed", quantity);
  changeQuantity(rt, shop, level, "available", -quantity);
}

/** Gives back committed units of a line: to `available` when restocked, else they leave `on_hand`. */
export function releaseCommitted(rt: Runtime, shop: Shop, line: LineItem, quantity: number, restock: boolean): void {
  const variant = shop.variants.get(line.variantId ?? -1);
  if (!variant || !shop.inventoryItems.get(variant.inventoryItemId)?.tracked || quantity === 0) return;
  if (line.allocations) {
    // A split line gives back from its last location first.
    let left = quantity;
    for (const a of [...line.allocations].reverse()) {
      const taken = Math.min(a.quantity, left);
      const level = levelOf(shop, variant.inventoryItemId, a.locationId);
      if (taken === 0 || !level) continue;
      a.quantity -= taken;
      left -= taken;
      changeQuantity(rt, shop, level, "committed", -taken);
      if (restock) changeQuantity(rt, shop, level, "available", taken);
    }
    return;
  }
  const level = levelOf(shop, variant.inventoryItemId, line.locationId);
  if (!level) return;
  changeQuantity(rt, shop, level, "committed", -quantity);
  if (restock) changeQuantity(rt, shop, level, "available", quantity);
}

export function routeOrder(rt: Runtime, shop: Shop, order: Order): void {
  if (order.routed || order.cancelledAt) return;
  const now = rt.clock.iso();
  const byLocation = new Map<number, { line: LineItem; quantity: number }[]>();
  for (const line of order.lineItems) {
    if (line.currentQuantity === 0) continue;
    for (const { locationId, quantity } of lineAllocations(line)) {
      if (quantity > 0) byLocation.set(locationId, [...(byLocation.get(locationId) ?? []), { line, quantity }]);
    }
  }
  const created: FulfillmentOrder[] = [];
  for (const [locationId, lines] of byLocation) {
    const id = rt.id();
    const fo: FulfillmentOrder = {
      __typename: "FulfillmentOrder",
      id,
      orderId: order.id,
      locationId,
      status: "OPEN",
      requestStatus: "UNSUBMITTED",
      lineItems: lines.map(({ line, quantity }) => ({
        __typename: "FulfillmentOrderLineItem",
        id: rt.id(),
        fulfillmentOrderId: id,
        lineItemId: line.id,
        totalQuantity: line.allocations ? quantity : line.currentQuantity,
        remainingQuantity: quantity,
      })),
      holds: [],
      createdAt: now,
      updatedAt: now,
    };
    addFulfillmentOrder(shop, fo);
    created.push(fo);
  }
  order.routed = true;
  for (const fo of created) {
    rt.emit(shop, "fulfillment_orders/order_routing_complete", () => ({
      fulfillment_order: fulfillmentOrderStatusPayload(fo),
    }));
  }
}

export function fulfillmentOrdersOf(shop: Shop, orderId: number): FulfillmentOrder[] {
  return shop.fulfillmentOrdersByOrder.get(orderId) ?? [];
}

export function addFulfillmentOrder(shop: Shop, fo: FulfillmentOrder): void {
  shop.fulfillmentOrders.set(fo.id, fo);
  shop.fulfillmentOrdersByOrder.set(fo.orderId, [...fulfillmentOrdersOf(shop, fo.orderId), fo]);
}

/** Any change to an order bumps `updatedAt` and fires `orders/updated`. */
export function touchOrder(rt: Runtime, shop: Shop, order: Order): void {
  order.updatedAt = rt.clock.iso();
  rt.emit(shop, "orders/updated", () => orderPayload(shop, order));
}

/** Removes `quantity` units of a line from its unfulfilled fulfillment order lines (edits, refunds, cancels). */
function removeFromFulfillmentOrders(rt: Runtime, shop: Shop, line: LineItem, quantity: number): void {
  let left = quantity;
  for (const fo of fulfillmentOrdersOf(shop, line.orderId)) {
    if (fo.status === "CLOSED" || fo.status === "CANCELLED") continue;
    for (const foLine of fo.lineItems) {
      if (foLine.lineItemId !== line.id || left === 0) continue;
      const taken = Math.min(foLine.remainingQuantity, left);
      foLine.remainingQuantity -= taken;
      foLine.totalQuantity -= taken;
      left -= taken;
    }
    fo.lineItems = fo.lineItems.filter((l) => l.totalQuantity > 0);
    if (fo.lineItems.length === 0) fo.status = "CLOSED";
    fo.updatedAt = rt.clock.iso();
  }
}

export interface CancelInput {
  reason: string;
  restock: boolean;
  staffNote?: string | null;
}

/** The work behind `orderCancel`'s job: unfulfilled units leave `committed`, back to `available` if restocked. */
export function cancelOrder(rt: Runtime, shop: Shop, order: Order, input: CancelInput): void {
  if (order.cancelledAt) return;
  for (const line of order.lineItems) {
    const unfulfilled = line.currentQuantity - line.fulfilledQuantity;
    releaseCommitted(rt, shop, line, unfulfilled, input.restock);
  }
  for (const fo of fulfillmentOrdersOf(shop, order.id)) {
    if (fo.status === "CLOSED" || fo.status === "CANCELLED") continue;
    fo.status = "CANCELLED";
    fo.holds = [];
    fo.updatedAt = rt.clock.iso();
    // Shopify's sample: the cancelled fulfillment order and its replacement (none when the order is cancelled).
    rt.emit(shop, "fulfillment_orders/cancelled", () => ({
      fulfillment_order: fulfillmentOrderStatusPayload(fo),
      replacement_fulfillment_order: null,
    }));
  }
  const now = rt.clock.iso();
  order.cancelledAt = now;
  order.closedAt = now;
  order.cancelReason = input.reason;
  order.updatedAt = now;
  rt.emit(shop, "orders/cancelled", () => orderPayload(shop, order));
  touchOrder(rt, shop, order);
}

export function orderCancelProblem(order: Order | undefined): string | null {
  if (!order) return "Order does not exist";
  if (order.cancelledAt) return "Order has already been cancelled";
  if (order.lineItems.every((l) => l.fulfilledQuantity >= l.currentQuantity && l.currentQuantity > 0)) {
    return "Cannot cancel a fulfilled order";
  }
  return null;
}

/**
 * `orderEditCommit`: lowered quantities leave `committed` (back to `available` when `restock`) and their
 * fulfillment order lines; raised quantities commit more. No refund is issued (Shopify's rule).
 */
export function commitOrderEdit(
  rt: Runtime,
  shop: Shop,
  order: Order,
  changes: Map<number, { quantity: number; restock: boolean }>,
): void {
  const additions: { id: number; delta: number }[] = [];
  const removals: { id: number; delta: number }[] = [];
  for (const [lineId, change] of changes) {
    const line = order.lineItems.find((l) => l.id === lineId);
    if (!line) continue;
    const delta = change.quantity - line.currentQuantity;
    if (delta < 0) {
      releaseCommitted(rt, shop, line, -delta, change.restock);
      removeFromFulfillmentOrders(rt, shop, line, -delta);
      removals.push({ id: line.id, delta: -delta });
    } else if (delta > 0) {
      // A split line's extra units are committed at its first location.
      if (line.allocations?.[0]) line.allocations[0].quantity += delta;
      commit(rt, shop, line, delta);
      const fo = fulfillmentOrdersOf(shop, order.id).find(
        (f) => (f.status === "OPEN" || f.status === "ON_HOLD") && f.lineItems.some((l) => l.lineItemId === line.id),
      );
      const foLine = fo?.lineItems.find((l) => l.lineItemId === line.id);
      if (foLine) {
        foLine.totalQuantity += delta;
        foLine.remainingQuantity += delta;
      }
      additions.push({ id: line.id, delta });
    }
    line.currentQuantity = change.quantity;
  }
  order.edited = true;
  const editId = rt.id();
  const committedAt = rt.clock.iso();
  rt.emit(shop, "orders/edited", () => orderEditPayload(editId, order, committedAt, additions, removals));
  touchOrder(rt, shop, order);
}

export interface RefundLineInput {
  lineItemId: number;
  quantity: number;
  restockType: "CANCEL" | "RETURN" | "NO_RESTOCK" | "LEGACY_RESTOCK";
  locationId: number | null;
}

/** `refundCreate` for line items: CANCEL restocks unfulfilled units, RETURN restocks fulfilled ones. */
export function refundLines(rt: Runtime, shop: Shop, order: Order, lines: RefundLineInput[]): void {
  for (const input of lines) {
    const line = order.lineItems.find((l) => l.id === input.lineItemId)!;
    const unfulfilled = line.currentQuantity - line.fulfilledQuantity;
    const fromUnfulfilled = Math.min(unfulfilled, input.quantity);
    const fromFulfilled = input.quantity - fromUnfulfilled;
    const restock = input.restockType !== "NO_RESTOCK";
    releaseCommitted(rt, shop, line, fromUnfulfilled, restock);
    removeFromFulfillmentOrders(rt, shop, line, fromUnfulfilled);
    if (fromFulfilled > 0 && restock) {
      const variant = shop.variants.get(line.variantId ?? -1);
      const level = variant && levelOf(shop, variant.inventoryItemId, input.locationId ?? line.locationId);
      if (level) changeQuantity(rt, shop, level, "available", fromFulfilled);
      line.fulfilledQuantity -= fromFulfilled;
    }
    line.currentQuantity -= input.quantity;
    line.refundedQuantity += input.quantity;
  }
  touchOrder(rt, shop, order);
}
