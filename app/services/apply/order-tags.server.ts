import { applyOnce } from "../../models/ledger.server";
import { BackorderTagsRemoveDocument } from "../../shopify/generated/operations";
import { batchMutation } from "../../shopify/batch.server";
import type { Pipeline } from "../pipeline.server";
import { ShopifyUserErrors } from "./user-errors";

/** Returns each order's new updatedAt, so that the orders/updated it causes is recognised as the app's own. */
export async function removeTagsFromOrders(
  p: Pipeline,
  key: string,
  orderIds: readonly string[],
  tags: string[],
): Promise<Record<string, string>> {
  if (orderIds.length === 0) return {};
  return applyOnce(p.db, p.shop, key, "tags_remove", async () => {
    const results = await batchMutation(
      p.admin,
      BackorderTagsRemoveDocument,
      orderIds.map((id) => ({ id, tags })),
    );
    const updatedAt: Record<string, string> = {};
    results.forEach((result, index) => {
      if (!result.ok) throw new ShopifyUserErrors("tagsRemove", result.userErrors);
      const at =
        result.data.tagsRemove?.node && "updatedAt" in result.data.tagsRemove.node
          ? result.data.tagsRemove.node.updatedAt
          : null;
      if (at) updatedAt[orderIds[index]!] = at;
    });
    return updatedAt;
  });
}
