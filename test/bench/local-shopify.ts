/**
 * Local Shopify in its own process for `npm run bench:webhooks`, on the Standard plan (restore 100 points/s,
 * Shopify's published rate for most shops) unless BENCH_PLAN=enterprise (2000 points/s, the most generous).
 * Prints `{"origin": …}` once listening.
 */
import { startLocalShopify } from "../shopify-local/server";
import { STANDARD_PLAN } from "../shopify-local/graphql/throttle";

const enterprise = process.env.BENCH_PLAN === "enterprise";
const local = await startLocalShopify({
  apiSecret: process.env.SHOPIFY_API_SECRET ?? "bench-secret",
  plan: enterprise ? { maximumAvailable: 40_000, restoreRate: 2_000 } : STANDARD_PLAN,
});
console.info(JSON.stringify({ origin: local.origin, plan: enterprise ? "enterprise" : "standard" }));
process.once("SIGTERM", () => {
  void local.stop().then(() => process.exit(0));
});
