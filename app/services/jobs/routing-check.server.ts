import { z } from "zod";

import { findOrderLines } from "../../models/backorders.server";
import { settleDedupedJob } from "../../models/jobs.server";
import { allocateFreeStock } from "../allocation.server";
import { shopLockKey } from "../intake.server";
import { processOrder } from "../orders.server";
import type { Pipeline } from "../pipeline.server";
import { readOrder } from "../reads/orders.server";
import { payloadOf } from "./work";

/** Shopify routes within seconds; a lost event would otherwise wait for the six-hourly reconciliation. */
export const ROUTING_CHECK_DELAY_MS = 5 * 60_000;
export const ROUTING_CHECK = "routing_check";
const routingCheckKey = (orderId: string) => `${ROUTING_CHECK}:${orderId}`;

export async function scheduleRoutingCheck(p: Pipeline, orderId: string): Promise<void> {
  await p.queue.enqueue({
    shop: p.shop,
    type: ROUTING_CHECK,
    payload: { orderId },
    lockKey: shopLockKey(p.shop),
    dedupeKey: routingCheckKey(orderId),
    runAt: new Date(p.now().getTime() + ROUTING_CHECK_DELAY_MS),
  });
}

export async function settleRoutingCheck(p: Pipeline, orderId: string): Promise<void> {
  const check = { shop: p.shop, type: ROUTING_CHECK, dedupeKey: routingCheckKey(orderId) };
  await settleDedupedJob(p.db, { ...check, payload: { orderId } }, p.now());
}

const RoutingCheckPayload = z.object({ orderId: z.string().startsWith("gid://shopify/Order/") });

/** order_routing_complete was lost, or is still retrying on Shopify's side. */
export async function runRoutingCheck(p: Pipeline, payload: unknown) {
  const { orderId } = payloadOf(RoutingCheckPayload, ROUTING_CHECK, payload);
  if ((await findOrderLines(p.db, p.shop, orderId)).length > 0) return { kind: "up_to_date" };
  const order = await readOrder(p.admin, orderId);
  const outcome = await processOrder(p, order);
  if (outcome.kind === "detected" && order) await allocateFreeStock(p, order);
  return outcome;
}
