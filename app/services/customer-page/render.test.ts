import { Liquid } from "liquidjs";
import { describe, expect, it } from "vitest";

import { LOCALES, MESSAGES } from "./locales";
import { renderCustomerPage, type PageView } from "./render";

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
    status: { consentedUntil: null, cancelling: false, cancelledByYou: false, shipping: false },
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
