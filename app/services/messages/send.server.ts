import { createHash } from "node:crypto";

import { DAY_MS } from "../../domain";
import {
  claimCustomerMessage,
  prepareCustomerMessage,
  settleCustomerMessage,
} from "../../models/customer-messages.server";
import { BackorderMessageRecipientDocument } from "../../shopify/generated/operations";
import type { Pipeline } from "../pipeline.server";
import { issueCustomerLink, LINK_DAYS } from "../customer-page/links.server";
import { MESSAGE_KINDS, MessageFacts, messageLocale, renderMessage, type MessageKind } from "./render";
import type { MailerFor } from "./smtp.server";

export type MessageOutcome =
  | { kind: "sent"; key: string; to: string }
  | { kind: "skipped"; key: string; reason: string }
  | { kind: "nothing_to_send"; key: string };

export interface MessageDeps {
  mailerFor: MailerFor;
  secret: string;
}

/** Fixed by the message's key: every attempt carries the same one. */
const messageIdOf = (shop: string, key: string) =>
  `<${createHash("sha256").update(`${shop}\n${key}`).digest("hex").slice(0, 32)}@${shop}>`;

/**
 * A `sent` message never goes again. An SMTP failure is recorded and thrown, so the job is retried with backoff;
 * what cannot be sent at all is `skipped` with its reason.
 */
export async function runCustomerMessage(
  p: Pipeline,
  deps: MessageDeps,
  payload: Record<string, unknown>,
): Promise<MessageOutcome> {
  const key = String(payload.key);
  const row = await claimCustomerMessage(p.db, p.shop, key);
  if (!row) return { kind: "nothing_to_send", key };
  const skip = async (reason: string): Promise<MessageOutcome> => {
    await settleCustomerMessage(p.db, p.shop, row.id, { status: "skipped", error: reason });
    return { kind: "skipped", key, reason };
  };
  const facts = MessageFacts.safeParse(row.facts);
  if (!(MESSAGE_KINDS as readonly string[]).includes(row.kind) || !facts.success)
    return skip(`unreadable ${row.kind} message`);

  const read = await p.admin.query(BackorderMessageRecipientDocument, { id: row.orderId });
  if (!read.order) return skip("Shopify no longer finds the order");
  const to = read.order.email;
  if (!to) return skip("the order has no e-mail address (or the app may not read it)");
  try {
    // Inside: a sealed password the app's secret no longer opens is this attempt's failure, recorded on the row.
    const mailer = await deps.mailerFor(p.shop);
    if (!mailer) return skip("no SMTP server: set one in Settings or SMTP_URL");
    const locale = messageLocale(read.order.customerLocale);
    const expires = new Date(p.now().getTime() + LINK_DAYS * DAY_MS);
    const link = await issueCustomerLink(p.db, deps.secret, p.shop, row.orderId, expires);
    const context = { locale, shopName: read.shop.name, orderName: read.order.name, url: link.url };
    const rendered = renderMessage(row.kind as MessageKind, facts.data, context);
    const messageId = row.messageId ?? messageIdOf(p.shop, key);
    await prepareCustomerMessage(p.db, p.shop, row.id, { recipient: to, locale, messageId });
    await mailer.send({ to, messageId, language: locale, ...rendered });
  } catch (error) {
    await settleCustomerMessage(p.db, p.shop, row.id, { status: "failed", error: String(error) });
    throw error;
  }
  await settleCustomerMessage(p.db, p.shop, row.id, { status: "sent", at: p.now() });
  return { kind: "sent", key, to };
}
