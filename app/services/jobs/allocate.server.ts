import { z } from "zod";

import { openInventoryItems } from "../../models/backorders.server";
import { allocateItem } from "../allocation.server";
import type { Pipeline } from "../pipeline.server";
import { payloadOf } from "./work";

const AllocatePayload = z.object({ inventoryItemId: z.string().startsWith("gid://shopify/InventoryItem/").optional() });

export async function runAllocate(p: Pipeline, payload: unknown) {
  const { inventoryItemId } = payloadOf(AllocatePayload, "allocate", payload);
  const items = inventoryItemId ? [inventoryItemId] : await openInventoryItems(p.db, p.shop);
  const outcomes = [];
  for (const item of items) outcomes.push(await allocateItem(p, item, inventoryItemId ? "manual" : "cutoff"));
  return outcomes;
}
