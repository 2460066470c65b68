import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";

import { h } from "preact";
import { renderToString } from "preact-render-to-string";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";

import {
  APP_URL,
  type BlockAnswer,
  type BlockLine,
  type BlockOrder,
} from "../../extensions/order-status-block/src/contract";
import { OrderStatusView, type BlockI18n } from "../../extensions/order-status-block/src/OrderStatusView";

// The order status block's rendering of each state (extensions/order-status-block/src/OrderStatusView.tsx),
// offline: Preact renders the component tree to markup, Shopify's web components as their tags. `shopify.i18n`
// is the one thing stood in for: translate() reads the extension's own locale files and fills `{{name}}` as
// Shopify documents; formatDate() is Intl, as Shopify's "behaves like Intl.DateTimeFormat". How customer accounts
// lay the components out is for a real store to show (README).
const ROOT = path.join(import.meta.dirname, "../../extensions/order-status-block");
const LOCALES = Object.fromEntries(
  readdirSync(path.join(ROOT, "locales")).map((file) => [
    file.replace(/(\.default)?\.json$/, ""),
    JSON.parse(readFileSync(path.join(ROOT, "locales", file), "utf8")) as Record<string, string>,
  ]),
);

function i18n(locale: string): BlockI18n {
  const messages = LOCALES[locale]!;
  return {
    translate: (key, values = {}) => {
      const message = messages[key];
      if (message === undefined) throw new Error(`no "${key}" in ${locale}`);
      return message.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(values[name]));
    },
    formatDate: (date, options) => new Intl.DateTimeFormat(locale, options).format(date),
  };
}

const show = (answer: BlockAnswer | null, locale = "en") =>
  renderToString(h(OrderStatusView, { answer, i18n: i18n(locale) }));
/** What a customer reads: the markup's text, tags gone. */
const visible = (html: string) =>
  html
    .replace(/<[^>]+>/g, "\n")
    .split("\n")
    .map((s) => s.trim())
    .filter(Boolean);
const hrefs = (html: string) =>
  [...html.matchAll(/<(s-\w+)[^>]*href="([^"]*)"[^>]*>([^<]*)</g)].map((m) => [m[1], m[3], m[2]]);

const PAGE = "https://shop.myshopify.com/apps/backorders/orders/7?link=1900000000.abc";
const line = (fields: Partial<BlockLine>): BlockLine => ({
  title: "Oak stool",
  quantity: 2,
  shipped: 0,
  ready: 0,
  waiting: 0,
  cancelled: 0,
  promisedAt: "2026-11-20",
  deadlineAt: "2026-12-02",
  ...fields,
});
const order = (fields: Partial<BlockOrder>): BlockAnswer => ({
  kind: "order",
  order: {
    id: "gid://shopify/Order/7",
    name: "#1007",
    lines: [],
    status: {
      consentedUntil: null,
      cancelling: false,
      cancelledByYou: false,
      cancelledNoReply: false,
      replyBy: null,
      shipping: false,
    },
    links: { page: PAGE, wait: null, cancel: null, ship: null, expiresAt: "2026-11-03T00:00:00.000Z" },
    ...fields,
  },
});
const links = (fields: Partial<BlockOrder["links"]>) => ({
  page: PAGE,
  wait: null,
  cancel: null,
  ship: null,
  expiresAt: "",
  ...fields,
});

