// What the order status block shows for one answer of the app, as Preact elements of Shopify's customer account
// web components (their types from ../shopify.d.ts). No Shopify globals: the entry (OrderStatusBlock.tsx) passes
// `shopify.i18n`, and test/customer-account/render.test.ts renders every state offline with the locale files.
import { dayDate, lineParts, type BlockAnswer, type BlockOrder } from "./contract";

export interface BlockI18n {
  translate: (key: string, options?: Record<string, string | number>) => string;
  formatDate: (date: Date, options?: Intl.DateTimeFormatOptions) => string;
}

export function OrderStatusView({ answer, i18n }: { answer: BlockAnswer | null; i18n: BlockI18n }) {
  // Nothing while loading, and nothing for an order without backordered lines: most orders have none.
  if (!answer || answer.kind === "none") return null;
  if (answer.kind === "failed") {
    return <s-banner tone="warning">{i18n.translate("failed")}</s-banner>;
  }
  return <OrderSection order={answer.order} i18n={i18n} />;
}

function OrderSection({ order, i18n }: { order: BlockOrder; i18n: BlockI18n }) {
  const day = (value: string) => i18n.formatDate(dayDate(value), { dateStyle: "long", timeZone: "UTC" });
  const { status, links } = order;
  const notes = [
    status.consentedUntil ? i18n.translate("consented", { date: day(status.consentedUntil) }) : null,
    status.cancelling ? i18n.translate("cancelling") : null,
    status.replyBy ? i18n.translate("replyBy", { date: day(status.replyBy) }) : null,
    status.cancelledByYou ? i18n.translate("cancelledByYou") : null,
    status.cancelledNoReply ? i18n.translate("cancelledNoReply") : null,
    status.shipping ? i18n.translate("shipping") : null,
  ].filter((note): note is string => note !== null);
  return (
    <s-section heading={i18n.translate("heading")}>
      <s-stack direction="block" gap="base">
        {order.lines.map((line, index) => (
          <s-stack key={index} direction="block" gap="small-300">
            <s-text type="strong">{i18n.translate("line", { quantity: line.quantity, title: line.title })}</s-text>
            {lineParts(line, day).map((part) => (
              <s-text key={part.key}>{i18n.translate(part.key, part.values)}</s-text>
            ))}
          </s-stack>
        ))}
        {notes.map((note) => (
          <s-paragraph key={note}>{note}</s-paragraph>
        ))}
        <s-stack direction="inline" gap="base">
          {links.wait ? (
            <s-button href={links.wait.url} variant="primary">
              {i18n.translate("wait", { date: day(links.wait.until) })}
            </s-button>
          ) : null}
          {links.ship ? (
            <s-button href={links.ship.url}>{i18n.translate("ship", { count: links.ship.ready })}</s-button>
          ) : null}
          {links.cancel ? <s-button href={links.cancel}>{i18n.translate("cancel")}</s-button> : null}
        </s-stack>
        <s-link href={links.page}>{i18n.translate("page")}</s-link>
      </s-stack>
    </s-section>
  );
}
