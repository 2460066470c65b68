/**
 * Payments as Shopify records them on `Order.transactions`: checkout captures the order total in one
 * successful SALE (the "bogus" test gateway, as in Shopify's sample payloads), or in several when the customer
 * paid part with other methods (a gift card first, say); an amount refund is a REFUND transaction whose parent
 * is one of those sales, and never more than that sale has left. Amounts are kept in shop and presentment money.
 */
import { add, orderTotal, splitShopByPresentment, sub, ZERO, type Pair } from "./money";
import type { Runtime } from "./runtime";
import { InputError } from "./shops";
import type { Order, OrderTransaction, Shop } from "./state";

export const CHECKOUT_GATEWAY = "bogus";

export function transactionsOf(shop: Shop, orderId: number): OrderTransaction[] {
  return [...shop.transactions.values()].filter((t) => t.orderId === orderId);
}

export const amountOf = (t: OrderTransaction): Pair => ({ shop: t.amountCents, presentment: t.presentmentAmountCents });

/**
 * Checkout's SALEs: each of `payments` (gateway and amount in the presentment currency), then the rest of the
 * total on the checkout gateway. The shop-money amounts split the shop total in the same proportions.
 */
export function recordSales(
  rt: Runtime,
  shop: Shop,
  order: Order,
  payments: readonly { gateway: string; amount: string }[] = [],
): OrderTransaction[] {
  const total = orderTotal(order);
  const parts = payments.map((p, index) => {
    const cents = Math.round(Number(p.amount) * 100);
    if (!Number.isFinite(cents) || cents <= 0) throw new InputError(`payments[${index}].amount`, "must be positive");
    return { gateway: p.gateway, presentment: cents };
  });
  const rest = total.presentment - parts.reduce((n, p) => n + p.presentment, 0);
  if (rest < 0) throw new InputError("payments", "the payments add up to more than the order total");
  if (rest > 0 || parts.length === 0) parts.push({ gateway: CHECKOUT_GATEWAY, presentment: rest });
  const shopAmounts = splitShopByPresentment(
    total.shop,
    parts.map((p) => p.presentment),
  );
  return parts.map((part, index) => {
    const sale: OrderTransaction = {
      __typename: "OrderTransaction",
      id: rt.id(),
      orderId: order.id,
      kind: "SALE",
      status: "SUCCESS",
      gateway: part.gateway,
      amountCents: shopAmounts[index]!,
      presentmentAmountCents: part.presentment,
      parentId: null,
      createdAt: order.createdAt,
    };
    shop.transactions.set(sale.id, sale);
    return sale;
  });
}

/** What a sale can still give back: its amount less the refunds already made against it. */
export function refundable(shop: Shop, sale: OrderTransaction): Pair {
  return [...shop.transactions.values()]
    .filter((t) => t.kind === "REFUND" && t.parentId === sale.id)
    .reduce((left, t) => sub(left, amountOf(t)), amountOf(sale));
}

export function refunded(shop: Shop, orderId: number): Pair {
  return transactionsOf(shop, orderId)
    .filter((t) => t.kind === "REFUND")
    .reduce((n, t) => add(n, amountOf(t)), ZERO);
}

export function received(shop: Shop, orderId: number): Pair {
  return transactionsOf(shop, orderId)
    .filter((t) => t.kind === "SALE")
    .reduce((n, t) => add(n, amountOf(t)), ZERO);
}

/**
 * A REFUND of `presentmentCents` against `sale`. Its shop amount is the sale's rate applied, except that
 * refunding all the sale has left gives back all its shop money too, so rounding never strands a cent.
 */
export function recordRefundTransaction(
  rt: Runtime,
  shop: Shop,
  sale: OrderTransaction,
  presentmentCents: number,
  gateway: string,
): OrderTransaction {
  const left = refundable(shop, sale);
  const shopCents =
    presentmentCents === left.presentment
      ? left.shop
      : Math.round((presentmentCents * sale.amountCents) / sale.presentmentAmountCents);
  const refund: OrderTransaction = {
    __typename: "OrderTransaction",
    id: rt.id(),
    orderId: sale.orderId,
    kind: "REFUND",
    status: "SUCCESS",
    gateway,
    amountCents: shopCents,
    presentmentAmountCents: presentmentCents,
    parentId: sale.id,
    createdAt: rt.clock.iso(),
  };
  shop.transactions.set(refund.id, refund);
  return refund;
}

/** `Order.displayFinancialStatus`: money refunded in whole or part, or units taken off by edits and line refunds. */
export function financialStatusOf(shop: Shop, order: Order): "PAID" | "PARTIALLY_REFUNDED" | "REFUNDED" {
  const got = received(shop, order.id).shop;
  const back = refunded(shop, order.id).shop;
  if (got > 0 && back >= got) return "REFUNDED";
  if (back > 0 || order.lineItems.some((l) => l.currentQuantity < l.quantity)) return "PARTIALLY_REFUNDED";
  return "PAID";
}
