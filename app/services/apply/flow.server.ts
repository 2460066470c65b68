import { claimQueuedFlowEvents, settleFlowEvents, type NewFlowEvent } from "../../models/flow-events.server";
import { isFlowTriggerInUse } from "../../models/flow-usage.server";
import { BackorderFlowTriggerDocument } from "../../shopify/generated/operations";
import { batchMutation } from "../../shopify/batch.server";
import type { MutationResult } from "../../shopify/gateway.server";
import type { Pipeline } from "../pipeline.server";
import { FLOW_TRIGGERS, type FlowTriggerHandle } from "../flow-triggers";
import { mayHaveApplied, ShopifyUserErrors } from "./user-errors";

/**
 * Flow triggers, which Shopify cannot recognise as repeats: each is an event recorded before it is sent
 * (FlowTriggerEvent, docs/decisions/0018-effects-once.md), so it goes out at most once.
 */

export { FLOW_TRIGGERS };

/** The Flow event of `handle`, or none when the shop does not want that trigger sent. */
export async function flowEvent(
  p: Pipeline,
  handle: FlowTriggerHandle,
  key: string,
  payload: Record<string, unknown>,
): Promise<NewFlowEvent[]> {
  return (await flowWanted(p, handle)) ? [{ key: `${handle}:${key}`, handle, payload }] : [];
}

/**
 * Whether flowTriggerReceive is worth sending: the merchant has Flow on in the app's settings, and Flow's
 * lifecycle callback said a turned-on workflow starts from this trigger, or no callback about it was ever
 * recorded (docs/decisions/0018-effects-once.md). A trigger no workflow uses starts nothing and costs 10 points.
 */
async function flowWanted(p: Pipeline, handle: FlowTriggerHandle): Promise<boolean> {
  return p.settings.flowEnabled && (await isFlowTriggerInUse(p.db, p.shop, handle));
}

/** One call's worth of flowTriggerReceive (10 points each, 1,000 per query). */
const FLOW_BATCH = 100;

/**
 * Sends the shop's queued Flow events, many per call, each marked `sending` before its request. A request
 * Shopify certainly did not run puts its events back in the queue; one whose answer was lost leaves them
 * `sending`, never sent again: Flow keeps no record the app could check, so a trigger may be lost in that
 * window but never doubled. Refused events are kept with their userErrors, which are then thrown.
 */
export async function sendQueuedFlows(p: Pipeline): Promise<void> {
  for (;;) {
    const batch = await claimQueuedFlowEvents(p.db, p.shop, FLOW_BATCH);
    if (batch.length === 0) return;
    let results: MutationResult<unknown>[];
    try {
      results = await batchMutation(
        p.admin,
        BackorderFlowTriggerDocument,
        batch.map(({ handle, payload }) => ({ handle, payload })),
        { repeatable: false },
      );
    } catch (error) {
      if (!mayHaveApplied(error)) await settleFlowEvents(p.db, p.shop, { unsent: batch.map((e) => e.key) }, p.now());
      throw error;
    }
    const refused = batch.flatMap((event, i) => {
      const result = results[i]!;
      return result.ok ? [] : [{ key: event.key, error: JSON.stringify(result.userErrors), errors: result.userErrors }];
    });
    const sent = batch.filter((_, i) => results[i]!.ok).map((event) => event.key);
    await settleFlowEvents(p.db, p.shop, { sent, refused }, p.now());
    if (refused.length > 0)
      throw new ShopifyUserErrors(
        "flowTriggerReceive",
        refused.flatMap((r) => r.errors),
      );
  }
}
