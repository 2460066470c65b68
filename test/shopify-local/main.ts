/**
 * `npm run shopify:local`: runs Local Shopify on its own, seeded with one demo shop, and prints what the app needs.
 * Environment: PORT (default 3457), APP_URL (the app; unset = no webhooks, no install), SHOPIFY_API_SECRET (default
 * `local-secret`), TIME_SCALE (default 1). With APP_URL it waits for the app to answer, installs the app on the demo
 * shop through the app's own auth path (token exchange), and only then seeds the product, so no webhook fails
 * because the app was not up yet.
 */
import { installThroughApp, waitForApp } from "./install";
import { startLocalShopify } from "./server";

function env(name: string, fallback: string): string {
  const value = process.env[name];
  return value === undefined || value === "" ? fallback : value;
}

const API_KEY = "local-api-key";
const SCOPES =
  "read_orders,write_orders,read_customers,read_products,write_products,read_inventory,read_inventory_shipments,read_inventory_transfers,read_locations,read_merchant_managed_fulfillment_orders,write_merchant_managed_fulfillment_orders,read_third_party_fulfillment_orders,write_third_party_fulfillment_orders,write_app_proxy";
const port = Number(env("PORT", "3457"));
const timeScale = Number(env("TIME_SCALE", "1"));
const appUrl = process.env.APP_URL ? process.env.APP_URL.replace(/\/+$/, "") : undefined;
const apiSecret = env("SHOPIFY_API_SECRET", "local-secret");
if (!Number.isInteger(port) || port < 0) throw new Error(`PORT: "${process.env.PORT}" is not a port number`);
if (!(timeScale > 0)) throw new Error(`TIME_SCALE: "${process.env.TIME_SCALE}" must be a positive number`);

const local = await startLocalShopify({ port, appUrl, apiKey: API_KEY, apiSecret, timeScale });
const domain = "demo-shop.myshopify.com";

console.info(`Local Shopify on ${local.origin}`);
console.info("Run the app with these variables (e.g. put them in .env; `npm run build && npm start` reads it):");
console.info(`  SHOPIFY_API_KEY=${API_KEY}`);
console.info(`  SHOPIFY_API_SECRET=${apiSecret}`);
console.info(`  SHOPIFY_APP_URL=${appUrl ?? "http://127.0.0.1:3000"}`);
console.info(`  SHOPIFY_ADMIN_API_ORIGIN=${local.origin}`);
console.info(`  SCOPES=${SCOPES}`);

if (appUrl) {
  console.info(`Waiting for the app at ${appUrl} …`);
  await waitForApp(appUrl);
}
const shop = await local.control.createShop({ domain, locations: ["Main warehouse", "Overflow"] });
if (appUrl) {
  await installThroughApp({ appUrl, apiKey: API_KEY, apiSecret, shop: domain });
  console.info(`Installed the app on ${domain} through its /app (token exchange)`);
}
const product = await local.control.createProduct(shop.domain, {
  title: "Backorderable Mug",
  variants: [{ sku: "MUG-1", price: "12.00", inventoryPolicy: "CONTINUE", available: { [shop.locations[0]!.id]: 3 } }],
});

console.info(`  Admin API: POST ${local.origin}/admin/api/2026-10/graphql.json`);
console.info(`  shop ${shop.domain}, X-Shopify-Access-Token: ${shop.accessToken}`);
console.info(`  demo variant ${product.variants[0]!.gid} (SKU MUG-1); control API under ${local.origin}/_local/`);
console.info(
  `  restock: curl -X POST ${local.origin}/_local/shops/${domain}/inventory/adjust -d '{"sku":"MUG-1","delta":5}'`,
);
console.info(
  `  order:   curl -X POST ${local.origin}/_local/shops/${domain}/orders -d '{"lines":[{"variantId":${product.variants[0]!.id},"quantity":4}]}'`,
);
console.info(appUrl ? `  webhooks → ${appUrl}` : "  webhooks off, app not installed (set APP_URL)");
if (appUrl)
  console.info(`Open the app as Shopify admin frames it: ${local.origin}/admin/${domain}/apps/backorder-keeper`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void local.stop().then(() => process.exit(0));
  });
}
