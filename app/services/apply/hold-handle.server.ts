import type { FulfillmentOrderHoldInput } from "../../shopify/generated/admin.types";
import type { Pipeline } from "../pipeline.server";
import { readOrder } from "../reads/orders.server";

export const HOLD_NOTE = "Backordered: waiting for stock";

export { holdHandle } from "../../domain";

export function holdInput(
  handle: string,
  lines: readonly { id: string; quantity: number }[] | null,
): FulfillmentOrderHoldInput {
  return {
    reason: "INVENTORY_OUT_OF_STOCK",
    reasonNotes: HOLD_NOTE,
    handle,
    notifyMerchant: false,
    ...(lines ? { fulfillmentOrderLineItems: lines.map(({ id, quantity }) => ({ id, quantity })) } : {}),
  };
}

/** The id of a hold Shopify refused as a duplicate handle: it was placed before a crash lost the answer. */
export async function findHoldByHandle(p: Pipeline, orderId: string, foId: string, handle: string): Promise<string> {
  const order = await readOrder(p.admin, orderId);
  const hold = order?.fulfillmentOrders.find((fo) => fo.id === foId)?.holds.find((h) => h.ours && h.handle === handle);
  if (!hold) throw new Error(`hold ${handle} on ${foId} was reported as a duplicate but cannot be found`);
  return hold.id;
}
