import "@shopify/shopify-app-remix/adapters/node";
import { AppDistribution, boundary, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";

import prisma from "./db.server";
import { env } from "./env.server";
import { redirectAdminApi } from "./shopify/admin-origin.server";
import { explainBotRefusal } from "./shopify/bot-check.server";
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
const OPEN_HINT = env.SHOPIFY_ADMIN_API_ORIGIN
  ? `Against Local Shopify, open ${env.SHOPIFY_ADMIN_API_ORIGIN}/admin/{shop}/apps/backorder-keeper in a browser (npm run shopify:local prints the URL).`
  : "Open it from the store's admin (Apps → Backorder Keeper).";
export const authenticate = {
  ...shopify.authenticate,
  admin: explainBotRefusal(shopify.authenticate.admin, OPEN_HINT),
};
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
export { boundary };
