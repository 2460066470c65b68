/**
 * Payments as Shopify records them on `Order.transactions`: checkout captures the order total in one
 * successful SALE (the "bogus" test gateway, as in Shopify's sample payloads); an amount refund is a
 * REFUND transaction whose parent is that sale, and never more than the sale has left.
 */
import type { Runtime } from "./runtime";
import type { Order, OrderTransaction, Shop } from "./state";

export const CHECKOUT_GATEWAY = "bogus";

export function transactionsOf(shop: Shop, orderId: number): OrderTransaction[] {
  return [...shop.transactions.values()].filter((t) => t.orderId === orderId);
}

export function recordSale(rt: Runtime, shop: Shop, order: Order): OrderTransaction {
  const sale: OrderTransaction = {
    __typename: "OrderTransaction",
    id: rt.id(),
    orderId: order.id,
    kind: "SALE",
    status: "SUCCESS",
    gateway: CHECKOUT_GATEWAY,
    amountCents: order.lineItems.reduce((n, l) => n + l.priceCents * l.quantity, 0),
    parentId: null,
    createdAt: order.createdAt,
  };
  shop.transactions.set(sale.id, sale);
  return sale;
}

/** What a sale can still give back: its amount less the refunds already made against it. */
export function refundableCents(shop: Shop, sale: OrderTransaction): number {
  const refunded = [...shop.transactions.values()]
    .filter((t) => t.kind === "REFUND" && t.parentId === sale.id)
    .reduce((n, t) => n + t.amountCents, 0);
  return sale.amountCents - refunded;
}

export function refundedCents(shop: Shop, orderId: number): number {
  return transactionsOf(shop, orderId)
    .filter((t) => t.kind === "REFUND")
    .reduce((n, t) => n + t.amountCents, 0);
}

export function receivedCents(shop: Shop, orderId: number): number {
  return transactionsOf(shop, orderId)
    .filter((t) => t.kind === "SALE")
    .reduce((n, t) => n + t.amountCents, 0);
}

export function recordRefundTransaction(
  rt: Runtime,
  shop: Shop,
  sale: OrderTransaction,
  amountCents: number,
  gateway: string,
): OrderTransaction {
  const refund: OrderTransaction = {
    __typename: "OrderTransaction",
    id: rt.id(),
    orderId: sale.orderId,
    kind: "REFUND",
    status: "SUCCESS",
    gateway,
    amountCents,
    parentId: sale.id,
    createdAt: rt.clock.iso(),
  };
  shop.transactions.set(refund.id, refund);
  return refund;
}

/** `Order.displayFinancialStatus`: money refunded in whole or part, or units taken off by edits and line refunds. */
export function financialStatusOf(shop: Shop, order: Order): "PAID" | "PARTIALLY_REFUNDED" | "REFUNDED" {
  const received = receivedCents(shop, order.id);
  const refunded = refundedCents(shop, order.id);
  if (received > 0 && refunded >= received) return "REFUNDED";
  if (refunded > 0 || order.lineItems.some((l) => l.currentQuantity < l.quantity)) return "PARTIALLY_REFUNDED";
  return "PAID";
}
