import path from "node:path";
import { describe, expect, it } from "vitest";
import { app, badgeBlock, cartItem, embedBlock, product, variant } from "./fixtures";
import { createStorefront, EXTENSION_DIR, tidy, type Locale } from "./storefront";

// Rendered "today" is 2026-11-26 (UTC); expected dates below are after it unless a test says so.
const NOW = new Date("2026-11-26T12:00:00Z");

/** Renders `blocks/<name>` or `snippets/<name>` of the extension with `scope` as its variables. */
async function render(file: string, scope: object, locale: Locale = "en", page = 1): Promise<string> {
  const liquid = createStorefront({ locale, now: NOW, page });
  return tidy(String(await liquid.renderFile(path.join(EXTENSION_DIR, file), scope)));
}

const datedBackorder = (id = 11) => variant({ id, title: "Small", quantity: 0, expectedDate: "2026-12-15" });
const undatedBackorder = (id = 12) => variant({ id, title: "Medium", quantity: -3 });
const inStock = (id = 13) => variant({ id, title: "Large", quantity: 4 });
const deny = (id = 14) => variant({ id, title: "Deny", policy: "deny", quantity: 0 });
const untracked = (id = 15) => variant({ id, title: "Untracked", tracked: false, quantity: 0 });

const badgeScope = (
  variants: ReturnType<typeof variant>[],
  options: { shop?: Parameters<typeof app>[0]; block?: Parameters<typeof badgeBlock>[0] } = {},
) => ({
  product: product("trail-jacket", variants),
  app: app(options.shop),
  block: badgeBlock(options.block),
});

