import type { Db } from "../../db.server";
import { customerMessagesOfOrder } from "../../models/customer-messages.server";
import { orderTimeline } from "../../models/backorder-queue.server";
import type { AdminGateway } from "../../shopify/gateway.server";
import { readOrder, type SnapshotLine } from "../shopify-reads.server";

export interface LineFigures {
  /** Units fulfilled on Shopify; null when Shopify no longer has the order. */
  shipped: number | null;
  /** Units the app gave the line (released or held for it) that are not fulfilled yet. */
  allocated: number;
  waiting: number;
  lost: number;
}

/**
 * The order page's figures for one line, from one place. The app records released units (`shippedQty`), not
 * fulfilments: a released unit is allocated until Shopify shows it fulfilled, and only then shipped.
 */
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

/** The e-mails to the customer about the order: what, when, and how it went (why, when it was not sent). */
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

/** An order's backorder lines with their figures read against Shopify's order, its timeline and its e-mails. */
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
