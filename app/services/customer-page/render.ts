import { formatDay, formatMoney, LOCALES, text, type Locale, type MessageKey } from "./locales";

/**
 * Shopify passes the app no language but renders the Liquid knowing it: the page is written once per locale. Every
 * value is HTML-escaped and its Liquid delimiters too: a product called "{{ shop.email }}" is text, not code.
 */

export interface LineView {
  title: string;
  quantity: number;
  shipped: number;
  ready: number;
  waiting: number;
  cancelled: number;
  promisedAt: Date | null;
  deadlineAt: Date | null;
}

export interface FormView {
  action: string;
  token: string;
  fields?: Record<string, string>;
}

export interface OrderView {
  orderName: string;
  lines: LineView[];
  status: {
    consentedUntil: Date | null;
    cancelling: boolean;
    cancelledByYou: boolean;
    cancelledNoReply: boolean;
    replyBy: Date | null;
    shipping: boolean;
  };
  wait: (FormView & { until: Date }) | null;
  cancelHref: string | null;
  ship: (FormView & { ready: number }) | null;
  done: { kind: "wait"; until: Date } | { kind: "cancel" } | { kind: "ship" } | null;
}

export type PageView =
  | { kind: "list"; loggedIn: boolean; orders: { orderName: string; href: string; waiting: number }[] }
  | { kind: "order"; order: OrderView }
  | {
      kind: "confirm";
      orderName: string;
      items: { title: string; quantity: number }[];
      refund: { amount: string; currency: string; shipping: boolean } | null;
      form: FormView;
      backHref: string;
    }
  | { kind: "not_found" }
  | { kind: "refused"; backHref: string };

/** HTML-escaped, with `{` and `}` as entities so Shopify's Liquid never reads a value as a tag or an output. */
export function escapeText(value: string | number): string {
  return String(value)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;")
    .replace(/\{/g, "&#123;")
    .replace(/\}/g, "&#125;");
}

const url = (path: string) => `{{ bk_root }}${escapeText(path)}`;

const STYLE = `<style>
.bk-page table{border-collapse:collapse;width:100%;margin:1rem 0}
.bk-page th,.bk-page td{text-align:left;padding:.5rem;border-bottom:1px solid currentColor}
.bk-page section{margin:1.5rem 0}.bk-page .bk-status{padding:.75rem 1rem;border:2px solid currentColor}
</style>`;

function form(view: FormView, label: string): string {
  const fields = Object.entries({ token: view.token, ...view.fields })
    .map(([name, value]) => `<input type="hidden" name="${escapeText(name)}" value="${escapeText(value)}">`)
    .join("");
  return `<form method="post" action="${url(view.action)}">${fields}<button type="submit">${escapeText(label)}</button></form>`;
}

function day(locale: Locale, date: Date | null): string {
  return date ? escapeText(formatDay(locale, date)) : escapeText(text(locale, "none"));
}