describe("product page app block (blocks/backorder-badge.liquid)", () => {
  it("renders nothing for a variant in stock", async () => {
    expect(await render("blocks/backorder-badge", badgeScope([inStock()]))).toBe("");
  });

  it("shows the expected date for a backordered variant, with every variant's badge ready to swap in", async () => {
    const html = await render("blocks/backorder-badge", badgeScope([datedBackorder(), inStock(), undatedBackorder()]));
    expect(html).toBe(
      '<div class="bk-badge" data-bk-badge style="--bk-bg: #FFF4E0; --bk-fg: #5C3B00;" >' +
        '<div class="bk-badge__live" role="status" aria-live="polite" data-bk-live>' +
        '<span class="bk-badge__pill"><span class="bk-badge__label">Backordered</span> — ships by December 15, 2026</span>' +
        "</div>" +
        '<div class="bk-badge__variants" aria-hidden="true" data-bk-variants>' +
        '<div data-variant-id="11"><span class="bk-badge__pill"><span class="bk-badge__label">Backordered</span> — ships by December 15, 2026</span></div>' +
        '<div data-variant-id="13"></div>' +
        '<div data-variant-id="12"><span class="bk-badge__pill"><span class="bk-badge__label">Backordered</span> — ships when back in stock</span></div>' +
        "</div></div>",
    );
  });

  it("says 'ships when back in stock' when the app knows no date", async () => {
    const html = await render("blocks/backorder-badge", badgeScope([undatedBackorder()]));
    expect(html).toBe(
      '<div class="bk-badge" data-bk-badge style="--bk-bg: #FFF4E0; --bk-fg: #5C3B00;" >' +
        '<div class="bk-badge__live" role="status" aria-live="polite" data-bk-live>' +
        '<span class="bk-badge__pill"><span class="bk-badge__label">Backordered</span> — ships when back in stock</span>' +
        '</div><div class="bk-badge__variants" aria-hidden="true" data-bk-variants>' +
        '<div data-variant-id="12"><span class="bk-badge__pill"><span class="bk-badge__label">Backordered</span> — ships when back in stock</span></div>' +
        "</div></div>",
    );
  });

  it("never shows for DENY or untracked variants at zero stock", async () => {
    expect(await render("blocks/backorder-badge", badgeScope([deny()]))).toBe("");
    expect(await render("blocks/backorder-badge", badgeScope([untracked()]))).toBe("");
  });

  it("renders nothing when the merchant turned the badge off in the app, or never turned it on", async () => {
    expect(
      await render("blocks/backorder-badge", badgeScope([datedBackorder()], { shop: { badgeEnabled: false } })),
    ).toBe("");
    expect(await render("blocks/backorder-badge", badgeScope([datedBackorder()], { shop: {} }))).toBe("");
  });

  it("reserves the box for the selected in-stock variant when another variant is backordered", async () => {
    const html = await render("blocks/backorder-badge", badgeScope([inStock(), undatedBackorder()]));
    expect(html).toBe(
      '<div class="bk-badge" data-bk-badge style="--bk-bg: #FFF4E0; --bk-fg: #5C3B00;" >' +
        '<div class="bk-badge__live" role="status" aria-live="polite" data-bk-live></div>' +
        '<div class="bk-badge__variants" aria-hidden="true" data-bk-variants>' +
        '<div data-variant-id="13"></div>' +
        '<div data-variant-id="12"><span class="bk-badge__pill"><span class="bk-badge__label">Backordered</span> — ships when back in stock</span></div>' +
        "</div></div>",
    );
  });

  it("escapes merchant text containing <script> in the text override and the variant message", async () => {
    const hostile = variant({
      id: 21,
      title: "Small",
      quantity: 0,
      expectedDate: "2026-12-15",
      message: '<script>alert("message")</script>',
    });
    const html = await render(
      "blocks/backorder-badge",
      badgeScope([hostile], { block: { label: "<script>alert('label')</script>" } }),
    );
    const pill =
      '<span class="bk-badge__pill"><span class="bk-badge__label">&lt;script&gt;alert(&#39;label&#39;)&lt;/script&gt;</span>' +
      " — ships by December 15, 2026" +
      '<span class="bk-badge__message">&lt;script&gt;alert(&quot;message&quot;)&lt;/script&gt;</span></span>';
    expect(html).toBe(
      '<div class="bk-badge" data-bk-badge style="--bk-bg: #FFF4E0; --bk-fg: #5C3B00;" >' +
        `<div class="bk-badge__live" role="status" aria-live="polite" data-bk-live>${pill}</div>` +
        `<div class="bk-badge__variants" aria-hidden="true" data-bk-variants><div data-variant-id="21">${pill}</div></div></div>`,
    );
    expect(html).not.toContain("<script>");
  });

  it("takes the text from the block, else from the app's shop-wide setting, escaped either way", async () => {
    const label = async (shop: Parameters<typeof app>[0], block: Parameters<typeof badgeBlock>[0] = {}) =>
      /<span class="bk-badge__label">([^<]*)<\/span>/.exec(
        await render("blocks/backorder-badge", badgeScope([undatedBackorder()], { shop, block })),
      )?.[1];
    expect(await label({ badgeEnabled: true, badgeText: "Made to order" })).toBe("Made to order");
    expect(await label({ badgeEnabled: true, badgeText: "Made to order" }, { label: "Pre-order" })).toBe("Pre-order");
    expect(await label({ badgeEnabled: true, badgeText: "<script>x()</script>" })).toBe(
      "&lt;script&gt;x()&lt;/script&gt;",
    );
    expect(await label({ badgeEnabled: true })).toBe("Backordered");
  });

  it("hides the date when the block or the app says so, and drops a date already past", async () => {
    const wording = (html: string) => /<span class="bk-badge__label">Backordered<\/span>([^<]*)/.exec(html)?.[1];
    expect(
      wording(await render("blocks/backorder-badge", badgeScope([datedBackorder()], { block: { show_date: false } }))),
    ).toBe(" — ships when back in stock");
    expect(
      wording(
        await render(
          "blocks/backorder-badge",
          badgeScope([datedBackorder()], { shop: { badgeEnabled: true, showDate: false } }),
        ),
      ),
    ).toBe(" — ships when back in stock");
    const past = variant({ id: 31, title: "Old", quantity: 0, expectedDate: "2026-11-25" });
    expect(wording(await render("blocks/backorder-badge", badgeScope([past])))).toBe(" — ships when back in stock");
    const today = variant({ id: 32, title: "Today", quantity: 0, expectedDate: "2026-11-26" });
    expect(wording(await render("blocks/backorder-badge", badgeScope([today])))).toBe(" — ships by November 26, 2026");
  });

  it("uses the shop's date format and falls back to 'date' for a value outside the contract", async () => {
    const wording = async (dateFormat: string) =>
      /— ships by ([^<]*)/.exec(
        await render(
          "blocks/backorder-badge",
          badgeScope([datedBackorder()], { shop: { badgeEnabled: true, dateFormat } }),
        ),
      )?.[1];
    expect(await wording("abbreviated_date")).toBe("Dec 15, 2026");
    expect(await wording("basic")).toBe("12/15/2026");
    expect(await wording("date")).toBe("December 15, 2026");
    expect(await wording("%Y<script>")).toBe("December 15, 2026");
  });

  it("renders in French from the extension's fr locale", async () => {
    const html = await render("blocks/backorder-badge", badgeScope([undatedBackorder()]), "fr");
    expect(html).toBe(
      '<div class="bk-badge" data-bk-badge style="--bk-bg: #FFF4E0; --bk-fg: #5C3B00;" >' +
        '<div class="bk-badge__live" role="status" aria-live="polite" data-bk-live>' +
        '<span class="bk-badge__pill"><span class="bk-badge__label">En réapprovisionnement</span> — expédié dès le retour en stock</span>' +
        '</div><div class="bk-badge__variants" aria-hidden="true" data-bk-variants>' +
        '<div data-variant-id="12"><span class="bk-badge__pill"><span class="bk-badge__label">En réapprovisionnement</span> — expédié dès le retour en stock</span></div>' +
        "</div></div>",
    );
  });
});

