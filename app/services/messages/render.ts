import { z } from "zod";

import { formatDay, formatMoney, LOCALES, type Locale } from "../customer-page/locales";
import { messageText, type TextKey } from "./texts";

// Pure: the job reads the shop's name, the address and the language (docs/decisions/0023-customer-email.md).
export const MESSAGE_KINDS = ["confirmation", "part_shipped", "delay_notice", "renewed_notice", "cancelled"] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** Stored with the message: products, units and dates, no one named. */
export const MessageFacts = z.object({
  items: z.array(z.object({ title: z.string(), quantity: z.number().int().positive() })).min(1),
  promisedAt: day.nullable().default(null),
  previousAt: day.nullable().default(null),
  revisedAt: day.nullable().default(null),
  /** The caller's rule decides it. */
  silenceIsConsent: z.boolean().default(false),
  answerBy: day.nullable().default(null),
  reason: z.enum(["deadline", "customer_cancelled", "merchant_cancelled", "no_consent"]).nullable().default(null),
  refund: z.object({ amount: z.string(), currency: z.string() }).nullable().default(null),
});
export type MessageFacts = z.output<typeof MessageFacts>;
export type MessageFactsInput = z.input<typeof MessageFacts>;

export interface MessageContext {
  locale: Locale;
  shopName: string;
  orderName: string;
  url: string;
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

export function messageLocale(customerLocale: string | null | undefined): Locale {
  const language = (customerLocale ?? "").toLowerCase().split("-")[0];
  return (LOCALES as readonly string[]).includes(language ?? "") ? (language as Locale) : "en";
}

type Paragraph = { key: TextKey; values?: Record<string, string> } | { items: true };

const REASONS: Record<NonNullable<MessageFacts["reason"]>, TextKey> = {
  deadline: "reasonDeadline",
  no_consent: "reasonDeadline",
  customer_cancelled: "reasonCustomer",
  merchant_cancelled: "reasonMerchant",
};

const ITEMS = { items: true } as const;

function paragraphs(kind: MessageKind, facts: MessageFacts, locale: Locale): { subject: TextKey; body: Paragraph[] } {
  const dated = (key: TextKey, value: string | null): Paragraph[] => (value ? [{ key }] : []);
  switch (kind) {
    case "confirmation":
      return {
        subject: "confirmationSubject",
        body: [{ key: "confirmationBody" }, ITEMS, ...dated("confirmationDate", facts.promisedAt)],
      };
    case "part_shipped":
      return {
        subject: "partShippedSubject",
        body: [{ key: "partShippedBody" }, ITEMS, ...dated("partShippedDate", facts.promisedAt)],
      };
    case "delay_notice":
      return {
        subject: "delaySubject",
        body: [
          { key: "delayBody" },
          ITEMS,
          { key: "delayDate" },
          { key: "delayChoice" },
          { key: facts.silenceIsConsent ? "delaySilence" : "delayNoSilence" },
        ],
      };
    case "renewed_notice":
      return {
        subject: "renewedSubject",
        body: [
          { key: "renewedBody" },
          ITEMS,
          { key: "renewedDate" },
          { key: "renewedChoice" },
          { key: "renewedDeadline" },
        ],
      };
    case "cancelled": {
      const amount = facts.refund ? formatMoney(locale, facts.refund.amount, facts.refund.currency) : null;
      const refund: Paragraph = amount
        ? { key: "cancelledRefund", values: { amount } }
        : { key: "cancelledRefundPending" };
      return {
        subject: "cancelledSubject",
        body: [{ key: "cancelledBody" }, ITEMS, ...(facts.reason ? [{ key: REASONS[facts.reason] }] : []), refund],
      };
    }
  }
}

/** The answer is due by the revised date unless another is given. */
function dateValues(facts: MessageFacts, locale: Locale): Record<string, string> {
  const date = (value: string | null) => (value ? formatDay(locale, new Date(`${value}T00:00:00Z`)) : "");
  return {
    date: date(facts.promisedAt),
    promised: date(facts.previousAt),
    revised: date(facts.revisedAt),
    answerBy: date(facts.answerBy ?? facts.revisedAt),
  };
}

export function renderMessage(kind: MessageKind, facts: MessageFacts, context: MessageContext): RenderedMessage {
  const { locale } = context;
  const { subject, body } = paragraphs(kind, facts, locale);
  const base = { shop: context.shopName, order: context.orderName, ...dateValues(facts, locale) };
  const say = (key: TextKey, values: Record<string, string | number> = {}) =>
    messageText(locale, key, { ...base, ...values });
  const itemLines = facts.items.map((item) => say("item", { quantity: item.quantity, title: item.title }));
  const footer = say("footer");
  const parts = body.map((p) => ("items" in p ? itemLines : say(p.key, p.values)));

  const text = [
    ...parts.map((part) => (Array.isArray(part) ? part.map((line) => `- ${line}`).join("\n") : part)),
    say(kind === "cancelled" ? "linkView" : "link", { url: context.url }),
    "--",
    footer,
  ].join("\n\n");

  const html = [
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(say(subject))}</title></head>`,
    `<body style="font-family:sans-serif;line-height:1.5;color:#1a1a1a;max-width:36rem">`,
    ...parts.map((part) =>
      Array.isArray(part)
        ? `<ul>${part.map((line) => `<li>${escapeHtml(line)}</li>`).join("")}</ul>`
        : `<p>${escapeHtml(part)}</p>`,
    ),
    `<p><a href="${escapeHtml(context.url)}" style="display:inline-block;padding:.6em 1.2em;background:#1a1a1a;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(say("button"))}</a></p>`,
    `<p style="font-size:.85em;color:#555">${escapeHtml(footer)}</p>`,
    `</body></html>`,
  ].join("\n");

  return { subject: say(subject), text, html };
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
