/**
 * Local Shopify in its own process for `npm run bench:webhooks`, with the most generous public plan
 * (Enterprise: 2000 points/s) so the baseline is limited by its own round trips, not by rate limits.
 * Prints `{"origin": …}` once listening.
 */
import { startLocalShopify } from "../shopify-local/server";

const local = await startLocalShopify({
  apiSecret: process.env.SHOPIFY_API_SECRET ?? "bench-secret",
  plan: { maximumAvailable: 40_000, restoreRate: 2_000 },
});
console.info(JSON.stringify({ origin: local.origin }));
process.once("SIGTERM", () => {
  void local.stop().then(() => process.exit(0));
});