function table(locale: Locale, order: OrderView): string {
  const t = (key: MessageKey) => escapeText(text(locale, key));
  const head = (["item", "ordered", "shipped", "ready", "waiting", "cancelled", "expected", "deadline"] as const)
    .map((key) => `<th scope="col">${t(key)}</th>`)
    .join("");
  const rows = order.lines
    .map(
      (line) =>
        `<tr><th scope="row">${escapeText(line.title)}</th><td>${line.quantity}</td><td>${line.shipped}</td>` +
        `<td>${line.ready}</td><td>${line.waiting}</td><td>${line.cancelled}</td>` +
        `<td>${line.waiting > 0 ? day(locale, line.promisedAt) : t("none")}</td>` +
        `<td>${line.waiting > 0 ? day(locale, line.deadlineAt) : t("none")}</td></tr>`,
    )
    .join("");
  const caption = escapeText(text(locale, "caption", { name: order.orderName }));
  return `<table><caption>${caption}</caption><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

function statusLines(locale: Locale, order: OrderView): string[] {
  const { status, done } = order;
  const lines: string[] = [];
  if (done?.kind === "wait") lines.push(text(locale, "doneWait", { date: formatDay(locale, done.until) }));
  else if (status.consentedUntil)
    lines.push(text(locale, "consented", { date: formatDay(locale, status.consentedUntil) }));
  if (done?.kind === "cancel") lines.push(text(locale, "doneCancel"));
  else if (status.cancelling) lines.push(text(locale, "cancelling"));
  if (status.replyBy && done?.kind !== "wait" && done?.kind !== "cancel")
    lines.push(text(locale, "replyBy", { date: formatDay(locale, status.replyBy) }));
  if (status.cancelledByYou) lines.push(text(locale, "cancelledByYou"));
  if (status.cancelledNoReply) lines.push(text(locale, "cancelledNoReply"));
  if (done?.kind === "ship") lines.push(text(locale, "doneShip"));
  else if (status.shipping) lines.push(text(locale, "shipping"));
  return lines;
}

function orderPage(locale: Locale, order: OrderView): string {
  const t = (key: MessageKey, values?: Record<string, string | number>) => escapeText(text(locale, key, values));
  const status = statusLines(locale, order);
  const parts = [`<h1>${t("orderHeading", { name: order.orderName })}</h1>`];
  // A live region: after a form's post, a screen reader hears what happened.
  if (status.length > 0)
    parts.push(`<div class="bk-status" role="status">${status.map((s) => `<p>${escapeText(s)}</p>`).join("")}</div>`);
  parts.push(table(locale, order));
  if (order.wait) {
    const date = formatDay(locale, order.wait.until);
    parts.push(
      `<section aria-labelledby="bk-wait"><h2 id="bk-wait">${t("waitHeading")}</h2><p>${t("waitText", { date })}</p>` +
        `${form(order.wait, text(locale, "waitButton", { date }))}</section>`,
    );
  }
  if (order.ship) {
    parts.push(
      `<section aria-labelledby="bk-ship"><h2 id="bk-ship">${t("shipHeading")}</h2><p>${t("shipText", { ready: order.ship.ready })}</p>` +
        `${form(order.ship, text(locale, "shipButton"))}</section>`,
    );
  }
  if (order.cancelHref) {
    parts.push(
      `<section aria-labelledby="bk-cancel"><h2 id="bk-cancel">${t("cancelHeading")}</h2><p>${t("cancelText")}</p>` +
        `<p><a href="${url(order.cancelHref)}">${t("cancelReview")}</a></p></section>`,
    );
  }
  return parts.join("");
}

function body(locale: Locale, view: PageView): string {
  const t = (key: MessageKey, values?: Record<string, string | number>) => escapeText(text(locale, key, values));
  switch (view.kind) {
    case "list": {
      if (!view.loggedIn)
        return `<h1>${t("title")}</h1><p>${t("loginPrompt")}</p><p><a href="{{ routes.account_login_url }}">${t("login")}</a></p>`;
      if (view.orders.length === 0) return `<h1>${t("title")}</h1><p>${t("noOrders")}</p>`;
      const items = view.orders
        .map(
          (o) => `<li><a href="${url(o.href)}">${t("orderLink", { name: o.orderName, waiting: o.waiting })}</a></li>`,
        )
        .join("");
      return `<h1>${t("title")}</h1><p>${t("intro")}</p><ul>${items}</ul>`;
    }
    case "order":
      return orderPage(locale, view.order);
    case "confirm": {
      const items = view.items.map((i) => `<li>${t("confirmItem", { quantity: i.quantity, title: i.title })}</li>`);
      const amount = view.refund ? formatMoney(locale, view.refund.amount, view.refund.currency) : null;
      const refund = amount ? `<p>${t(view.refund!.shipping ? "refundShipping" : "refund", { amount })}</p>` : "";
      return (
        `<h1>${t("confirmHeading")}</h1><ul>${items.join("")}</ul>${refund}` +
        `${form(view.form, text(locale, "confirmButton"))}<p><a href="${url(view.backHref)}">${t("keep")}</a></p>`
      );
    }
    case "not_found":
      return `<h1>${t("notFoundHeading")}</h1><p>${t("notFound")}</p>`;
    case "refused":
      return `<h1>${t("refusedHeading")}</h1><p>${t("refused")}</p><p><a href="${url(view.backHref)}">${t("back")}</a></p>`;
  }
}

/** An element stating its language, so screen readers pronounce it right whatever the theme's `<html lang>`. */
export function renderCustomerPage(view: PageView): string {
  const [first, ...others] = LOCALES;
  const version = (locale: Locale) => `<div class="bk-page" lang="${locale}">${body(locale, view)}</div>`;
  return [
    "{%- if routes.root_url == '/' -%}{%- assign bk_root = '' -%}{%- else -%}{%- assign bk_root = routes.root_url -%}{%- endif -%}",
    "{%- assign bk_lang = request.locale.iso_code | split: '-' | first -%}",
    STYLE,
    "{%- case bk_lang -%}",
    ...others.map((locale) => `{%- when '${locale}' -%}${version(locale)}`),
    `{%- else -%}${version(first)}`,
    "{%- endcase -%}",
  ].join("\n");
}
