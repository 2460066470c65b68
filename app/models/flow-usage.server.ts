import type { Db } from "../db.server";
import { isUniqueViolation } from "./jobs.server";

/**
 * Records what a Flow lifecycle callback says about one trigger of one shop. Flow's notifications can arrive
 * out of order: "notifications with newer timestamps should take precedence", so an older one changes
 * nothing ("stale"). The write is a conditional update, then an insert; a concurrent insert of the same
 * shop and trigger loses to the unique key and is retried as the update.
 */
export async function recordFlowTriggerUsage(
  db: Db,
  shop: string,
  trigger: string,
  enabled: boolean,
  observedAt: Date,
): Promise<"recorded" | "stale"> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const { count } = await db.flowTriggerUsage.updateMany({
      where: { shop, trigger, observedAt: { lt: observedAt } },
      data: { enabled, observedAt },
    });
    if (count > 0) return "recorded";
    if (await db.flowTriggerUsage.findUnique({ where: { shop_trigger: { shop, trigger } }, select: { id: true } })) {
      return "stale";
    }
    try {
      await db.flowTriggerUsage.create({ data: { shop, trigger, enabled, observedAt } });
      return "recorded";
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return "stale";
}

/**
 * What the app knows of the shop's workflows on this trigger: `on` / `off` as the newest lifecycle callback said,
 * `unknown` when no callback about it was ever recorded (docs/decisions/0018-effects-once.md).
 */
export async function flowTriggerState(db: Db, shop: string, trigger: string): Promise<"on" | "off" | "unknown"> {
  const row = await db.flowTriggerUsage.findUnique({
    where: { shop_trigger: { shop, trigger } },
    select: { enabled: true },
  });
  return row ? (row.enabled ? "on" : "off") : "unknown";
}

/**
 * Whether flowTriggerReceive is worth sending for this trigger: a turned-on workflow starts from it, or the app
 * does not know. Flow sends the callback only when a workflow is turned on or off, so a record the app lost (a
 * shop redacted then installed again, a callback extension deployed after the workflow was turned on) must not
 * silence a workflow for good: unknown is sent, at 10 points a trigger, until a callback says otherwise.
 */
export async function isFlowTriggerInUse(db: Db, shop: string, trigger: string): Promise<boolean> {
  return (await flowTriggerState(db, shop, trigger)) !== "off";
}

/**
 * A callback turned a workflow on for a trigger id the app cannot match to one of its triggers: it may be any
 * of them, so every trigger recorded off before it is taken as in use again (a newer callback still wins).
 */
export async function recordUnattributedFlowUsage(db: Db, shop: string, observedAt: Date): Promise<number> {
  const { count } = await db.flowTriggerUsage.updateMany({
    where: { shop, observedAt: { lt: observedAt } },
    data: { enabled: true, observedAt },
  });
  return count;
}
