/**
 * What an order cost and what a refund of part of it gives back, in the shop's currency and the customer's
 * (presentment) currency, as Shopify's MoneyBag carries both. Pinned to Shopify's `orders/create` sample
 * (`presentment_currency`, `discount_allocations` per line, `tax_lines` per line, `shipping_lines`,
 * `total_*_set` with `shop_money` and `presentment_money`) and to `Order.suggestedRefund`'s description
 * (subtotal, discounts, taxes, shipping, one suggested transaction per payment).
 *
 * Checkout (control API) may give an order-wide percentage discount (allocated to each line on its price),
 * a tax rate (added to each line's discounted price, as in a US store), a shipping price, a presentment
 * currency with its rate, and several payments. Each amount is computed in each currency from that
 * currency's own unit price, rounded to the cent; a refund of some units of a line gets the line's amounts
 * pro rata, as the difference of two rounded cumulative shares, so refunding every unit in any steps gives
 * back exactly what the line cost.
 */
import type { LineItem, Order } from "./state";

export interface Pair {
  shop: number;
  presentment: number;
}

export const ZERO: Pair = { shop: 0, presentment: 0 };

export const add = (a: Pair, b: Pair): Pair => ({ shop: a.shop + b.shop, presentment: a.presentment + b.presentment });
export const sub = (a: Pair, b: Pair): Pair => ({ shop: a.shop - b.shop, presentment: a.presentment - b.presentment });
const map = (a: Pair, f: (cents: number) => number): Pair => ({ shop: f(a.shop), presentment: f(a.presentment) });

/** The money of one line as ordered: every unit's price, the discount allocated to the line, its tax. */
export interface LineMoney {
  unitPrice: Pair;
  discount: Pair;
  tax: Pair;
}

export interface OrderPricing {
  presentmentCurrency?: string;
  /** Presentment units per shop unit (e.g. 0.92 EUR per USD). */
  exchangeRate?: number;
  /** An order-wide discount, e.g. 0.1 for 10 % off every line. */
  discountRate?: number;
  /** Tax added on each line's discounted price, e.g. 0.0825. */
  taxRate?: number;
  /** Shipping in the shop's currency, e.g. "9.00"; taxed at `taxRate`. */
  shippingPrice?: string;
}

export function lineMoney(unitPriceShopCents: number, quantity: number, pricing: OrderPricing): LineMoney {
  const rate = pricing.exchangeRate ?? 1;
  const unitPrice = { shop: unitPriceShopCents, presentment: Math.round(unitPriceShopCents * rate) };
  const discount = map(unitPrice, (unit) => Math.round(unit * quantity * (pricing.discountRate ?? 0)));
  const tax = {
    shop: Math.round((unitPrice.shop * quantity - discount.shop) * (pricing.taxRate ?? 0)),
    presentment: Math.round((unitPrice.presentment * quantity - discount.presentment) * (pricing.taxRate ?? 0)),
  };
  return { unitPrice, discount, tax };
}

export function shippingMoney(pricing: OrderPricing): { price: Pair; tax: Pair } {
  const shop = Math.round(Number(pricing.shippingPrice ?? "0") * 100);
  const price = { shop, presentment: Math.round(shop * (pricing.exchangeRate ?? 1)) };
  return { price, tax: map(price, (cents) => Math.round(cents * (pricing.taxRate ?? 0))) };
}

export const lineSubtotal = (line: LineItem): Pair => map(line.money.unitPrice, (unit) => unit * line.quantity);

/** What the customer paid for the line: subtotal − discount + tax. */
export function lineTotal(line: LineItem): Pair {
  return add(sub(lineSubtotal(line), line.money.discount), line.money.tax);
}

export function orderTotal(order: Order): Pair {
  return order.lineItems.reduce(
    (sum, line) => add(sum, lineTotal(line)),
    add(order.shipping.price, order.shipping.tax),
  );
}

export function orderDiscounts(order: Order): Pair {
  return order.lineItems.reduce((sum, line) => add(sum, line.money.discount), ZERO);
}

export function orderTaxes(order: Order): Pair {
  return order.lineItems.reduce((sum, line) => add(sum, line.money.tax), order.shipping.tax);
}

/** The share of `whole` that units `from`..`from + quantity` of `of` carry. */
function share(whole: number, from: number, quantity: number, of: number): number {
  return Math.round((whole * (from + quantity)) / of) - Math.round((whole * from) / of);
}

export interface LineRefundMoney {
  subtotal: Pair;
  discount: Pair;
  tax: Pair;
  /** subtotal − discount + tax: what goes back for these units. */
  total: Pair;
}

/** The money `quantity` more units of the line give back, after `line.refundedQuantity` already refunded. */
export function lineRefundMoney(line: LineItem, quantity: number): LineRefundMoney {
  const part = (whole: Pair): Pair => ({
    shop: share(whole.shop, line.refundedQuantity, quantity, line.quantity),
    presentment: share(whole.presentment, line.refundedQuantity, quantity, line.quantity),
  });
  const subtotal = part(lineSubtotal(line));
  const discount = part(line.money.discount);
  const tax = part(line.money.tax);
  return { subtotal, discount, tax, total: add(sub(subtotal, discount), tax) };
}

/** Shipping not refunded yet (price and its tax). */
export function refundableShipping(order: Order): { price: Pair; tax: Pair } {
  return {
    price: sub(order.shipping.price, order.shipping.refunded.price),
    tax: sub(order.shipping.tax, order.shipping.refunded.tax),
  };
}

/** Splits a shop amount over payments in proportion to their presentment amounts, the last taking what rounding left. */
export function splitShopByPresentment(totalShop: number, presentments: number[]): number[] {
  const whole = presentments.reduce((n, p) => n + p, 0);
  let left = totalShop;
  return presentments.map((p, index) => {
    if (index === presentments.length - 1) return left;
    const part = whole === 0 ? 0 : Math.round((totalShop * p) / whole);
    left -= part;
    return part;
  });
}
