import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalShopify, type LocalShopify } from "./server";
import { adminGraphql, type Json } from "./testing";

/**
 * Parity rows P1–P3: an order priced as Shopify's `orders/create` sample is (a discount allocated to the line,
 * tax lines, shipping, a presentment currency other than the shop's), paid with two payment methods, and
 * refunded in two steps through `suggestedRefund` and `refundCreate`.
 */
let local: LocalShopify;
let token: string;
let domain: string;
let order: { gid: string; lineItems: { gid: string }[] };

beforeAll(async () => {
  local = await startLocalShopify({
    apiSecret: "test-secret",
    clock: "frozen",
    startAt: new Date("2026-11-20T10:00:00Z"),
  });
  const shop = await local.control.createShop({ domain: "refunds.myshopify.com", locations: ["Main"] });
  token = shop.accessToken;
  domain = shop.domain;
  const product = await local.control.createProduct(domain, {
    title: "Lamp",
    variants: [{ sku: "LAMP", price: "50.00", inventoryPolicy: "CONTINUE", available: { [shop.locations[0]!.id]: 0 } }],
  });
  order = await local.control.placeOrder(domain, {
    lines: [{ variantId: product.variants[0]!.gid, quantity: 3 }],
    pricing: {
      presentmentCurrency: "EUR",
      exchangeRate: 0.92,
      discountRate: 0.1,
      taxRate: 0.0825,
      shippingPrice: "9.00",
    },
    payments: [{ gateway: "gift_card", amount: "20.00" }],
  });
  await local.control.settle();
});
afterAll(() => local.stop());

const bag = (shop: string, presentment: string) => ({
  shopMoney: { amount: shop, currencyCode: "USD" },
  presentmentMoney: { amount: presentment, currencyCode: "EUR" },
});

const SUGGEST = `query($id: ID!, $lines: [RefundLineItemInput!], $shipping: Boolean) { order(id: $id) {
  suggestedRefund(refundLineItems: $lines, refundShipping: $shipping) {
    amountSet { ${"shopMoney { amount currencyCode } presentmentMoney { amount currencyCode }"} }
    subtotalSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
    totalCartDiscountAmountSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
    totalTaxSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
    shipping { amountSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } } }
    suggestedTransactions { kind gateway parentTransaction { id }
      amountSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } } } } } }`;

const REFUND = `mutation($input: RefundInput!, $key: String!) { refundCreate(input: $input) @idempotent(key: $key) {
  refund { id totalRefundedSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } } }
  userErrors { field message } } }`;

async function suggest(lines: Json[], shipping: boolean) {
  const answer = await adminGraphql(local.origin, token, SUGGEST, { id: order.gid, lines, shipping });
  expect(answer.json.errors).toBeUndefined();
  return answer.json.data.order.suggestedRefund;
}

function refundInput(suggested: Json, lines: Json[], extra: Record<string, unknown> = {}) {
  return {
    orderId: order.gid,
    refundLineItems: lines,
    transactions: suggested.suggestedTransactions.map((t: Json) => ({
      orderId: order.gid,
      parentId: t.parentTransaction.id,
      gateway: t.gateway,
      kind: "REFUND",
      amount: t.amountSet.presentmentMoney.amount,
    })),
    ...extra,
  };
}

