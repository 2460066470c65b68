// Backorder Keeper storefront script: no framework, no network. Everything it shows was rendered
// by Liquid; this only copies it into place.
(() => {
  const doc = document;
  const all = (selector, root = doc) => root.querySelectorAll(selector);
  const ADD_FORM_ID = 'form[action*="/cart/add"] [name="id"]';

  // Product page: follow the selected variant.
  const badges = all("[data-bk-badge]");
  const show = (variantId) => {
    if (!variantId) return;
    badges.forEach((badge) => {
      const live = badge.querySelector("[data-bk-live]");
      const source = badge.querySelector(`[data-bk-variants] [data-variant-id="${CSS.escape(variantId)}"]`);
      if (!source || live.textContent === source.textContent) return;
      // Same node, new children: screen readers announce the change through aria-live.
      live.replaceChildren(...source.cloneNode(true).childNodes);
    });
  };
  const fromUrl = () => new URL(location.href).searchParams.get("variant");
  const fromForm = (target) => {
    const form = target.closest && target.closest('form[action*="/cart/add"]');
    const input = (form || doc).querySelector(form ? '[name="id"]' : ADD_FORM_ID);
    return input && input.value;
  };
  if (badges.length) {
    // Themes update the form and the URL at different moments; follow whichever changes.
    doc.addEventListener("change", (event) => setTimeout(() => show(fromForm(event.target))));
    addEventListener("popstate", () => show(fromUrl()));
    ["pushState", "replaceState"].forEach((method) => {
      const original = history[method];
      history[method] = function (...args) {
        const result = original.apply(this, args);
        show(fromUrl());
        return result;
      };
    });
  }

  // Collection and search pages: label the cards of products that ship later.
  const mark = doc.querySelector("template[data-bk-card-mark]");
  if (mark) {
    // Liquid prints handles as they are; a link's pathname percent-encodes non-ASCII ones.
    const handles = new Set([...all("template[data-bk-card]")].map((t) => encodeURI(t.dataset.bkCard)));
    all('a[href*="/products/"]').forEach((link) => {
      if (!handles.has(new URL(link.href).pathname.split("/products/")[1])) return;
      const card = link.closest("li, article, .card-wrapper, .product-card") || link.parentElement;
      if (card.querySelector(".bk-card-mark")) return;
      // Absolutely placed over the card, so adding it moves nothing.
      if (getComputedStyle(card).position === "static") card.style.position = "relative";
      card.append(mark.content.cloneNode(true));
    });
  }

  // Cart page: each line's note goes right after the line's product link; when the theme links
  // lines without ?variant=, the titled note goes to the top of the cart form instead.
  all("template[data-bk-line]").forEach((notes) => {
    const form = doc.querySelector('form[action$="/cart"]');
    const link = [...all('a[href*="variant="]', form || doc)].find(
      (a) => new URL(a.href).searchParams.get("variant") === notes.dataset.bkLine,
    );
    const { firstElementChild: inline, lastElementChild: titled } = notes.content;
    if (link) link.after(inline.cloneNode(true));
    else if (form) form.prepend(titled.cloneNode(true));
  });
})();
