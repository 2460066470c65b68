import { claimQueuedFlowEvents, settleFlowEvents, type NewFlowEvent } from "../../models/flow-events.server";
import { isFlowTriggerInUse } from "../../models/flow-usage.server";
import { BackorderFlowTriggerDocument } from "../../shopify/generated/operations";
import { batchMutation } from "../../shopify/batch.server";
import type { MutationResult } from "../../shopify/gateway.server";
import type { Pipeline } from "../pipeline.server";
import { FLOW_TRIGGERS, type FlowTriggerHandle } from "../flow-triggers";
import { mayHaveApplied, ShopifyUserErrors } from "./user-errors";

// Recorded before sent, so each goes out at most once (docs/decisions/0018-effects-once.md).

export { FLOW_TRIGGERS };

export async function flowEvent(
  p: Pipeline,
  handle: FlowTriggerHandle,
  key: string,
  payload: Record<string, unknown>,
): Promise<NewFlowEvent[]> {
  return (await flowWanted(p, handle)) ? [{ key: `${handle}:${key}`, handle, payload }] : [];
}

/** A trigger no workflow uses starts nothing and still costs 10 points (docs/decisions/0018-effects-once.md). */
async function flowWanted(p: Pipeline, handle: FlowTriggerHandle): Promise<boolean> {
  return p.settings.flowEnabled && (await isFlowTriggerInUse(p.db, p.shop, handle));
}

/** One call's worth of flowTriggerReceive (10 points each, 1,000 per query). */
const FLOW_BATCH = 100;

/**
 * A request whose answer was lost leaves its events `sending`, never sent again: Flow keeps no record the app could
 * check, so a trigger may be lost in that window but never doubled.
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