describe("snippets", () => {
  const state = (v: ReturnType<typeof variant>, quantity: number) =>
    render("snippets/backorder-state", { variant: v, quantity });

  it("backorder-state counts the units that ship later", async () => {
    expect(await state(datedBackorder(), 1)).toBe("1");
    expect(await state(undatedBackorder(), 2)).toBe("2");
    expect(await state(variant({ id: 1, title: "x", quantity: 1 }), 3)).toBe("2");
    expect(await state(inStock(), 4)).toBe("0");
    expect(await state(inStock(), 1)).toBe("0");
    expect(await state(deny(), 1)).toBe("0");
    expect(await state(untracked(), 1)).toBe("0");
  });

  it("backorder-expected-date formats a future date and nothing else", async () => {
    const date = (v: ReturnType<typeof variant>, show_date = true) =>
      render("snippets/backorder-expected-date", {
        variant: v,
        show_date,
        date_format: "abbreviated_date",
        today: "2026-11-26",
      });
    expect(await date(datedBackorder())).toBe("Dec 15, 2026");
    expect(await date(datedBackorder(), false)).toBe("");
    expect(await date(undatedBackorder())).toBe("");
    expect(await date(variant({ id: 1, title: "x", quantity: 0, expectedDate: "2026-11-01" }))).toBe("");
  });

  it("backorder-pill renders one variant's badge, or nothing", async () => {
    const scope = { label: "", show_date: true, date_format: "date", today: "2026-11-26" };
    expect(await render("snippets/backorder-pill", { ...scope, variant: datedBackorder() })).toBe(
      '<span class="bk-badge__pill"><span class="bk-badge__label">Backordered</span> — ships by December 15, 2026</span>',
    );
    expect(await render("snippets/backorder-pill", { ...scope, variant: undatedBackorder() }, "de")).toBe(
      '<span class="bk-badge__pill"><span class="bk-badge__label">Nachbestellt</span> — Versand, sobald wieder auf Lager</span>',
    );
    expect(await render("snippets/backorder-pill", { ...scope, variant: inStock() })).toBe("");
  });

  it("backorder-cart-line discloses a partly backordered line with plural and singular wording", async () => {
    const scope = { show_date: true, date_format: "date", today: "2026-11-26" };
    const partly = variant({ id: 41, title: "x", quantity: 1, expectedDate: "2026-12-15" });
    expect(await render("snippets/backorder-cart-line", { ...scope, item: cartItem(partly, 3) })).toBe(
      '<p class="bk-cart-note">2 of 3 ship later — expected by December 15, 2026</p>',
    );
    expect(await render("snippets/backorder-cart-line", { ...scope, item: cartItem(undatedBackorder(), 1) })).toBe(
      '<p class="bk-cart-note">1 of 1 ships later — ships when back in stock</p>',
    );
    expect(await render("snippets/backorder-cart-line", { ...scope, item: cartItem(partly, 1) })).toBe("");
    expect(await render("snippets/backorder-cart-line", { ...scope, item: cartItem(deny(), 2) })).toBe("");
  });

  it("backorder-cart-line: a cart of 5 with 2 in stock calls only the 3 short ones later, by the variant's date", async () => {
    const scope = { show_date: true, date_format: "date", today: "2026-11-26" };
    const twoLeft = variant({ id: 42, title: "M", quantity: 2, expectedDate: "2026-12-14" });
    expect(await render("snippets/backorder-cart-line", { ...scope, item: cartItem(twoLeft, 5) })).toBe(
      '<p class="bk-cart-note">3 of 5 ship later — expected by December 14, 2026</p>',
    );
  });

  it("backorder-cart-line leads with the line's title when given one, escaped", async () => {
    const scope = { show_date: true, date_format: "date", today: "2026-11-26" };
    const item = cartItem(undatedBackorder(), 2, "Jacket <script>alert(1)</script>");
    expect(await render("snippets/backorder-cart-line", { ...scope, item, title: item.title })).toBe(
      '<p class="bk-cart-note"><span class="bk-cart-note__title">Jacket &lt;script&gt;alert(1)&lt;/script&gt;</span>: ' +
        "2 of 2 ship later — ships when back in stock</p>",
    );
  });

  it("backorder-cart-line pluralises by the locale's rules", async () => {
    const scope = { show_date: true, date_format: "date", today: "2026-11-26" };
    expect(
      await render("snippets/backorder-cart-line", { ...scope, item: cartItem(undatedBackorder(), 2) }, "es"),
    ).toBe('<p class="bk-cart-note">2 de 2 se enviarán más tarde — se envía cuando vuelva a haber existencias</p>');
    expect(
      await render("snippets/backorder-cart-line", { ...scope, item: cartItem(undatedBackorder(), 1) }, "fr"),
    ).toBe('<p class="bk-cart-note">1 sur 1 sera expédié plus tard — expédié dès le retour en stock</p>');
  });

  it("backorder-card marks a product only when nothing in it ships now", async () => {
    expect(await render("snippets/backorder-card", { product: product("boots", [undatedBackorder(), deny()]) })).toBe(
      '<template data-bk-card="boots"></template>',
    );
    expect(
      await render("snippets/backorder-card", { product: product("boots", [undatedBackorder(), inStock()]) }),
    ).toBe("");
    expect(
      await render("snippets/backorder-card", { product: product("boots", [undatedBackorder(), untracked()]) }),
    ).toBe("");
    expect(await render("snippets/backorder-card", { product: product("boots", [deny()]) })).toBe("");
  });
});

