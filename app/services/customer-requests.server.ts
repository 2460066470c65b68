import type { JobQueue } from "../models/job-types";
import { shopLockKey } from "./intake.server";

/**
 * The jobs a request for a change to an order starts, whoever asks: the merchant's Backorders page or the customer's
 * own page. Both touch the shop's stock, so they take the shop's lock, as allocation does.
 */

/** Cancels and refunds the unfilled units of these lines (removeUnfilled, with the reason given). */
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

/** Releases what is allocated to the order now, where the merchant allows it (runShipReady). */
export async function requestShipReady(queue: JobQueue, shop: string, orderId: string, dedupeKey: string) {
  return queue.enqueue({ shop, type: "ship_ready", payload: { orderId }, lockKey: shopLockKey(shop), dedupeKey });
}
