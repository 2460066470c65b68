/**
 * `Order.suggestedRefund`: what Shopify would give back for some units (and shipping), in shop and presentment
 * money, with one suggested transaction per payment that still holds money. Line amounts are the units' shares
 * of what the customer paid for the line (discount off, tax on: store/money.ts); the suggested transactions
 * take the total from the order's sales in the order they were made, each up to what it has left. Shopify does
 * not document that order (our reading, README "Known gaps"); an app that sends the suggested transactions
 * back does not depend on it.
 */
import { GraphQLError } from "graphql";
import { idOf } from "../ids";
import { add, lineRefundMoney, refundableShipping, sub, ZERO, type Pair } from "../store/money";
import { refundable, transactionsOf } from "../store/payments";
import type { Order, Shop } from "../store/state";
import type { Args } from "./context";

/** Both currencies of an order as a MoneyBag. */
export function orderMoney(order: Order, amount: Pair) {
  return {
    shopMoney: { amount: decimal(amount.shop), currencyCode: order.currency },
    presentmentMoney: { amount: decimal(amount.presentment), currencyCode: order.presentmentCurrency },
  };
}

function decimal(cents: number): string {
  const text = String(cents / 100);
  return text.includes(".") ? text : `${text}.0`;
}

interface SuggestArgs {
  refundLineItems?: { lineItemId: string; quantity: number; restockType?: string | null; locationId?: string | null }[];
  refundShipping?: boolean | null;
  shippingAmount?: string | null;
  suggestFullRefund?: boolean | null;
}

export function suggestedRefund(shop: Shop, order: Order, rawArgs: Args) {
  const args = rawArgs as SuggestArgs;
  if (rawArgs.refundDuties !== undefined && rawArgs.refundDuties !== null) {
    throw new GraphQLError("The local Shopify does not implement Order.suggestedRefund(refundDuties:) yet.");
  }
  if (rawArgs.refundMethodAllocation === "STORE_CREDIT") {
    throw new GraphQLError(
      "The local Shopify does not implement Order.suggestedRefund(refundMethodAllocation: STORE_CREDIT) yet.",
    );
  }
  const requested = args.suggestFullRefund
    ? order.lineItems
        .filter((l) => l.currentQuantity > 0)
        .map((l) => ({
          line: l,
          quantity: l.currentQuantity,
          restockType: "NO_RESTOCK",
          locationId: null as number | null,
        }))
    : (args.refundLineItems ?? []).map((entry) => {
        const line = order.lineItems.find((l) => l.id === idOf(entry.lineItemId, "LineItem"));
        if (!line) throw new GraphQLError(`Line item ${entry.lineItemId} does not exist on the order`);
        if (entry.quantity < 0 || entry.quantity > line.currentQuantity) {
          throw new GraphQLError(`Quantity cannot refund more items than were purchased (${line.currentQuantity})`);
        }
        return {
          line,
          quantity: entry.quantity,
          restockType: entry.restockType ?? "NO_RESTOCK",
          locationId: entry.locationId ? idOf(entry.locationId, "Location") : null,
        };
      });
  const items = requested.map((r) => ({ ...r, money: lineRefundMoney(r.line, r.quantity) }));
  const subtotal = items.reduce((n, i) => add(n, i.money.subtotal), ZERO);
  const discount = items.reduce((n, i) => add(n, i.money.discount), ZERO);
  const lineTax = items.reduce((n, i) => add(n, i.money.tax), ZERO);

  const shippingLeft = refundableShipping(order);
  let shipping = { price: ZERO, tax: ZERO };
  if (args.shippingAmount != null) {
    const cents = Math.round(Number(args.shippingAmount) * 100);
    if (!(cents >= 0 && cents <= shippingLeft.price.presentment)) {
      throw new GraphQLError("Shipping amount is greater than the shipping that can be refunded");
    }
    const shopCents =
      cents === shippingLeft.price.presentment
        ? shippingLeft.price.shop
        : Math.round((cents * order.shipping.price.shop) / Math.max(1, order.shipping.price.presentment));
    shipping = { price: { shop: shopCents, presentment: cents }, tax: ZERO };
  } else if (args.refundShipping || args.suggestFullRefund) {
    shipping = shippingLeft;
  }
  const tax = add(lineTax, shipping.tax);
  const discounted = sub(subtotal, discount);
  const amount = add(add(discounted, lineTax), add(shipping.price, shipping.tax));

  const sales = transactionsOf(shop, order.id).filter((t) => t.kind === "SALE" && t.status === "SUCCESS");
  const maximum = sales.reduce((n, sale) => add(n, refundable(shop, sale)), ZERO);
  let wanted = Math.min(amount.presentment, maximum.presentment);
  const suggestedTransactions = [];
  for (const sale of sales) {
    const left = refundable(shop, sale);
    const take = Math.min(wanted, left.presentment);
    if (take <= 0) continue;
    wanted -= take;
    const shopCents =
      take === left.presentment ? left.shop : Math.round((take * sale.amountCents) / sale.presentmentAmountCents);
    const bag = orderMoney(order, { shop: shopCents, presentment: take });
    suggestedTransactions.push({
      __typename: "SuggestedOrderTransaction",
      kind: "SUGGESTED_REFUND",
      gateway: sale.gateway,
      formattedGateway: sale.gateway,
      amount: bag.shopMoney.amount,
      amountSet: bag,
      maximumRefundable: decimal(left.shop),
      maximumRefundableSet: orderMoney(order, left),
      parentTransaction: sale,
      accountNumber: null,
      paymentDetails: null,
    });
  }

  const bag = (pair: Pair) => orderMoney(order, pair);
  return {
    __typename: "SuggestedRefund",
    amount: bag(amount).shopMoney.amount,
    amountSet: bag(amount),
    subtotal: bag(subtotal).shopMoney.amount,
    subtotalSet: bag(subtotal),
    discountedSubtotalSet: bag(discounted),
    totalCartDiscountAmountSet: bag(discount),
    totalTaxes: bag(tax).shopMoney.amount,
    totalTaxSet: bag(tax),
    totalDutiesSet: bag(ZERO),
    refundDuties: [],
    maximumRefundable: bag(maximum).shopMoney.amount,
    maximumRefundableSet: bag(maximum),
    shipping: {
      __typename: "ShippingRefund",
      amount: bag(shipping.price).shopMoney.amount,
      amountSet: bag(shipping.price),
      tax: bag(shipping.tax).shopMoney.amount,
      taxSet: bag(shipping.tax),
      maximumRefundable: bag(shippingLeft.price).shopMoney.amount,
      maximumRefundableSet: bag(shippingLeft.price),
    },
    refundLineItems: items.map((i) => ({
      __typename: "RefundLineItem",
      id: null,
      lineItem: i.line,
      quantity: i.quantity,
      restockType: i.restockType,
      restocked: false,
      location: shop.locations.find((l) => l.id === i.locationId) ?? null,
      price: bag(i.line.money.unitPrice).shopMoney.amount,
      priceSet: bag(i.line.money.unitPrice),
      subtotal: bag(sub(i.money.subtotal, i.money.discount)).shopMoney.amount,
      subtotalSet: bag(sub(i.money.subtotal, i.money.discount)),
      totalTax: bag(i.money.tax).shopMoney.amount,
      totalTaxSet: bag(i.money.tax),
    })),
    suggestedTransactions,
  };
}
