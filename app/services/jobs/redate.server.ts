import { z } from "zod";

import { redateItem } from "../dates.server";
import type { Pipeline } from "../pipeline.server";
import { payloadOf } from "./work";

const RedatePayload = z.object({
  inventoryItemId: z.string().startsWith("gid://shopify/InventoryItem/"),
  variantId: z.string().startsWith("gid://shopify/ProductVariant/"),
  productId: z.string().startsWith("gid://shopify/Product/").nullable(),
});

export async function runRedate(p: Pipeline, payload: unknown) {
  return redateItem(p, payloadOf(RedatePayload, "redate", payload), `merchant:${p.now().toISOString()}`);
}
