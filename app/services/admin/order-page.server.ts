import type { Db } from "../../db.server";
import { customerMessagesOfOrder } from "../../models/customer-messages.server";
import { orderTimeline } from "../../models/backorder-queue.server";
import type { AdminGateway } from "../../shopify/gateway.server";
import { readOrder } from "../reads/orders.server";
import type { SnapshotLine } from "../reads/snapshot";

export interface LineFigures {
  /** Null when Shopify no longer has the order. */
  shipped: number | null;
  /** Released or held for the line, not fulfilled yet. */
  allocated: number;
  waiting: number;
  lost: number;
}

/** The app records released units, not fulfilments: a released unit is allocated until Shopify shows it fulfilled. */
export function lineFigures(
  row: { shippedQty: number; reservedQty: number; backorderedQty: number; lostQty: number },
  onShopify: Pick<SnapshotLine, "quantity" | "unfulfilled"> | undefined,
): LineFigures {
  const given = row.shippedQty + row.reservedQty;
  const fulfilled = onShopify ? Math.min(given, Math.max(0, onShopify.quantity - onShopify.unfulfilled)) : null;
  return { shipped: fulfilled, allocated: given - (fulfilled ?? 0), waiting: row.backorderedQty, lost: row.lostQty };
}

export const MESSAGE_LABEL: Record<string, string> = {
  confirmation: "Backorder confirmation",
  part_shipped: "Part shipped, rest by date",
  delay_notice: "Delay notice",
  renewed_notice: "Renewed notice (needs a yes)",
  cancelled: "Cancelled and refunded",
};

async function orderMessages(db: Db, shop: string, orderId: string) {
  const rows = await customerMessagesOfOrder(db, shop, orderId);
  return rows.map((row) => ({
    kind: MESSAGE_LABEL[row.kind] ?? row.kind,
    status: row.status,
    at: (row.sentAt ?? row.createdAt).toISOString(),
    attempts: row.attempts,
    locale: row.locale,
    note: row.status === "sent" ? null : row.error,
  }));
}

export async function loadOrderPage(db: Db, admin: AdminGateway, shop: string, orderId: string) {
  const order = await orderTimeline(db, shop, orderId);
  if (!order) return null;
  const onShopify = await readOrder(admin, orderId);
  const byId = new Map(onShopify?.lines.map((line) => [line.id, line]));
  return {
    ...order,
    onShopify: onShopify !== null,
    messages: await orderMessages(db, shop, orderId),
    lines: order.lines.map((line) => ({ ...line, figures: lineFigures(line, byId.get(line.lineItemId)) })),
  };
}
