import { applyOnce } from "../../models/ledger.server";
import { BackorderVariantPolicyDocument } from "../../shopify/generated/operations";
import type { Pipeline } from "../pipeline.server";
import { unwrap } from "./user-errors";

/** Whether a variant sells past zero (caps.server.ts decides which; the key names the decision). */
export async function setVariantPolicy(
  p: Pipeline,
  key: string,
  productId: string,
  variantId: string,
  policy: "DENY" | "CONTINUE",
): Promise<void> {
  await applyOnce(p.db, p.shop, key, "variant_policy", async () => {
    unwrap(
      "productVariantsBulkUpdate",
      await p.admin.mutate(BackorderVariantPolicyDocument, {
        productId,
        variants: [{ id: variantId, inventoryPolicy: policy }],
      }),
    );
    return null;
  });
}
