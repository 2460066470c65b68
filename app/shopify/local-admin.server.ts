import { env, isShopifyOrigin } from "../env.server";

/**
 * Local mode's admin (docs/decisions/0016-demo.md): when the Admin origin is Local Shopify, the app's pages open in
 * Local Shopify's admin frame, and App Bridge, whose CDN is unreachable offline, comes from Local Shopify's
 * stand-in. Against Shopify (SHOPIFY_ADMIN_API_ORIGIN unset or a Shopify host) every function here leaves
 * Shopify's behaviour as it is.
 */
export const SHOPIFY_APP_BRIDGE_URL = "https://cdn.shopify.com/shopifycloud/app-bridge.js";
/** Local Shopify serves its stand-in here (test/shopify-local/app-bridge/). */
export const LOCAL_APP_BRIDGE_PATH = "/_local/app-bridge.js";

/** Local Shopify's origin in local mode; null against Shopify. */
export function localAdminOrigin(adminOrigin = env.SHOPIFY_ADMIN_API_ORIGIN): string | null {
  if (!adminOrigin || isShopifyOrigin(adminOrigin)) return null;
  return new URL(adminOrigin).origin;
}

/** The App Bridge script the app's pages load: Shopify's CDN, or Local Shopify's stand-in in local mode. */
export function appBridgeUrl(adminOrigin = env.SHOPIFY_ADMIN_API_ORIGIN): string {
  const local = localAdminOrigin(adminOrigin);
  return local ? `${local}${LOCAL_APP_BRIDGE_PATH}` : SHOPIFY_APP_BRIDGE_URL;
}

/**
 * The library's document headers name only Shopify admin in `frame-ancestors` and preload the CDN's App Bridge;
 * in local mode Local Shopify's admin frame may frame the app too, and the preload names the stand-in.
 */
export function allowLocalAdminFrame(headers: Headers, adminOrigin = env.SHOPIFY_ADMIN_API_ORIGIN): void {
  const local = localAdminOrigin(adminOrigin);
  if (!local) return;
  const policy = headers.get("Content-Security-Policy");
  if (policy?.startsWith("frame-ancestors ")) {
    headers.set("Content-Security-Policy", policy.replace("frame-ancestors ", `frame-ancestors ${local} `));
  }
  if (headers.get("Link")?.includes(SHOPIFY_APP_BRIDGE_URL)) {
    headers.set("Link", `<${appBridgeUrl(adminOrigin)}>; rel="preload"; as="script";`);
  }
}

/**
 * Local mode's bounce page (`/auth/session-token`): the library's own loads App Bridge from the CDN, which would
 * never hand the page a token offline. The stand-in does what App Bridge does there: reloads `shopify-reload`
 * with a fresh session token.
 */
export function localBouncePage(adminOrigin = env.SHOPIFY_ADMIN_API_ORIGIN): Response | null {
  const local = localAdminOrigin(adminOrigin);
  if (!local) return null;
  const headers = {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": `frame-ancestors ${local};`,
  };
  const apiKey = env.SHOPIFY_API_KEY.replace(/[^A-Za-z0-9_-]/g, "");
  return new Response(`<script data-api-key="${apiKey}" src="${appBridgeUrl(adminOrigin)}"></script>\n`, { headers });
}
