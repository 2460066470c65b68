/**
 * Local Shopify's storefront preview (`/storefront/{shop}/…`): a product page, the `all` collection and a cart,
 * rendered from Local Shopify's state with the theme app extension's own Liquid (extensions/backorder-badge,
 * through test/theme/storefront.ts): the badge block on the product page, the app embed on every page. The theme
 * around the blocks is a plain stand-in; what the extension shows is exactly what its Liquid renders from the
 * app's metafields, at Local Shopify's clock.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

import { createStorefront, escapeHtml, EXTENSION_DIR, schemaDefaults, type Locale } from "../../theme/storefront";
import type { Runtime } from "../store/runtime";
import type { Shop } from "../store/state";
import { answerAccount, forwardToApp, loggedInCustomer, type AppProxyConfig } from "./app-proxy";
import { liquidApp, liquidCartItem, liquidProduct, type LiquidProduct } from "./objects";
import { cartPage, collectionPage, layout, productPage, type Page } from "./theme";

export interface StorefrontRequest {
  method: string;
  pathname: string;
  query: URLSearchParams;
  cookie: string | undefined;
  body: string;
  /** Every request header, for the app proxy (which passes them on without Cookie). */
  headers?: Record<string, string | string[] | undefined>;
}

/** The app's proxy as its TOML declares it, and the secret Shopify signs the forwarded requests with. */
export interface StorefrontApp {
  proxy: AppProxyConfig | null;
  apiSecret: string;
}

export interface StorefrontAnswer {
  status: number;
  body: string;
  contentType: string;
  headers?: Record<string, string>;
}

const LOCALES: readonly Locale[] = ["en", "fr", "de", "es"];
const ASSETS: Record<string, string> = { "backorder-badge.js": "text/javascript", "backorder-badge.css": "text/css" };
const CART_COOKIE = "bk_cart";

type Cart = { variantId: number; quantity: number }[];

/** `12:3,14:1`: the cart as Shopify's cart permalinks write it, also the cart cookie's value. */
function parseCart(text: string | undefined): Cart | null {
  if (!text) return [];
  const cart: Cart = [];
  for (const part of text.split(",")) {
    const match = /^(\d+):(\d+)$/.exec(part.trim());
    if (!match) return null;
    cart.push({ variantId: Number(match[1]), quantity: Number(match[2]) });
  }
  return cart;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  const entry = header?.split(";").find((part) => part.trim().startsWith(`${name}=`));
  return entry ? decodeURIComponent(entry.trim().slice(name.length + 1)) : undefined;
}

const html = (status: number, body: string, headers?: Record<string, string>): StorefrontAnswer => ({
  status,
  body,
  contentType: "text/html; charset=utf-8",
  headers,
});

interface Context {
  rt: Runtime;
  shop: Shop;
  base: string;
  locale: Locale;
  now: Date;
}

function productsOf(ctx: Context): LiquidProduct[] {
  return [...ctx.shop.products.values()]
    .filter((p) => p.status === "ACTIVE")
    .map((p) => liquidProduct(ctx.shop, ctx.rt.app.id, p));
}

/** The app embed (target `body`), which Shopify renders on every page, with the page's objects. */
async function renderPage(ctx: Context, page: Page, objects: Record<string, unknown>, pageNumber = 1) {
  const liquid = createStorefront({ locale: ctx.locale, now: ctx.now, page: pageNumber });
  const embed = await liquid.renderFile(path.join(EXTENSION_DIR, "blocks/backorder-embed"), {
    ...objects,
    request: { page_type: page.type },
    app: liquidApp(ctx.shop),
    block: { shopify_attributes: "", settings: schemaDefaults("backorder-embed") },
  });
  return layout(ctx, page, embed);
}

async function productAnswer(ctx: Context, handle: string, query: URLSearchParams): Promise<StorefrontAnswer> {
  const found = [...ctx.shop.products.values()].find((p) => p.handle === handle && p.status === "ACTIVE");
  if (!found) return html(404, layout(ctx, { type: "404", title: "Not found", body: "<h1>No such product</h1>" }, ""));
  const product = liquidProduct(ctx.shop, ctx.rt.app.id, found, Number(query.get("variant")) || undefined);
  const liquid = createStorefront({ locale: ctx.locale, now: ctx.now });
  const badge = await liquid.renderFile(path.join(EXTENSION_DIR, "blocks/backorder-badge"), {
    product,
    app: liquidApp(ctx.shop),
    block: { shopify_attributes: "", settings: schemaDefaults("backorder-badge") },
  });
  const page = productPage(ctx, product, badge);
  return html(200, await renderPage(ctx, page, { product }));
}

async function collectionAnswer(ctx: Context, query: URLSearchParams): Promise<StorefrontAnswer> {
  const size = Number(schemaDefaults("backorder-embed").page_size);
  const products = productsOf(ctx);
  const pages = Math.max(1, Math.ceil(products.length / size));
  const current = Math.min(pages, Math.max(1, Number(query.get("page")) || 1));
  const page = collectionPage(ctx, products.slice((current - 1) * size, current * size), current, pages);
  return html(200, await renderPage(ctx, page, { collection: { handle: "all", products } }, current));
}

async function cartAnswer(ctx: Context, cart: Cart): Promise<StorefrontAnswer> {
  const items = [];
  for (const line of cart) {
    const variant = ctx.shop.variants.get(line.variantId);
    const product = variant && ctx.shop.products.get(variant.productId);
    if (!variant || !product) {
      const body = `<h1>No variant ${line.variantId} in ${escapeHtml(ctx.shop.domain)}</h1>`;
      return html(404, layout(ctx, { type: "404", title: "Not found", body }, ""));
    }
    const liquid = liquidProduct(ctx.shop, ctx.rt.app.id, product, variant.id);
    items.push(liquidCartItem(liquid, liquid.selected_or_first_available_variant!, line.quantity));
  }
  const page = cartPage(ctx, items);
  return html(200, await renderPage(ctx, page, { cart: { items, item_count: items.length } }));
}

