import { add, lineRefundMoney, ZERO } from "./money";
import { recordRefundTransaction, refundable, transactionsOf } from "./payments";
import { refundLines } from "./orders";
import type { Runtime } from "./runtime";
import { InputError } from "./shops";
import type { Order, Refund, Shop } from "./state";

/**
 * What a merchant does in Shopify admin when a customer cancels the part of an order that has not shipped:
 * refund those units with "restock" (Shopify's `CANCEL` restock type for unfulfilled units) and give back what
 * the customer paid for them, from the order's sales in the order they were made. Each line given must have
 * that many unfulfilled units; with no lines, every unfulfilled unit of the order goes.
 */
export function refundUnfulfilled(
  rt: Runtime,
  shop: Shop,
  order: Order,
  input: { lines?: { lineItemId: number; quantity: number }[]; note?: string },
): Refund {
  if (order.cancelledAt) throw new InputError("orderId", "the order is cancelled");
  const unfulfilled = (id: number) => {
    const line = order.lineItems.find((l) => l.id === id);
    return line ? line.currentQuantity - line.fulfilledQuantity : -1;
  };
  const wanted =
    input.lines ??
    order.lineItems.map((l) => ({ lineItemId: l.id, quantity: unfulfilled(l.id) })).filter((l) => l.quantity > 0);
  wanted.forEach((line, index) => {
    const left = unfulfilled(line.lineItemId);
    if (left < 0) throw new InputError(`lines[${index}].lineItemId`, `no line item ${line.lineItemId} on the order`);
    if (line.quantity < 1 || line.quantity > left)
      throw new InputError(`lines[${index}].quantity`, `must be between 1 and the ${left} unfulfilled units`);
  });
  if (wanted.length === 0) throw new InputError("lines", "nothing unfulfilled to refund");
  const lines = wanted.map((line) => {
    const item = order.lineItems.find((l) => l.id === line.lineItemId)!;
    return { ...line, restockType: "CANCEL", locationId: null, money: lineRefundMoney(item, line.quantity) };
  });
  let owed = lines.reduce((n, line) => add(n, line.money.total), ZERO).presentment;
  const transactionIds: number[] = [];
  for (const sale of transactionsOf(shop, order.id).filter((t) => t.kind === "SALE" && t.status === "SUCCESS")) {
    const cents = Math.min(owed, refundable(shop, sale).presentment);
    if (cents <= 0) continue;
    transactionIds.push(recordRefundTransaction(rt, shop, sale, cents, sale.gateway).id);
    owed -= cents;
  }
  const refund: Refund = {
    __typename: "Refund",
    id: rt.id(),
    orderId: order.id,
    note: input.note ?? null,
    lines,
    transactionIds,
    shipping: ZERO,
    createdAt: rt.clock.iso(),
  };
  shop.refunds.set(refund.id, refund);
  // Last, so the orders/updated it fires carries the refund, as refundCreate's does.
  refundLines(
    rt,
    shop,
    order,
    lines.map(({ lineItemId, quantity }) => ({ lineItemId, quantity, restockType: "CANCEL", locationId: null })),
  );
  return refund;
}
