import { Liquid } from "liquidjs";
import { describe, expect, it } from "vitest";

import { LOCALES, MESSAGES } from "./locales";
import { renderCustomerPage, type OrderView, type PageView } from "./render";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

const view = (title: string): PageView => ({
  kind: "order",
  order: {
    orderName: "#1001",
    lines: [
      {
        title,
        quantity: 3,
        shipped: 1,
        ready: 0,
        waiting: 2,
        cancelled: 0,
        promisedAt: new Date("2026-12-20T00:00:00Z"),
        deadlineAt: new Date("2027-01-05T00:00:00Z"),
      },
    ],
    status: {
      consentedUntil: null,
      cancelling: false,
      cancelledByYou: false,
      cancelledNoReply: false,
      replyBy: null,
      shipping: false,
    },
    wait: { action: "/apps/backorders/orders/1/wait", token: "t".repeat(32), until: new Date("2026-12-20T23:59:59Z") },
    cancelHref: "/apps/backorders/orders/1/cancel",
    ship: null,
    done: null,
  },
});

/** Shopify's side: the storefront renders the Liquid with its language and root. */
function render(liquid: string, isoCode: string, rootUrl = "/") {
  return new Liquid({ strictFilters: true }).parseAndRender(liquid, {
    request: { locale: { iso_code: isoCode } },
    routes: { root_url: rootUrl },
    shop: { email: "owner@shop.example" },
  });
}

describe("the customer's page in four languages", () => {
  it("every locale has every message, none empty, with English's placeholders", () => {
    for (const locale of LOCALES) {
      expect(Object.keys(MESSAGES[locale]).sort()).toEqual(Object.keys(MESSAGES.en).sort());
      for (const [key, text] of Object.entries(MESSAGES[locale])) {
        expect(text.trim(), `${locale}.${key}`).not.toBe("");
        expect(placeholders(text), `${locale}.${key}`).toEqual(
          placeholders(MESSAGES.en[key as keyof typeof MESSAGES.en]),
        );
      }
    }
  });

  it.each([
    ["de", "Bestellung #1001", "20. Dezember 2026"],
    ["es-MX", "Pedido #1001", "20 de diciembre de 2026"],
    ["fr", "Commande #1001", "20 décembre 2026"],
    ["en", "Order #1001", "December 20, 2026"],
    ["ja", "Order #1001", "December 20, 2026"],
  ])("the storefront's %s picks its version, dates written its way", async (isoCode, heading, date) => {
    const html = await render(renderCustomerPage(view("Oak stool")), isoCode);
    expect(html).toContain(`<h1>${heading}</h1>`);
    expect(html).toContain(date);
    expect(html.match(/<div class="bk-page"/g)).toHaveLength(1);
  });

  it("links start at the language's root, and values are text to Liquid and HTML alike", async () => {
    const html = await render(
      renderCustomerPage(view("{{ shop.email }}<script>x</script>{% layout none %}")),
      "fr",
      "/fr",
    );
    expect(html).toContain('action="/fr/apps/backorders/orders/1/wait"');
    expect(html).toContain('href="/fr/apps/backorders/orders/1/cancel"');
    expect(html).not.toContain("owner@shop.example");
    expect(html).not.toContain("<script>");
    expect(html).toContain("&#123;&#123; shop.email &#125;&#125;&lt;script&gt;");
    const root = await render(renderCustomerPage(view("Oak stool")), "en", "/");
    expect(root).toContain('action="/apps/backorders/orders/1/wait"');
  });
});

describe("the Mail Order Rule on the customer's page", () => {
  function withStatus(status: Partial<OrderView["status"]>): PageView {
    const page = view("Oak stool");
    if (page.kind !== "order") throw new Error("an order page");
    return { ...page, order: { ...page.order, status: { ...page.order.status, ...status } } };
  }

  it.each([
    ["en", "Please tell us by December 28, 2026 whether you can wait"],
    ["de", "Bitte sagen Sie uns bis zum 28. Dezember 2026, ob Sie warten können"],
    ["es", "Dinos antes del 28 de diciembre de 2026 si puedes esperar"],
    ["fr", "Dites-nous d’ici le 28 décembre 2026 si vous pouvez attendre"],
  ])("%s: a notice awaiting a yes names its reply date; a cancellation for want of one says so", async (iso, asked) => {
    const html = await render(renderCustomerPage(withStatus({ replyBy: new Date("2026-12-28T09:00:00Z") })), iso);
    expect(html).toContain(asked);
    const cancelled = await render(renderCustomerPage(withStatus({ cancelledNoReply: true })), iso);
    expect(cancelled).toContain(MESSAGES[iso as keyof typeof MESSAGES].cancelledNoReply);
    expect(await render(renderCustomerPage(view("Oak stool")), iso)).not.toContain(asked);
  });
});
