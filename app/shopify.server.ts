import "@shopify/shopify-app-remix/adapters/node";
import { AppDistribution, boundary, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";

import prisma from "./db.server";
import { env } from "./env.server";
import { redirectAdminApi } from "./shopify/admin-origin.server";
import { CachedSessionStorage } from "./shopify/session-storage.server";
import { API_VERSION } from "./shopify/api-version";

// Local Shopify in tests and the demo: the library's Admin calls go where the app's gateway goes.
redirectAdminApi(env.SHOPIFY_ADMIN_API_ORIGIN);

const shopify = shopifyApp({
  apiKey: env.SHOPIFY_API_KEY,
  apiSecretKey: env.SHOPIFY_API_SECRET,
  apiVersion: API_VERSION,
  scopes: env.SCOPES.split(","),
  appUrl: env.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: new CachedSessionStorage(prisma),
  distribution: AppDistribution.AppStore,
  // Shopify managed install + token exchange: no OAuth redirects inside the admin iframe.
  future: { unstable_newEmbeddedAuthStrategy: true },
  logger: { level: env.NODE_ENV === "test" ? LogSeverity.Warning : LogSeverity.Info },
  // Webhooks are declared in shopify.app.toml, never registered from code.
  ...(env.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [env.SHOP_CUSTOM_DOMAIN] } : {}),
});

export default shopify;
export const apiVersion = API_VERSION;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
/**
 * The library answers an admin request from a bot-like User-Agent (curl, HeadlessChrome) with an empty 410, so
 * that crawlers never start an auth flow. The status stays; the body says why, for whoever tried.
 */
const admin: typeof shopify.authenticate.admin = async (request) => {
  try {
    return await shopify.authenticate.admin(request);
  } catch (thrown) {
    if (!(thrown instanceof Response) || thrown.status !== 410 || thrown.body !== null) throw thrown;
    const agent = request.headers.get("user-agent") ?? "";
    throw new Response(
      `410 Gone: this is the app's embedded admin, opened by Shopify admin with a session token. Requests whose ` +
        `User-Agent looks like a bot or a script ("${agent}") are not authenticated. Open the app from Shopify ` +
        `admin (or, against Local Shopify, from its admin frame: see the README), or send a browser's User-Agent.\n`,
      { status: 410, headers: { "Content-Type": "text/plain; charset=utf-8" } },
    );
  }
};

export const authenticate = { ...shopify.authenticate, admin };
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
export { boundary };
