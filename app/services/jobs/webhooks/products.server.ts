import { checkCaps } from "../../caps.server";
import { syncSellingVariants } from "../../variant-sync.server";
import { parseWebhookPayload } from "../../webhook-payloads";
import type { WebhookTopicWork } from "../work";

export const PRODUCT_WEBHOOKS: Record<string, WebhookTopicWork> = {
  // The merchant may change a variant's policy by hand; caps put it back where the open backorders say. The
  // restock dates page's list follows the product (its payload does not say whether a variant is tracked).
  "products/update": async (p, raw) => {
    const product = parseWebhookPayload("products/update", raw);
    await checkCaps(
      p,
      product.variants.map((variant) => ({
        variantId: variant.admin_graphql_api_id,
        productId: product.admin_graphql_api_id,
        inventoryItemId: null,
        policy:
          variant.inventory_policy === "deny" ? "DENY" : variant.inventory_policy === "continue" ? "CONTINUE" : null,
      })),
    );
    await syncSellingVariants(p, product.admin_graphql_api_id);
    return { kind: "caps_checked" };
  },
};
