import { env, isShopifyOrigin } from "../env.server";

// Local mode's admin: docs/decisions/0016-demo.md. Against Shopify every function here changes nothing.
export const SHOPIFY_APP_BRIDGE_URL = "https://cdn.shopify.com/shopifycloud/app-bridge.js";
export const LOCAL_APP_BRIDGE_PATH = "/_local/app-bridge.js";

export function localAdminOrigin(adminOrigin = env.SHOPIFY_ADMIN_API_ORIGIN): string | null {
  if (!adminOrigin || isShopifyOrigin(adminOrigin)) return null;
  return new URL(adminOrigin).origin;
}

export function appBridgeUrl(adminOrigin = env.SHOPIFY_ADMIN_API_ORIGIN): string {
  const local = localAdminOrigin(adminOrigin);
  return local ? `${local}${LOCAL_APP_BRIDGE_PATH}` : SHOPIFY_APP_BRIDGE_URL;
}

/** The library names only Shopify admin in `frame-ancestors` and preloads the CDN's App Bridge. */
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

/** The library's bounce page loads App Bridge from the CDN, which never hands the page a token offline. */
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
