import type { JobQueue } from "../models/job-types";
import { shopLockKey } from "./intake.server";

// Both the merchant's page and the customer's touch the shop's stock, so they take the shop's lock, as allocation does.

export async function requestCancelRemainder(
  queue: JobQueue,
  shop: string,
  backorderLineIds: readonly string[],
  reason: "merchant_cancelled" | "customer_cancelled",
  dedupeKey: string | null = null,
) {
  return queue.enqueue({
    shop,
    type: "cancel_remainder",
    payload: { backorderLineIds: [...backorderLineIds], reason },
    lockKey: shopLockKey(shop),
    dedupeKey,
  });
}

export async function requestShipReady(queue: JobQueue, shop: string, orderId: string, dedupeKey: string) {
  return queue.enqueue({ shop, type: "ship_ready", payload: { orderId }, lockKey: shopLockKey(shop), dedupeKey });
}