describe("app embed (blocks/backorder-embed.liquid)", () => {
  it("puts a disclosure template for each backordered cart line, keyed by variant", async () => {
    const partly = variant({ id: 41, title: "x", quantity: 1, expectedDate: "2026-12-15" });
    const html = await render("blocks/backorder-embed", {
      request: { page_type: "cart" },
      cart: {
        items: [cartItem(partly, 3), cartItem(inStock(), 2), cartItem(undatedBackorder(), 1), cartItem(deny(), 1)],
      },
      app: app(),
      block: embedBlock(),
    });
    expect(html).toBe(
      '<template data-bk-line="41">' +
        '<p class="bk-cart-note">2 of 3 ship later — expected by December 15, 2026</p>' +
        '<p class="bk-cart-note"><span class="bk-cart-note__title">Trail jacket - x</span>: 2 of 3 ship later — expected by December 15, 2026</p>' +
        "</template>" +
        '<template data-bk-line="12">' +
        '<p class="bk-cart-note">1 of 1 ships later — ships when back in stock</p>' +
        '<p class="bk-cart-note"><span class="bk-cart-note__title">Trail jacket - Medium</span>: 1 of 1 ships later — ships when back in stock</p>' +
        "</template>",
    );
  });

  it("marks the cards of the current collection page only", async () => {
    const products = [
      product("jacket", [inStock(), undatedBackorder()]),
      product("boots", [undatedBackorder()]),
      product("hat", [datedBackorder()]),
      product("scarf", [deny()]),
    ];
    const scope = {
      request: { page_type: "collection" },
      collection: { products },
      app: app(),
      block: embedBlock({ page_size: 2 }),
    };
    const mark = '<template data-bk-card-mark><span class="bk-card-mark">Ships later</span></template>';
    expect(await render("blocks/backorder-embed", scope, "en", 1)).toBe(
      `<template data-bk-card="boots"></template>${mark}`,
    );
    expect(await render("blocks/backorder-embed", scope, "en", 2)).toBe(
      `<template data-bk-card="hat"></template>${mark}`,
    );
  });

  it("marks product results on search pages and skips other result types", async () => {
    const html = await render("blocks/backorder-embed", {
      request: { page_type: "search" },
      search: { results: [{ object_type: "article", handle: "news" }, product("boots", [undatedBackorder()])] },
      app: app(),
      block: embedBlock(),
    });
    expect(html).toBe(
      '<template data-bk-card="boots"></template><template data-bk-card-mark><span class="bk-card-mark">Ships later</span></template>',
    );
  });

  it("renders nothing when the badge is off, and nothing on other pages", async () => {
    const cart = { items: [cartItem(undatedBackorder(), 1)] };
    expect(
      await render("blocks/backorder-embed", {
        request: { page_type: "cart" },
        cart,
        app: app({ badgeEnabled: false }),
        block: embedBlock(),
      }),
    ).toBe("");
    expect(
      await render("blocks/backorder-embed", {
        request: { page_type: "index" },
        cart,
        app: app(),
        block: embedBlock(),
      }),
    ).toBe("");
  });
});
