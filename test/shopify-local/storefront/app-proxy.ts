/**
 * Local Shopify's app proxy: `{storefront}/apps/backorders/…` (the app's `[app_proxy]` prefix and subpath) is
 * forwarded to the app's proxy URL as Shopify forwards it (shopify.dev "Authenticate app proxies"): the path
 * after the subpath appended to the proxy URL; the query kept and `shop`, `logged_in_customer_id` (blank when no
 * customer is logged in), `path_prefix` and `timestamp` added; `signature` = hex HMAC-SHA256, keyed with the app's
 * secret, of every parameter but `signature` sorted by name as `key=value` joined with nothing (several values of
 * one key joined by commas); the request's Cookie header removed, its body (a form's POST) passed on. An answer
 * of type `application/liquid` is rendered by the storefront with the shop's theme around it (none after
 * `{% layout none %}`); any other answer is passed on as it came, without Set-Cookie.
 *
 * Customers log in on the preview with `POST {storefront}/account/login` (`email`: any customer of the shop; the
 * preview has no passwords) and out with `POST …/account/logout`; the session is an opaque cookie, as Shopify's.
 */
import { createHmac, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";

import { Liquid } from "liquidjs";
import { parse } from "smol-toml";

import { escapeHtml } from "../../theme/storefront";
import type { Runtime } from "../store/runtime";
import type { Customer, Shop } from "../store/state";

export interface AppProxyConfig {
  /** Where Shopify sends the requests: the TOML's `url`, resolved against the app's URL. */
  url: string;
  /** `/{prefix}/{subpath}` on the storefront, e.g. `/apps/backorders`. */
  pathPrefix: string;
}

/** Reads `[app_proxy]` from the app's shopify.app.toml; null when the app declares none. */
export function readAppProxy(tomlPath: string, appUrl: string | undefined): AppProxyConfig | null {
  const config = parse(readFileSync(tomlPath, "utf8")) as {
    app_proxy?: { url?: string; prefix?: string; subpath?: string };
  };
  const proxy = config.app_proxy;
  if (!proxy || !appUrl) return null;
  if (!proxy.url || !proxy.prefix || !proxy.subpath)
    throw new Error(`${tomlPath}: [app_proxy] needs url, prefix, subpath`);
  // Shopify's prefixes: apps, a, community, tools (the merchant may change the subpath in their admin).
  if (!["apps", "a", "community", "tools"].includes(proxy.prefix))
    throw new Error(`${tomlPath}: [app_proxy] prefix "${proxy.prefix}" is not one of apps, a, community, tools`);
  return {
    url: new URL(proxy.url, appUrl).toString().replace(/\/$/, ""),
    pathPrefix: `/${proxy.prefix}/${proxy.subpath}`,
  };
}

/** Shopify's app proxy signature over the forwarded query (shopify.dev "Authenticate app proxies"). */
export function proxySignature(query: URLSearchParams, secret: string): string {
  const values = new Map<string, string[]>();
  for (const [key, value] of query) if (key !== "signature") values.set(key, [...(values.get(key) ?? []), value]);
  const message = [...values.keys()]
    .sort()
    .map((key) => `${key}=${values.get(key)!.join(",")}`)
    .join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}

const sessions = new WeakMap<Runtime, Map<string, { shop: string; customerId: number }>>();
export const SESSION_COOKIE = "_local_customer_session";

function sessionsOf(rt: Runtime) {
  let map = sessions.get(rt);
  if (!map) sessions.set(rt, (map = new Map()));
  return map;
}

/** The customer logged in on this shop's storefront, from the session cookie. */
export function loggedInCustomer(rt: Runtime, shop: Shop, cookie: string | undefined): Customer | null {
  const id = cookie
    ?.split(";")
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${SESSION_COOKIE}=`))
    ?.slice(SESSION_COOKIE.length + 1);
  const session = id ? sessionsOf(rt).get(id) : undefined;
  return session && session.shop === shop.domain ? (shop.customers.get(session.customerId) ?? null) : null;
}

export interface Answer {
  status: number;
  body: string;
  contentType: string;
  headers?: Record<string, string>;
}

/** `POST …/account/login` (`email`) and `…/account/logout`: the preview's stand-in for customer accounts. */
export function answerAccount(rt: Runtime, shop: Shop, base: string, action: string, body: string): Answer {
  const form = new URLSearchParams(body);
  const back = form.get("return_to")?.startsWith(base) ? form.get("return_to")! : base;
  if (action === "logout") {
    return {
      status: 303,
      body: "",
      contentType: "text/plain",
      headers: { Location: back, "Set-Cookie": `${SESSION_COOKIE}=; Path=${base}; Max-Age=0` },
    };
  }
  const customer = [...shop.customers.values()].find((c) => c.email === form.get("email"));
  if (!customer) return { status: 422, body: "No customer with that email", contentType: "text/plain; charset=utf-8" };
  const id = randomBytes(16).toString("hex");
  sessionsOf(rt).set(id, { shop: shop.domain, customerId: customer.id });
  const cookie = `${SESSION_COOKIE}=${id}; Path=${base}; HttpOnly; SameSite=Lax`;
  return { status: 303, body: "", contentType: "text/plain", headers: { Location: back, "Set-Cookie": cookie } };
}

export interface ProxyRequest {
  method: string;
  /** The path after the proxy's path prefix, e.g. `/orders/12`. */
  rest: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** The storefront's own objects that a proxied Liquid answer can use. */
export interface ProxyLiquidContext {
  shop: Shop;
  customer: Customer | null;
  /** The storefront's language: `request.locale.iso_code`. */
  locale: string;
  /** `routes.root_url`: the storefront's root for that language (`/fr` on Shopify, the preview's base here). */
  rootUrl: string;
}

// Headers a proxy does not pass on (hop-by-hop) or that Shopify removes (Cookie); the rest go to the app.
const DROPPED = new Set([
  "cookie",
  "host",
  "connection",
  "content-length",
  "keep-alive",
  "transfer-encoding",
  "accept-encoding",
]);

/** Forwards one storefront request to the app's proxy URL, signed, and renders the app's Liquid answer. */
export async function forwardToApp(
  config: AppProxyConfig,
  secret: string,
  request: ProxyRequest,
  ctx: ProxyLiquidContext,
  wrap: (content: string) => string,
): Promise<Answer> {
  const query = new URLSearchParams(request.query);
  for (const name of ["shop", "logged_in_customer_id", "path_prefix", "timestamp", "signature"]) query.delete(name);
  query.set("shop", ctx.shop.domain);
  query.set("logged_in_customer_id", ctx.customer ? String(ctx.customer.id) : "");
  query.set("path_prefix", config.pathPrefix);
  // Real seconds, not Local Shopify's clock: the signature's age is checked against the app's system clock.
  query.set("timestamp", String(Math.floor(Date.now() / 1000)));
  query.set("signature", proxySignature(query, secret));
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (DROPPED.has(name.toLowerCase()) || value === undefined) continue;
    headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const response = await fetch(`${config.url}${request.rest}?${query.toString()}`, {
    method: request.method,
    headers,
    body: request.method === "GET" || request.method === "HEAD" ? undefined : request.body,
    redirect: "manual",
  });
  const text = await response.text();
  const type = response.headers.get("content-type") ?? "text/plain";
  const passed: Record<string, string> = {};
  const location = response.headers.get("location");
  if (location) passed.Location = location;
  if (!type.startsWith("application/liquid"))
    return { status: response.status, body: text, contentType: type, headers: passed };
  const layoutNone = /^\s*\{%-?\s*layout\s+none\s*-?%\}/.exec(text);
  const content = await renderProxyLiquid(layoutNone ? text.slice(layoutNone[0].length) : text, ctx);
  return {
    status: response.status,
    body: layoutNone ? content : wrap(content),
    contentType: "text/html; charset=utf-8",
    headers: passed,
  };
}

/** Renders the app's Liquid with the storefront's objects; an unknown filter fails loudly, as a test should. */
async function renderProxyLiquid(source: string, ctx: ProxyLiquidContext): Promise<string> {
  const liquid = new Liquid({ strictFilters: true, cache: false });
  liquid.registerFilter("escape", escapeHtml);
  return liquid.parseAndRender(source, {
    shop: { name: ctx.shop.name, permanent_domain: ctx.shop.domain, currency: ctx.shop.currency },
    customer: ctx.customer
      ? { id: ctx.customer.id, first_name: ctx.customer.firstName, email: ctx.customer.email }
      : null,
    request: { locale: { iso_code: ctx.locale }, page_type: "app_proxy" },
    routes: {
      root_url: ctx.rootUrl,
      account_login_url: `${ctx.rootUrl.replace(/\/$/, "")}/account/login`,
    },
  });
}
