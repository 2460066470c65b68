import { createHash } from "node:crypto";

import type { UnitRemoval } from "../../domain";
import { applyOnce } from "../../models/ledger.server";
import { BackorderRefundDocument, BackorderSuggestedRefundDocument } from "../../shopify/generated/operations";
import type { Pipeline } from "../pipeline.server";
import { unwrap } from "./user-errors";
import type { OrderSnapshot } from "../reads/snapshot";

// docs/decisions/0013-refunds.md

export type { UnitRemoval };

export interface RemovalRefund {
  refundId: string | null;
  amountCents: number;
  presentmentCents: number;
  presentmentCurrency: string | null;
  /** Each line's share (discounted price and tax, shop money) of what Shopify refunded. */
  lineCents: Record<string, number>;
}

/**
 * The same ledger key always sends the same key, so Shopify replays a refund whose answer was lost instead of
 * refunding twice (shopify.dev "Implementing idempotency"). UUID-shaped, as Shopify recommends.
 */
export function idempotencyKeyFor(shop: string, ledgerKey: string): string {
  const hex = createHash("sha256").update(`${shop}\n${ledgerKey}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

const cents = (amount: string | number) => Math.round(Number(amount) * 100);

/**
 * `restockType: CANCEL` takes the units off the order and back to stock, for what `suggestedRefund` computes. A
 * crash after Shopify refunded finds the lines at their target quantity and refunds nothing.
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

/** The amount the preview shows and the refund sends. */
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
