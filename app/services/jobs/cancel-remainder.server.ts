import { z } from "zod";

import { findLinesByIds } from "../../models/backorders.server";
import { removeUnfilled } from "../deadlines.server";
import type { Pipeline } from "../pipeline.server";
import { payloadOf } from "./work";

const CancelRemainderPayload = z.object({
  backorderLineIds: z.array(z.string().min(1)).min(1, "at least one backorder line"),
  reason: z.enum(["merchant_cancelled", "customer_cancelled"]),
});

export async function runCancelRemainder(p: Pipeline, payload: unknown) {
  const { backorderLineIds, reason } = payloadOf(CancelRemainderPayload, "cancel_remainder", payload);
  const rows = await findLinesByIds(p.db, p.shop, backorderLineIds);
  const missing = backorderLineIds.filter((id) => !rows.some((row) => row.id === id));
  if (missing.length > 0)
    throw new Error(`cancel_remainder job payload: backorderLineIds ${missing.join(", ")} not found in ${p.shop}`);
  const byOrder = new Map<string, typeof rows>();
  for (const row of rows) byOrder.set(row.orderId, [...(byOrder.get(row.orderId) ?? []), row]);
  let units = 0;
  for (const [orderId, lines] of byOrder) units += await removeUnfilled(p, orderId, lines, reason);
  return { kind: "cancelled", units };
}
