import { z } from "zod";

import { findOrderLines } from "../../models/backorders.server";
import { settleDedupedJob } from "../../models/jobs.server";
import { allocateFreeStock } from "../allocation.server";
import { shopLockKey } from "../intake.server";
import { processOrder } from "../orders.server";
import type { Pipeline } from "../pipeline.server";
import { readOrder } from "../shopify-reads.server";
import { payloadOf } from "./work";

/**
 * How long after orders/create the app looks at an order whose order_routing_complete has not come: Shopify
 * routes within seconds, and a lost event would otherwise wait for the six-hourly reconciliation.
 */
export const ROUTING_CHECK_DELAY_MS = 5 * 60_000;
export const ROUTING_CHECK = "routing_check";
const routingCheckKey = (orderId: string) => `${ROUTING_CHECK}:${orderId}`;

/** orders/create came: the check is due a little later, once per order. */
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

/** order_routing_complete came: the check has nothing left to do (no Admin call). */
export async function settleRoutingCheck(p: Pipeline, orderId: string): Promise<void> {
  const check = { shop: p.shop, type: ROUTING_CHECK, dedupeKey: routingCheckKey(orderId) };
  await settleDedupedJob(p.db, { ...check, payload: { orderId } }, p.now());
}

const RoutingCheckPayload = z.object({ orderId: z.string().startsWith("gid://shopify/Order/") });

/**
 * `routing_check`: orders/create came, order_routing_complete did not (lost, or still retrying on Shopify's side).
 * The order is read and processed as routing would; an order the app already knows needs nothing.
 */
export async function runRoutingCheck(p: Pipeline, payload: unknown) {
  const { orderId } = payloadOf(RoutingCheckPayload, ROUTING_CHECK, payload);
  if ((await findOrderLines(p.db, p.shop, orderId)).length > 0) return { kind: "up_to_date" };
  const order = await readOrder(p.admin, orderId);
  const outcome = await processOrder(p, order);
  if (outcome.kind === "detected" && order) await allocateFreeStock(p, order);
  return outcome;
}
