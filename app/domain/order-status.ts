// The order's status metafield, as docs/decisions/0005-storefront-metafields.md specifies.
import type { Metafield } from "./operations";

export const APP_NAMESPACE = "$app";
export const ORDER_KEY = "backorder";

export type LineStatus = "waiting" | "partially_allocated" | "allocated" | "fulfilled" | "cancelled" | "expired";

export interface OrderLineState {
  lineItemId: string;
  status: string;
  backordered: number;
  shipped: number;
  lost: number;
  lostReason: string | null;
  losses: Readonly<Record<string, number>>;
  /** Epoch milliseconds. */
  promisedAt: number | null;
}

const day = (at: number) => new Date(at).toISOString().slice(0, 10);

export function orderMetafield(orderId: string, lines: readonly OrderLineState[]): Metafield {
  const open = lines.filter((line) => line.backordered > 0);
  const promised = open.flatMap((line) => (line.promisedAt !== null ? [line.promisedAt] : []));
  return {
    ownerId: orderId,
    namespace: APP_NAMESPACE,
    key: ORDER_KEY,
    type: "json",
    value: JSON.stringify({
      status: open.length > 0 ? "backordered" : "settled",
      promisedDate: promised.length > 0 ? day(Math.max(...promised)) : null,
      lines: lines.map((line) => ({
        lineItemId: line.lineItemId,
        status: line.status,
        backordered: line.backordered,
        shipped: line.shipped,
        lost: line.lost,
        lostReason: line.lostReason,
        losses: line.losses,
        promisedDate: line.promisedAt !== null ? day(line.promisedAt) : null,
      })),
    }),
  };
}

export function lineStatus(line: {
  quantity: number;
  shippedQty: number;
  reservedQty: number;
  backorderedQty: number;
  lostQty: number;
  lostReason: string | null;
}): LineStatus {
  if (line.backorderedQty > 0) return line.shippedQty + line.reservedQty > 0 ? "partially_allocated" : "waiting";
  if (line.reservedQty > 0 || line.shippedQty > 0) return line.lostReason === "deadline" ? "expired" : "allocated";
  return line.lostReason === "deadline" ? "expired" : "cancelled";
}
