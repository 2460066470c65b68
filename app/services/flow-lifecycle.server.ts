import { z } from "zod";

import type { Db } from "../db.server";
import { recordFlowTriggerUsage, recordUnattributedFlowUsage } from "../models/flow-usage.server";
import { flowTriggerHandle } from "./flow-triggers";

/** Shopify Flow's trigger lifecycle callback (https://shopify.dev/docs/apps/build/flow/track-lifecycle-events). */
const LifecyclePayload = z.object({
  flow_trigger_definition_id: z.string().min(1),
  has_enabled_flow: z.boolean(),
  shopify_domain: z.string().min(1),
  timestamp: z.iso.datetime({ offset: true }),
});

export type FlowLifecycleOutcome =
  | { kind: "recorded" | "stale"; trigger: string; enabled: boolean }
  | { kind: "unknown_trigger"; definitionId: string; reopened: number }
  | { kind: "invalid"; problem: string };

/**
 * Flow only needs a 2xx within 5 seconds (else the merchant cannot turn the workflow on): nothing here calls Shopify,
 * and an unknown trigger id that turns a workflow on sends every trigger recorded off again.
 */
export async function receiveFlowLifecycle(db: Db, shop: string, payload: unknown): Promise<FlowLifecycleOutcome> {
  const parsed = LifecyclePayload.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { kind: "invalid", problem: `${issue.path.join(".") || "body"}: ${issue.message}` };
  }
  const trigger = flowTriggerHandle(parsed.data.flow_trigger_definition_id);
  const enabled = parsed.data.has_enabled_flow;
  const observedAt = new Date(parsed.data.timestamp);
  if (!trigger) {
    const reopened = enabled ? await recordUnattributedFlowUsage(db, shop, observedAt) : 0;
    return { kind: "unknown_trigger", definitionId: parsed.data.flow_trigger_definition_id, reopened };
  }
  const kind = await recordFlowTriggerUsage(db, shop, trigger, enabled, observedAt);
  return { kind, trigger, enabled };
}
