// The globals Shopify CLI declares for each extension module (it writes this file on `shopify app dev`/`build`):
// `shopify` is the target's API. Kept in the repository so `npm run typecheck` checks the extension offline.
import type { Api } from "@shopify/ui-extensions/customer-account.order-status.block.render";

declare module "./src/OrderStatusBlock.tsx" {
  const shopify: Api;
  const globalThis: { shopify: typeof shopify };
}
