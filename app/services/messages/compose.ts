import type { BackorderLineRow } from "../../models/backorders.server";
import type { NewCustomerMessage } from "../../models/customer-messages.server";
import type { Pipeline } from "../pipeline.server";
import type { RemovalRefund } from "../apply";
import { MessageFacts, type MessageFactsInput, type MessageKind } from "./render";

/** The subject of a key is the Flow event's, so one decision makes one trigger and one e-mail. */

export function customerMessage(
  p: Pick<Pipeline, "settings">,
  kind: MessageKind,
  orderId: string,
  subject: string,
  facts: MessageFactsInput,
): NewCustomerMessage[] {
  if (!p.settings.emailEnabled) return [];
  return [{ key: `${kind}:${subject}`, orderId, kind, facts: MessageFacts.parse(facts) }];
}

/** Silence keeps the customer waiting up to the deadline; past it the units are cancelled unless they say yes. */
export function delayMessage(
  p: Pipeline,
  row: BackorderLineRow,
  promisedAt: number,
  revisedAt: number,
  subject = `${row.lineItemId}:revised`,
) {
  const deadline = row.deadlineAt?.getTime() ?? null;
  const silenceIsConsent = deadline === null || revisedAt <= deadline;
  return customerMessage(p, "delay_notice", row.orderId, subject, {
    items: [{ title: row.title, quantity: row.backorderedQty }],
    previousAt: isoDay(promisedAt),
    revisedAt: isoDay(revisedAt),
    silenceIsConsent,
    answerBy: silenceIsConsent || deadline === null ? null : isoDay(deadline),
  });
}

const isoDay = (at: number) => new Date(at).toISOString().slice(0, 10);

export function cancelledMessage(
  p: Pipeline,
  orderId: string,
  key: string,
  open: readonly BackorderLineRow[],
  reason: NonNullable<MessageFacts["reason"]>,
  refund: RemovalRefund,
) {
  const currency = refund.presentmentCurrency ?? open[0]?.currency ?? null;
  const cents = refund.presentmentCurrency ? refund.presentmentCents : refund.amountCents;
  return customerMessage(p, "cancelled", orderId, key, {
    items: open.map((row) => ({ title: row.title, quantity: row.backorderedQty })),
    reason,
    refund: refund.refundId && currency && cents > 0 ? { amount: (cents / 100).toFixed(2), currency } : null,
  });
}
