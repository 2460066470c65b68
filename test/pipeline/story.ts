/** Shopify-side facts the pipeline tests assert on, read through Local Shopify's control API. */
import db from "~/db.server";

import type { Pipeline } from "./harness";

export interface OrderOnShopify {
  name: string;
  /** Units Shopify lets the merchant fulfil: on open fulfillment orders, or already fulfilled. */
  released: number;
  /** Units on the app's holds. */
  held: number;
  holds: number;
}

export async function orderOnShopify(
  pipeline: Pipeline,
  shop: string,
  order: { id: number; name: string },
): Promise<OrderOnShopify> {
  const fos = await pipeline.shopify.control.fulfillmentOrders(shop, order.id);
  let released = 0;
  let held = 0;
  let holds = 0;
  for (const fo of fos) {
    const remaining = fo.lineItems.reduce((n, line) => n + line.remainingQuantity, 0);
    const fulfilled = fo.lineItems.reduce((n, line) => n + (line.totalQuantity - line.remainingQuantity), 0);
    released += fulfilled;
    if (fo.status === "ON_HOLD") held += remaining;
    else if (fo.status === "OPEN" || fo.status === "IN_PROGRESS") released += remaining;
    if (fo.status !== "CLOSED" && fo.status !== "CANCELLED") holds += fo.holds.length;
  }
  return { name: order.name, released, held, holds };
}

/** The shop's records, as whole rows worth comparing. */
export async function records(shop: string) {
  const lines = await db.backorderLine.findMany({ where: { shop }, orderBy: { orderedAt: "asc" } });
  const lost = await db.lostSale.findMany({ where: { shop }, orderBy: [{ orderName: "asc" }, { reason: "asc" }] });
  return {
    lines: lines.map((line) => ({
      order: line.orderName,
      quantity: line.quantity,
      shipped: line.shippedQty,
      reserved: line.reservedQty,
      backordered: line.backorderedQty,
      lost: line.lostQty,
      lostReason: line.lostReason,
      status: line.status,
    })),
    lostSales: lost.map((sale) => ({
      order: sale.orderName,
      quantity: sale.quantity,
      reason: sale.reason,
      cents: sale.unitPriceCents,
    })),
  };
}

export async function shopState(pipeline: Pipeline, shop: string) {
  const state = await pipeline.shopify.control.state();
  return state.shops.find((candidate) => (candidate as { domain?: string }).domain === shop) as Record<string, unknown>;
}
