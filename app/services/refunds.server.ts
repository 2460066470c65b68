import type { Pipeline } from "./pipeline.server";
import { refundRequest, suggestRefund, type UnitRemoval } from "./apply/refunds.server";
import type { OrderSnapshot } from "./shopify-reads.server";

/**
 * What `removeUnits` (apply/refunds.server.ts) would refund for these removals, as Shopify prices it now, without
 * refunding: the customer's page shows it.
 */
export interface RefundPreview {
  /** In the customer's (presentment) currency. */
  amount: string;
  currency: string;
  shipping: boolean;
}

export async function previewRemovalRefund(
  p: Pipeline,
  order: OrderSnapshot,
  removals: readonly UnitRemoval[],
): Promise<RefundPreview | null> {
  const { pending, refundShipping } = refundRequest(p, order, removals);
  if (pending.length === 0) return null;
  const { suggested, presentmentCurrencyCode } = await suggestRefund(p, order.id, pending, refundShipping);
  return {
    amount: suggested.amountSet.presentmentMoney.amount,
    currency: presentmentCurrencyCode,
    shipping: refundShipping,
  };
}
