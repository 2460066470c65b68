/**
 * `npm run shopify:local`: runs Local Shopify on its own, seeded with one demo shop.
 * Environment: PORT (default 3457), APP_URL (where webhooks go; unset = none sent),
 * SHOPIFY_API_SECRET (webhook HMAC key), TIME_SCALE (default 1).
 */
import { startLocalShopify } from "./server";

function env(name: string, fallback: string): string {
  const value = process.env[name];
  return value === undefined || value === "" ? fallback : value;
}

const port = Number(env("PORT", "3457"));
const timeScale = Number(env("TIME_SCALE", "1"));
if (!Number.isInteger(port) || port < 0) throw new Error(`PORT: "${process.env.PORT}" is not a port number`);
if (!(timeScale > 0)) throw new Error(`TIME_SCALE: "${process.env.TIME_SCALE}" must be a positive number`);

const apiSecret = env("SHOPIFY_API_SECRET", "local-secret");
const local = await startLocalShopify({
  port,
  appUrl: process.env.APP_URL || undefined,
  apiSecret,
  timeScale,
});
const shop = await local.control.createShop({
  domain: "demo-shop.myshopify.com",
  locations: ["Main warehouse", "Overflow"],
});
const product = await local.control.createProduct(shop.domain, {
  title: "Backorderable Mug",
  variants: [{ sku: "MUG-1", price: "12.00", inventoryPolicy: "CONTINUE", available: { [shop.locations[0]!.id]: 3 } }],
});

console.info(`Local Shopify on ${local.origin}`);
console.info(`  Admin API: POST ${local.origin}/admin/api/2026-10/graphql.json`);
console.info(`  shop ${shop.domain}, X-Shopify-Access-Token: ${shop.accessToken}`);
console.info(
  `  for the app: SHOPIFY_API_KEY=local-api-key SHOPIFY_API_SECRET=${apiSecret} SHOPIFY_ADMIN_API_ORIGIN=${local.origin}`,
);
console.info(`  demo variant ${product.variants[0]!.gid}; control API under ${local.origin}/_local/`);
console.info(process.env.APP_URL ? `  webhooks → ${process.env.APP_URL}` : "  webhooks off (set APP_URL)");

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void local.stop().then(() => process.exit(0));
  });
}