describe("prices and refunds in two currencies (parity rows P1–P3)", () => {
  it("P1: the order's totals carry the discount, taxes and shipping in shop and presentment money; two sales pay it", async () => {
    const answer = await adminGraphql(
      local.origin,
      token,
      `query($id: ID!) { order(id: $id) { currencyCode presentmentCurrencyCode
        totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
        totalDiscountsSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
        totalTaxSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
        totalShippingPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
        transactions(first: 5) { kind gateway amountSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } } } } }`,
      { id: order.gid },
    );
    // 3 × 50.00 USD (46.00 EUR at 0.92), 10 % off, 8.25 % tax on the discounted lines and on 9.00 shipping.
    expect(answer.json.data.order).toEqual({
      currencyCode: "USD",
      presentmentCurrencyCode: "EUR",
      totalPriceSet: bag("155.88", "143.41"),
      totalDiscountsSet: bag("15.0", "13.8"),
      totalTaxSet: bag("11.88", "10.93"),
      totalShippingPriceSet: bag("9.0", "8.28"),
      transactions: [
        { kind: "SALE", gateway: "gift_card", amountSet: bag("21.74", "20.0") },
        { kind: "SALE", gateway: "bogus", amountSet: bag("134.14", "123.41") },
      ],
    });
  });

  it("P2: refundCreate refuses a refund without the presentment currency, or through another gateway", async () => {
    const lines = [{ lineItemId: order.lineItems[0]!.gid, quantity: 2, restockType: "CANCEL" }];
    const suggested = await suggest(lines, false);
    const noCurrency = await adminGraphql(local.origin, token, REFUND, {
      key: "p2-a",
      input: refundInput(suggested, lines),
    });
    expect(noCurrency.json.data.refundCreate.userErrors).toEqual([
      {
        field: ["currency"],
        message: "Currency is required for orders where the currency and presentment currency differ (USD, EUR)",
      },
    ]);
    const input = refundInput(suggested, lines, { currency: "EUR" });
    input.transactions[0].gateway = "bogus";
    const wrongGateway = await adminGraphql(local.origin, token, REFUND, { key: "p2-b", input });
    expect(wrongGateway.json.data.refundCreate.userErrors).toEqual([
      {
        field: ["transactions", "0", "gateway"],
        message: "Gateway must be the parent transaction's gateway (gift_card)",
      },
    ]);
  });

  it("P3: the suggested refund of some units, then of the rest and the shipping, gives back exactly what was paid", async () => {
    const first = [{ lineItemId: order.lineItems[0]!.gid, quantity: 2, restockType: "CANCEL" }];
    const suggested = await suggest(first, false);
    expect(suggested).toMatchObject({
      amountSet: bag("97.43", "89.63"),
      subtotalSet: bag("100.0", "92.0"),
      totalCartDiscountAmountSet: bag("10.0", "9.2"),
      totalTaxSet: bag("7.43", "6.83"),
      shipping: { amountSet: bag("0.0", "0.0") },
    });
    expect(suggested.suggestedTransactions.map((t: Json) => [t.kind, t.gateway, t.amountSet])).toEqual([
      ["SUGGESTED_REFUND", "gift_card", bag("21.74", "20.0")],
      ["SUGGESTED_REFUND", "bogus", bag("75.68", "69.63")],
    ]);
    const refund = await adminGraphql(local.origin, token, REFUND, {
      key: "p3-first",
      input: refundInput(suggested, first, { currency: "EUR" }),
    });
    expect(refund.json.data.refundCreate.userErrors).toEqual([]);
    expect(refund.json.data.refundCreate.refund.totalRefundedSet).toEqual(bag("97.42", "89.63"));

    const rest = [{ lineItemId: order.lineItems[0]!.gid, quantity: 1, restockType: "CANCEL" }];
    const last = await suggest(rest, true);
    expect(last.amountSet).toEqual(bag("58.45", "53.78"));
    const second = await adminGraphql(local.origin, token, REFUND, {
      key: "p3-rest",
      input: refundInput(last, rest, { currency: "EUR", shipping: { fullRefund: true } }),
    });
    expect(second.json.data.refundCreate.userErrors).toEqual([]);
    const after = await adminGraphql(
      local.origin,
      token,
      `query($id: ID!) { order(id: $id) { displayFinancialStatus
        netPaymentSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
        totalRefundedSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } } } }`,
      { id: order.gid },
    );
    expect(after.json.data.order).toEqual({
      displayFinancialStatus: "REFUNDED",
      netPaymentSet: bag("0.0", "0.0"),
      totalRefundedSet: bag("155.88", "143.41"),
    });
  });
});
