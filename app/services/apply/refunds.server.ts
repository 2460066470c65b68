import { createHash } from "node:crypto";

import { applyOnce } from "../../models/ledger.server";
import { BackorderRefundDocument, BackorderSuggestedRefundDocument } from "../../shopify/generated/operations";
import type { Pipeline } from "../pipeline.server";
import { unwrap } from "./user-errors";
import type { OrderSnapshot } from "../shopify-reads.server";

/**
 * Unfilled units taken off an order and refunded for what the customer paid (docs/decisions/0013-refunds.md):
 * the deadline, the merchant's and the customer's cancellations all come here.
 */

export interface UnitRemoval {
  lineItemId: string;
  variantId: string | null;
  /** Units to take off the order. */
  quantity: number;
  /** The line's quantity on Shopify once they are gone: a repeat that finds it already there refunds nothing. */
  targetQuantity: number;
  unitPriceCents: number;
}

export interface RemovalRefund {
  refundId: string | null;
  /** Shop money that went back, and the same in the customer's currency. */
  amountCents: number;
  presentmentCents: number;
  presentmentCurrency: string | null;
  /** Each line's share (discounted price and tax, shop money) of what Shopify refunded. */
  lineCents: Record<string, number>;
}

/**
 * A stable `@idempotent` key per effect: the same ledger key of the same shop always sends the same key, so
 * Shopify replays a refund whose answer was lost instead of refunding twice (shopify.dev "Implementing
 * idempotency": a duplicate request reuses its key). UUID-shaped, as Shopify recommends.
 */
export function idempotencyKeyFor(shop: string, ledgerKey: string): string {
  const hex = createHash("sha256").update(`${shop}\n${ledgerKey}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

const cents = (amount: string | number) => Math.round(Number(amount) * 100);

/**
 * Takes unfilled units off an order and refunds what the customer paid for them, in one `refundCreate` with
 * `refundLineItems` and `restockType: CANCEL` (the units leave the order and its fulfillment orders and go
 * back to stock), for the amount and over the payments `suggestedRefund` computes: the units' share of the
 * line's discounted price and its taxes, in the customer's currency, plus the shipping when `refundShipping`
 * (docs/decisions/0013-refunds.md). One ledger entry; a crash after Shopify refunded and before the entry finds
 * the lines already at their target quantity and refunds nothing, and a retried request carries the same
 * idempotency key.
 */
export async function removeUnits(
  p: Pipeline,
  key: string,
  order: OrderSnapshot,
  removals: readonly UnitRemoval[],
  note: string,
): Promise<RemovalRefund> {
  const ledgerKey = `${key}:refund`;
  return applyOnce(p.db, p.shop, ledgerKey, "refund", async (): Promise<RemovalRefund> => {
    const { pending, refundShipping } = refundRequest(p, order, removals);
    const none = { refundId: null, amountCents: 0, presentmentCents: 0, presentmentCurrency: null, lineCents: {} };
    if (pending.length === 0) return none;
    const { suggested, presentmentCurrencyCode } = await suggestRefund(p, order.id, pending, refundShipping);
    const transactions = suggested.suggestedTransactions.flatMap((t) =>
      t.parentTransaction && cents(t.amountSet.presentmentMoney.amount) > 0
        ? [
            {
              orderId: order.id,
              parentId: t.parentTransaction.id,
              gateway: t.gateway ?? "manual",
              kind: "REFUND" as const,
              amount: t.amountSet.presentmentMoney.amount,
            },
          ]
        : [],
    );
    const result = unwrap(
      "refundCreate",
      await p.admin.mutate(BackorderRefundDocument, {
        idempotencyKey: idempotencyKeyFor(p.shop, ledgerKey),
        input: {
          orderId: order.id,
          note,
          notify: true,
          // The presentment currency: required where it differs from the shop's, and the transactions' currency.
          currency: presentmentCurrencyCode,
          refundLineItems: pending,
          ...(refundShipping ? { shipping: { fullRefund: true } } : {}),
          transactions,
        },
      }),
    );
    const refund = result.refundCreate?.refund;
    const lineCents: Record<string, number> = {};
    for (const item of suggested.refundLineItems) {
      lineCents[item.lineItem.id] =
        (lineCents[item.lineItem.id] ?? 0) +
        cents(item.subtotalSet.shopMoney.amount) +
        cents(item.totalTaxSet.shopMoney.amount);
    }
    return {
      refundId: refund?.id ?? null,
      amountCents: refund ? cents(refund.totalRefundedSet.shopMoney.amount) : 0,
      presentmentCents: refund ? cents(refund.totalRefundedSet.presentmentMoney.amount) : 0,
      presentmentCurrency: refund?.totalRefundedSet.presentmentMoney.currencyCode ?? null,
      lineCents,
    };
  });
}

/** The refund's line items (units still on the order above their target) and whether shipping goes back. */
export function refundRequest(p: Pipeline, order: OrderSnapshot, removals: readonly UnitRemoval[]) {
  const pending = removals.flatMap((removal) => {
    const line = order.lines.find((candidate) => candidate.id === removal.lineItemId);
    const quantity = line ? line.quantity - removal.targetQuantity : 0;
    return quantity > 0 ? [{ lineItemId: removal.lineItemId, quantity, restockType: "CANCEL" as const }] : [];
  });
  // Shipping goes back only when nothing of the order is left to ship (and nothing shipped), if the merchant wants it.
  const left = order.lines.reduce(
    (n, line) => n + line.quantity - (pending.find((q) => q.lineItemId === line.id)?.quantity ?? 0),
    0,
  );
  return { pending, refundShipping: p.settings.refundShipping && left === 0 };
}

/** What Shopify would refund for these units (`suggestedRefund`): the amount the preview shows and the refund sends. */
export async function suggestRefund(
  p: Pipeline,
  orderId: string,
  refundLineItems: ReturnType<typeof refundRequest>["pending"],
  refundShipping: boolean,
) {
  const suggestion = await p.admin.query(BackorderSuggestedRefundDocument, {
    id: orderId,
    refundLineItems,
    refundShipping,
  });
  const suggested = suggestion.order?.suggestedRefund;
  if (!suggestion.order || !suggested) throw new Error(`suggestedRefund for ${orderId} returned nothing`);
  return { suggested, presentmentCurrencyCode: suggestion.order.presentmentCurrencyCode };
}
