/**
 * The stand-in theme around the extension's blocks: a header, a product form, a product grid and a cart table,
 * with the markup the extension's script looks for (an add-to-cart form with `[name=id]`, product links under
 * `/products/`, cart lines linked with `?variant=` inside `form[action$="/cart"]`). Nothing here decides what the
 * badge says: that is the extension's Liquid.
 */
import { escapeHtml } from "../../theme/storefront";
import type { Shop } from "../store/state";
import type { liquidCartItem, LiquidProduct } from "./objects";

export interface Page {
  type: "product" | "collection" | "cart" | "404";
  title: string;
  body: string;
}

interface ThemeContext {
  shop: Shop;
  base: string;
  locale: string;
  now: Date;
}

type CartItem = ReturnType<typeof liquidCartItem>;

export function money(shop: Shop, cents: number): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency: shop.currency }).format(cents / 100);
}

const STYLE = `
body{margin:0;font:16px/1.5 -apple-system,"Segoe UI",sans-serif;color:#1a1a1a;background:#fff}
.site{display:flex;justify-content:space-between;align-items:center;padding:16px 32px;border-bottom:1px solid #e5e5e5}
.site a{color:inherit;text-decoration:none}.brand{font-weight:700;font-size:20px}.site nav a{margin-left:24px}
.note{margin:0;padding:6px 32px;background:#f6f6f7;color:#616161;font-size:13px}
main{max-width:960px;margin:32px auto;padding:0 32px}
.product{display:grid;grid-template-columns:1fr 1fr;gap:40px}
.media{aspect-ratio:1;border-radius:12px;background:linear-gradient(135deg,#dfe9e2,#b8cfc0);display:grid;place-items:center;font-size:96px;color:#fff}
.price{font-size:20px;margin:4px 0 16px}
form label{display:block;margin:12px 0 4px;font-size:14px}form select,form input{font:inherit;padding:8px;min-width:12rem}
button{font:inherit;margin-top:16px;padding:10px 24px;border:0;border-radius:8px;background:#1a1a1a;color:#fff;cursor:pointer}
button[disabled]{background:#8a8a8a;cursor:not-allowed}
.grid{list-style:none;padding:0;display:grid;grid-template-columns:repeat(3,1fr);gap:24px}
.grid li{border:1px solid #e5e5e5;border-radius:12px;padding:40px 16px 16px}.grid a{color:inherit;font-weight:600}
table{width:100%;border-collapse:collapse}th,td{text-align:left;padding:12px 8px;border-bottom:1px solid #e5e5e5}
td a{color:inherit}.subtotal{text-align:right;font-weight:600}.pages a{margin-right:12px}
`;

export function layout(ctx: ThemeContext, page: Page, embed: string): string {
  const { shop, base } = ctx;
  const stamp = ctx.now.toISOString().replace(/\.\d{3}Z$/, "Z");
  return `<!doctype html><html lang="${ctx.locale}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(page.title)} · ${escapeHtml(shop.name)}</title>
<link rel="stylesheet" href="${base}/assets/backorder-badge.css"><script src="${base}/assets/backorder-badge.js" defer></script>
<style>${STYLE}</style></head><body>
<header class="site"><a class="brand" href="${base}/collections/all">${escapeHtml(shop.name)}</a>
<nav><a href="${base}/collections/all">Catalog</a><a href="${base}/cart">Cart</a></nav></header>
<p class="note">Storefront preview by Local Shopify at ${stamp} (its clock): the theme is a stand-in; badges, card labels and cart notes are the theme app extension's Liquid with the app's metafields.</p>
<main>${page.body}</main>${embed}</body></html>`;
}

export function productPage(ctx: ThemeContext, product: LiquidProduct, badge: string): Page {
  const selected = product.selected_or_first_available_variant!;
  const options = product.variants
    .map(
      (v) =>
        `<option value="${v.id}" data-price="${escapeHtml(money(ctx.shop, v.price))}"${v === selected ? " selected" : ""}>${escapeHtml(v.title)}</option>`,
    )
    .join("");
  const picker =
    product.variants.length > 1
      ? `<label for="variant-select">Variant</label><select id="variant-select" name="id">${options}</select>`
      : `<input type="hidden" name="id" value="${selected.id}">`;
  // Theme behaviour: the variant picker updates the price and the URL (the extension's script follows either).
  const script = `<script>document.getElementById("variant-select")?.addEventListener("change", (event) => {
  const option = event.target.selectedOptions[0];
  document.getElementById("price").textContent = option.dataset.price;
  history.replaceState(null, "", "?variant=" + option.value);
});</script>`;
  const body = `<div class="product"><div class="media" aria-hidden="true">${escapeHtml(product.title.slice(0, 1))}</div><div>
<h1>${escapeHtml(product.title)}</h1><p class="price" id="price">${escapeHtml(money(ctx.shop, selected.price))}</p>
<form action="${ctx.base}/cart/add" method="post">${picker}
<label for="quantity">Quantity</label><input id="quantity" name="quantity" type="number" min="1" value="1">
<div class="shopify-block shopify-app-block">${badge}</div>
<button type="submit">Add to cart</button></form></div></div>${script}`;
  return { type: "product", title: product.title, body };
}

export function collectionPage(ctx: ThemeContext, products: LiquidProduct[], page: number, pages: number): Page {
  const cards = products
    .map((p) => {
      const from = Math.min(...p.variants.map((v) => v.price));
      return `<li><a href="${ctx.base}/products/${encodeURIComponent(p.handle)}">${escapeHtml(p.title)}</a><p>${escapeHtml(money(ctx.shop, from))}</p></li>`;
    })
    .join("");
  const links = Array.from({ length: pages }, (_, i) =>
    i + 1 === page ? `<span>${i + 1}</span>` : `<a href="?page=${i + 1}">${i + 1}</a>`,
  ).join(" ");
  const body = `<h1>Catalog</h1><ul class="grid">${cards}</ul>${pages > 1 ? `<p class="pages">${links}</p>` : ""}`;
  return { type: "collection", title: "Catalog", body };
}

export function cartPage(ctx: ThemeContext, items: CartItem[]): Page {
  if (items.length === 0) return { type: "cart", title: "Cart", body: "<h1>Your cart</h1><p>Your cart is empty.</p>" };
  const rows = items
    .map(
      (item) =>
        `<tr><td><a href="${ctx.base}/products/${encodeURIComponent(item.product.handle)}?variant=${item.variant_id}">${escapeHtml(item.title)}</a></td>` +
        `<td>${item.quantity}</td><td>${escapeHtml(money(ctx.shop, item.line_price))}</td></tr>`,
    )
    .join("");
  const subtotal = items.reduce((sum, item) => sum + item.line_price, 0);
  const body = `<h1>Your cart</h1><form action="${ctx.base}/cart" method="post"><table>
<thead><tr><th>Product</th><th>Quantity</th><th>Total</th></tr></thead><tbody>${rows}</tbody></table>
<p class="subtotal">Subtotal ${escapeHtml(money(ctx.shop, subtotal))}</p>
<button type="button" disabled title="The preview has no checkout: place orders through the control API">Check out</button></form>`;
  return { type: "cart", title: "Cart", body };
}
