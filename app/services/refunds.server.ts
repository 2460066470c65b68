import type { Pipeline } from "./pipeline.server";
import { refundRequest, suggestRefund, type UnitRemoval } from "./apply/refunds.server";
import type { OrderSnapshot } from "./reads/snapshot";

/** Priced by Shopify now, without refunding: the customer's page shows it. */
export interface RefundPreview {
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
