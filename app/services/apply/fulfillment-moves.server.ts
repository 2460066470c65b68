import { applyOnce } from "../../models/ledger.server";
import { BackorderMoveDocument } from "../../shopify/generated/operations";
import type { Pipeline } from "../pipeline.server";
import { ShopifyUserErrors } from "./user-errors";

/** Null when Shopify refused: kept in the ledger, so the same move is not asked again. */
export async function moveFulfillmentOrder(
  p: Pipeline,
  fulfillmentOrderId: string,
  locationId: string,
): Promise<string | null> {
  return applyOnce(p.db, p.shop, `move:${fulfillmentOrderId}:${locationId}`, "fulfillment_order_move", async () => {
    const result = await p.admin.mutate(BackorderMoveDocument, { id: fulfillmentOrderId, locationId });
    if (!result.ok) {
      console.warn(`${new ShopifyUserErrors("fulfillmentOrderMove", result.userErrors).message} (not moved)`);
      return null;
    }
    return result.data.fulfillmentOrderMove?.movedFulfillmentOrder?.id ?? fulfillmentOrderId;
  });
}
