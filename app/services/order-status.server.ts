import { findOrderLines, lossesByLine } from "../models/backorders.server";
import type { Pipeline } from "./pipeline.server";
import { setMetafields } from "./apply";
import type { MetafieldsSetInput } from "../shopify/generated/admin.types";
import { orderMetafield } from "./metafields";

/** For Flow, the customer's order status and any reader of Shopify's side; once per `key`. */
export async function writeOrderStatus(p: Pipeline, orderId: string, key: string): Promise<void> {
  const metafield = await orderStatusMetafield(p, orderId);
  if (metafield) await setMetafields(p, `order-metafields:${orderId}:${key}`, [metafield]);
}

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