/** `POST …/cart/add` (`id`, `quantity`): the theme's add-to-cart form; the cart lives in a cookie. */
function addToCart(ctx: Context, request: StorefrontRequest): StorefrontAnswer {
  const form = new URLSearchParams(request.body);
  const variantId = Number(form.get("id"));
  const quantity = Math.max(1, Math.floor(Number(form.get("quantity") ?? 1)) || 1);
  if (!ctx.shop.variants.has(variantId)) return html(422, `No variant ${escapeHtml(String(form.get("id")))}`);
  const cart = parseCart(cookieValue(request.cookie, CART_COOKIE)) ?? [];
  const line = cart.find((l) => l.variantId === variantId);
  if (line) line.quantity += quantity;
  else cart.push({ variantId, quantity });
  const value = encodeURIComponent(cart.map((l) => `${l.variantId}:${l.quantity}`).join(","));
  return html(303, "", {
    Location: `${ctx.base}/cart`,
    "Set-Cookie": `${CART_COOKIE}=${value}; Path=${ctx.base}; SameSite=Lax`,
  });
}

/** The login form of the preview's customer accounts (any customer's email; no passwords here). */
function loginPage(ctx: Context, returnTo: string): StorefrontAnswer {
  const body = `<h1>Log in</h1><form method="post" action="${ctx.base}/account/login">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="email" required>
<input type="hidden" name="return_to" value="${escapeHtml(returnTo)}"><button type="submit">Log in</button></form>`;
  return html(200, layout(ctx, { type: "404", title: "Log in", body }, ""));
}

/** `{storefront}[/{locale}]/apps/backorders/…`: forwarded to the app, its Liquid answer rendered in the theme. */
async function proxyAnswer(ctx: Context, app: StorefrontApp, request: StorefrontRequest, rest: string) {
  const customer = loggedInCustomer(ctx.rt, ctx.shop, request.cookie);
  const rootUrl = ctx.locale === "en" ? ctx.base : `${ctx.base}/${ctx.locale}`;
  const answer = await forwardToApp(
    app.proxy!,
    app.apiSecret,
    { method: request.method, rest, query: request.query, headers: request.headers ?? {}, body: request.body },
    { shop: ctx.shop, customer, locale: ctx.locale, rootUrl },
    (content) => layout(ctx, { type: "404", title: ctx.shop.name, body: content }, ""),
  );
  return answer;
}

export async function answerStorefront(
  rt: Runtime,
  request: StorefrontRequest,
  app: StorefrontApp = { proxy: null, apiSecret: "" },
): Promise<StorefrontAnswer> {
  const [domain = "", ...parts] = request.pathname.replace(/^\/storefront\/?/, "").split("/");
  const shop = rt.shopsByDomain.get(domain);
  if (!shop) return html(404, `<!doctype html><p>No shop ${escapeHtml(domain)} in Local Shopify.</p>`);
  // Shopify serves a language under its subfolder (/fr/…); the preview also takes ?locale=.
  const folder = LOCALES.includes(parts[0] as Locale) && parts[0] !== "en" ? (parts.shift() as Locale) : null;
  const rest = parts;
  const requested = folder ?? (request.query.get("locale") as Locale | null);
  const locale = requested && LOCALES.includes(requested) ? requested : "en";
  const ctx: Context = { rt, shop, base: `/storefront/${domain}`, locale, now: new Date(rt.clock.nowMs()) };
  const route = rest.join("/");
  const prefix = app.proxy?.pathPrefix.slice(1);
  if (prefix && (route === prefix || route.startsWith(`${prefix}/`))) {
    return proxyAnswer(ctx, app, request, `/${route}`.slice(prefix.length + 1));
  }
  if (route === "account/login" && request.method === "GET")
    return loginPage(ctx, request.query.get("return_to") ?? ctx.base);
  if (request.method === "POST" && (route === "account/login" || route === "account/logout"))
    return answerAccount(rt, shop, ctx.base, route.slice("account/".length), request.body);
  if (request.method === "POST" && route === "cart/add") return addToCart(ctx, request);
  if (request.method !== "GET") return html(405, "Method not allowed");
  if (route === "") return html(302, "", { Location: `${ctx.base}/collections/all` });
  if (route === "collections/all") return collectionAnswer(ctx, request.query);
  if (route === "cart") return cartAnswer(ctx, parseCart(cookieValue(request.cookie, CART_COOKIE)) ?? []);
  const permalink = /^cart\/([\d:,]+)$/.exec(route)?.[1];
  const cart = permalink ? parseCart(permalink) : null;
  if (cart) return cartAnswer(ctx, cart);
  const handle = /^products\/([^/]+)$/.exec(route)?.[1];
  if (handle) return productAnswer(ctx, decodeURIComponent(handle), request.query);
  const asset = /^assets\/([\w.-]+)$/.exec(route)?.[1];
  if (asset && ASSETS[asset]) {
    const body = readFileSync(path.join(EXTENSION_DIR, "assets", asset), "utf8");
    return { status: 200, body, contentType: `${ASSETS[asset]}; charset=utf-8` };
  }
  return html(404, layout(ctx, { type: "404", title: "Not found", body: "<h1>Not found</h1>" }, ""));
}
