import { applyOnce, findEffect, recordEffect } from "../../models/ledger.server";
import { BackorderExtraHoldDocument } from "../../shopify/generated/operations";
import { releaseHolds } from "../../shopify/batch.server";
import type { Pipeline } from "../pipeline.server";
import { readOrderByFulfillmentOrder } from "../reads/orders.server";
import { offers, type SnapshotFulfillmentOrder } from "../reads/snapshot";
import { findHoldByHandle, holdInput } from "./hold-handle.server";
import { ShopifyUserErrors } from "./user-errors";

export type ReleaseAction =
  | { kind: "release"; fulfillmentOrderId: string; holdId: string }
  | {
      kind: "partial";
      fulfillmentOrderId: string;
      holdId: string;
      handle: string;
      keep: FoLine[];
      /** False on a retry that finds the hold already released by the first step. */
      held: boolean;
    };

interface FoLine {
  id: string;
  quantity: number;
}

/**
 * Shopify's supportedActions offer no SPLIT on an ON_HOLD fulfillment order, so a partial release is release then
 * re-hold of the waiting units; a partial hold is refused while another holder's hold remains ("blocked").
 */
export function releaseAction(
  fo: SnapshotFulfillmentOrder,
  holdId: string,
  handle: string,
  keepByLine: ReadonlyMap<string, number>,
): ReleaseAction | { kind: "blocked" } | null {
  const keep: FoLine[] = [];
  let released = 0;
  for (const line of fo.lines) {
    const kept = Math.min(line.remaining, keepByLine.get(line.lineItemId) ?? 0);
    released += line.remaining - kept;
    if (kept > 0) keep.push({ id: line.id, quantity: kept });
  }
  if (released === 0) return null;
  const held = fo.holds.some((h) => h.id === holdId);
  // Shopify lists what it allows; an ON_HOLD fulfillment order always offers RELEASE_HOLD, but nothing is assumed.
  // A hold already gone (a partial release cut short after its first step) needs only the re-hold.
  if (!offers(fo, held ? "RELEASE_HOLD" : "HOLD")) return { kind: "blocked" };
  if (keep.length === 0) return { kind: "release", fulfillmentOrderId: fo.id, holdId };
  if (fo.holds.some((h) => !h.ours)) return { kind: "blocked" };
  return { kind: "partial", fulfillmentOrderId: fo.id, holdId, handle, keep, held };
}

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
