import { releaseAction, type ReleaseOperation } from "../../domain";
import { applyOnce, findEffect, recordEffect } from "../../models/ledger.server";
import { BackorderExtraHoldDocument } from "../../shopify/generated/operations";
import { releaseHolds } from "../../shopify/batch.server";
import type { Pipeline } from "../pipeline.server";
import { readOrderByFulfillmentOrder } from "../reads/orders.server";
import { findHoldByHandle, holdInput } from "./hold-handle.server";
import { ShopifyUserErrors } from "./user-errors";

/** The engine decides them (`releaseAction`); a partial release is two ledgered steps here. */
export type ReleaseAction = ReleaseOperation;

export { releaseAction };

const partialReleaseKey = (holdId: string, step: "started" | "released" | "reheld") =>
  `partial-release:${holdId}:${step}`;

/**
 * Noted before the hold is released, so a crash between release and re-hold is told apart from a release outside
 * the app.
 */
export async function partialReleaseStarted(p: Pipeline, holdId: string): Promise<boolean> {
  return (await findEffect(p.db, p.shop, partialReleaseKey(holdId, "started"))) !== null;
}

/** holdIds always given; a partial release is two ledgered steps, release and re-hold under the same handle. */
export async function applyReleases(
  p: Pipeline,
  key: string,
  actions: readonly ReleaseAction[],
): Promise<Map<string, string>> {
  const releases = actions.flatMap((a) =>
    a.kind === "release" ? [{ fulfillmentOrderId: a.fulfillmentOrderId, holdIds: [a.holdId] }] : [],
  );
  if (releases.length > 0) {
    await applyOnce(p.db, p.shop, key, "release", async () => {
      for (const result of await releaseHolds(p.admin, releases)) {
        if (!result.ok) throw new ShopifyUserErrors("fulfillmentOrderReleaseHold", result.userErrors);
      }
      return null;
    });
  }
  const replaced = new Map<string, string>();
  for (const action of actions) {
    if (action.kind === "partial") replaced.set(action.holdId, await releasePartly(p, action));
  }
  return replaced;
}

async function releasePartly(p: Pipeline, action: Extract<ReleaseAction, { kind: "partial" }>): Promise<string> {
  const { fulfillmentOrderId, holdId, handle } = action;
  await recordEffect(p.db, p.shop, partialReleaseKey(holdId, "started"), "release", null);
  await applyOnce(p.db, p.shop, partialReleaseKey(holdId, "released"), "release", async () => {
    if (!action.held) return null;
    const [result] = await releaseHolds(p.admin, [{ fulfillmentOrderId, holdIds: [holdId] }]);
    if (result && !result.ok) throw new ShopifyUserErrors("fulfillmentOrderReleaseHold", result.userErrors);
    return null;
  });
  return applyOnce(p.db, p.shop, partialReleaseKey(holdId, "reheld"), "fulfillment_hold", async () => {
    const hold = holdInput(handle, action.keep);
    const result = await p.admin.mutate(BackorderExtraHoldDocument, { id: fulfillmentOrderId, hold });
    if (result.ok) {
      const id = result.data.fulfillmentOrderHold?.fulfillmentHold?.id;
      if (!id) throw new Error(`fulfillmentOrderHold on ${fulfillmentOrderId} returned no hold`);
      return id;
    }
    // Held again before a crash lost the answer: the handle finds that hold.
    if (!result.userErrors.some((e) => e.code === "DUPLICATE_FULFILLMENT_HOLD_HANDLE"))
      throw new ShopifyUserErrors("fulfillmentOrderHold", result.userErrors);
    const order = await readOrderByFulfillmentOrder(p.admin, fulfillmentOrderId);
    if (!order) throw new Error(`fulfillment order ${fulfillmentOrderId} is gone`);
    return findHoldByHandle(p, order.id, fulfillmentOrderId, handle);
  });
}