describe("the order status block's states", () => {
  it("waiting, with the expected date, the deadline and the three actions as links to the customer's page", () => {
    const html = show(
      order({
        lines: [line({ waiting: 2 }), line({ title: "Brass lamp", quantity: 1, ready: 1 })],
        links: links({
          wait: { url: `${PAGE}#bk-wait`, until: "2026-11-20" },
          cancel: PAGE.replace("?", "/cancel?"),
          ship: { url: `${PAGE}#bk-ship`, ready: 1 },
        }),
      }),
    );
    expect(visible(html)).toEqual([
      "2 × Oak stool",
      "Waiting: 2, expected by November 20, 2026",
      "Refunded if not shipped by December 2, 2026",
      "1 × Brass lamp",
      "Ready to ship: 1",
      "I will wait until November 20, 2026",
      "Ship what is ready now (1)",
      "Cancel what is still waiting",
      "See your backorders on the shop's page",
    ]);
    expect(hrefs(html)).toEqual([
      ["s-button", "I will wait until November 20, 2026", `${PAGE}#bk-wait`],
      ["s-button", "Ship what is ready now (1)", `${PAGE}#bk-ship`],
      ["s-button", "Cancel what is still waiting", PAGE.replace("?", "/cancel?")],
      ["s-link", "See your backorders on the shop's page", PAGE],
    ]);
    expect(html).toContain('<s-section heading="Backordered items">');
  });

  it("waiting without a date says so, and no deadline it does not have", () => {
    const html = show(order({ lines: [line({ waiting: 1, promisedAt: null, deadlineAt: null })] }));
    expect(visible(html)).toEqual(["2 × Oak stool", "Waiting: 1", "See your backorders on the shop's page"]);
  });

  it("shipped in part and in full: counts only, no actions", () => {
    const html = show(
      order({ lines: [line({ shipped: 2 }), line({ title: "Rug", quantity: 3, shipped: 1, waiting: 2 })] }),
    );
    expect(visible(html)).toEqual([
      "2 × Oak stool",
      "Shipped: 2",
      "3 × Rug",
      "Shipped: 1",
      "Waiting: 2, expected by November 20, 2026",
      "Refunded if not shipped by December 2, 2026",
      "See your backorders on the shop's page",
    ]);
    expect(hrefs(html).map(([tag]) => tag)).toEqual(["s-link"]);
  });

  it("consented: the date agreed, and Cancel still offered", () => {
    const html = show(
      order({
        lines: [line({ waiting: 2 })],
        status: {
          consentedUntil: "2026-11-20",
          cancelling: false,
          cancelledByYou: false,
          cancelledNoReply: false,
          replyBy: null,
          shipping: false,
        },
        links: links({ cancel: PAGE.replace("?", "/cancel?") }),
      }),
    );
    expect(visible(html)).toContain("You agreed to wait until November 20, 2026.");
    expect(visible(html)).not.toContain("I will wait until November 20, 2026");
    expect(hrefs(html).map(([, label]) => label)).toEqual([
      "Cancel what is still waiting",
      "See your backorders on the shop's page",
    ]);
  });

  it("cancelled: under way, then done at the customer's request, with what shipped kept", () => {
    const underWay = show(
      order({
        lines: [line({ waiting: 2 })],
        status: {
          consentedUntil: null,
          cancelling: true,
          cancelledByYou: false,
          cancelledNoReply: false,
          replyBy: null,
          shipping: false,
        },
      }),
    );
    expect(visible(underWay)).toContain("We are cancelling the items still waiting and refunding you.");
    const done = show(
      order({
        lines: [line({ quantity: 3, shipped: 1, cancelled: 2 })],
        status: {
          consentedUntil: null,
          cancelling: false,
          cancelledByYou: true,
          cancelledNoReply: false,
          replyBy: null,
          shipping: false,
        },
      }),
    );
    expect(visible(done)).toEqual([
      "3 × Oak stool",
      "Shipped: 1",
      "Cancelled: 2",
      "The items that were waiting were cancelled at your request and refunded.",
      "See your backorders on the shop's page",
    ]);
  });

  it("the Mail Order Rule: the day a yes is awaited, then the cancellation for want of one", () => {
    const awaited = show(
      order({
        lines: [line({ waiting: 2 })],
        status: {
          consentedUntil: null,
          cancelling: false,
          cancelledByYou: false,
          cancelledNoReply: false,
          replyBy: "2026-12-28",
          shipping: false,
        },
      }),
    );
    expect(visible(awaited)).toContain(
      "Please tell us by December 28, 2026 whether you can wait: if we do not hear from you, we cancel the items still waiting and refund them.",
    );
    const cancelled = show(
      order({
        lines: [line({ quantity: 2, cancelled: 2 })],
        status: {
          consentedUntil: null,
          cancelling: false,
          cancelledByYou: false,
          cancelledNoReply: true,
          replyBy: null,
          shipping: false,
        },
      }),
    );
    expect(visible(cancelled)).toContain(
      "We did not hear from you in time about the later date, so the items that were waiting were cancelled and refunded.",
    );
  });

  it("nothing while loading or for an order the app keeps nothing of; a notice when the app cannot be reached", () => {
    expect(show(null)).toBe("");
    expect(show({ kind: "none" })).toBe("");
    expect(visible(show({ kind: "failed", status: 500 }))).toEqual([
      "We could not load your backordered items. Reload the page to try again.",
    ]);
  });

  it("product titles are text, never markup", () => {
    const html = show(order({ lines: [line({ title: '<img src=x onerror="alert(1)">', shipped: 2 })] }));
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img");
  });

  it("speaks French, German and Spanish from its own locale files, dates in the customer's language", () => {
    const answer = order({
      lines: [line({ waiting: 2 })],
      links: links({ wait: { url: `${PAGE}#bk-wait`, until: "2026-11-20" } }),
    });
    expect(visible(show(answer, "fr"))).toContain("En attente : 2, prévu pour le 20 novembre 2026");
    expect(visible(show(answer, "de"))).toContain("Ich warte bis zum 20. November 2026");
    expect(visible(show(answer, "es"))).toContain("Reembolsado si no se envía antes del 2 de diciembre de 2026");
  });
});

describe("the extension's declaration and locales", () => {
  it("targets the order status block with network access, on the app's API version, and calls the app's URL", () => {
    const toml = parse(readFileSync(path.join(ROOT, "shopify.extension.toml"), "utf8")) as {
      api_version: string;
      extensions: { type: string; targeting: { target: string; module: string }[]; capabilities: object }[];
    };
    const restock = parse(readFileSync(path.join(ROOT, "../restock-date-block/shopify.extension.toml"), "utf8"));
    expect(toml.api_version).toBe(restock.api_version);
    expect(toml.extensions[0]).toMatchObject({
      type: "ui_extension",
      targeting: [{ target: "customer-account.order-status.block.render", module: "./src/OrderStatusBlock.tsx" }],
      capabilities: { network_access: true },
    });
    const app = parse(readFileSync(path.join(ROOT, "../../shopify.app.toml"), "utf8")) as { application_url: string };
    expect(APP_URL).toBe(app.application_url);
  });

  it("has the storefront's four locales, each with every key and the same placeholders", () => {
    expect(Object.keys(LOCALES).sort()).toEqual(["de", "en", "es", "fr"]);
    const placeholders = (messages: Record<string, string>) =>
      Object.fromEntries(
        Object.entries(messages).map(([key, text]) => [
          key,
          [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort(),
        ]),
      );
    for (const locale of ["de", "es", "fr"]) expect(placeholders(LOCALES[locale]!)).toEqual(placeholders(LOCALES.en!));
  });
});
