import { findOrderLines, lossesByLine } from "../models/backorders.server";
import type { Pipeline } from "./pipeline.server";
import { setMetafields } from "./apply";
import type { MetafieldsSetInput } from "../shopify/generated/admin.types";
import { orderMetafield } from "./metafields";

/**
 * Writes the order's line-status metafield from its records as they are now (one metafieldsSet, once per
 * `key`): what each line shipped, waits for and lost, and why, for Flow, the customer's order status and any
 * reader of Shopify's side.
 */
export async function writeOrderStatus(p: Pipeline, orderId: string, key: string): Promise<void> {
  const metafield = await orderStatusMetafield(p, orderId);
  if (metafield) await setMetafields(p, `order-metafields:${orderId}:${key}`, [metafield]);
}

/** The order's line-status metafield from its records as they are now; null when the app keeps none for it. */
export async function orderStatusMetafield(p: Pipeline, orderId: string): Promise<MetafieldsSetInput | null> {
  const rows = await findOrderLines(p.db, p.shop, orderId);
  if (rows.length === 0) return null;
  const losses = await lossesByLine(p.db, p.shop, [orderId]);
  return orderMetafield(
    orderId,
    rows.map((row) => ({
      lineItemId: row.lineItemId,
      status: row.status,
      backordered: row.backorderedQty,
      shipped: row.shippedQty,
      lost: row.lostQty,
      lostReason: row.lostReason,
      losses: losses.get(row.lineItemId) ?? {},
      promisedAt: row.promisedAt,
    })),
  );
}
