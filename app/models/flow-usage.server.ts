import type { Db } from "../db.server";
import { isUniqueViolation } from "./jobs.server";

/**
 * Flow's notifications can arrive out of order and "newer timestamps should take precedence": an older one is
 * stale. A concurrent insert of the same shop and trigger loses to the unique key and is retried as the update.
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

export async function flowTriggerState(db: Db, shop: string, trigger: string): Promise<"on" | "off" | "unknown"> {
  const row = await db.flowTriggerUsage.findUnique({
    where: { shop_trigger: { shop, trigger } },
    select: { enabled: true },
  });
  return row ? (row.enabled ? "on" : "off") : "unknown";
}

/** Flow calls back only when a workflow is turned on or off, so a lost record must not silence it: unknown is sent. */
export async function isFlowTriggerInUse(db: Db, shop: string, trigger: string): Promise<boolean> {
  return (await flowTriggerState(db, shop, trigger)) !== "off";
}

/** An unmatched trigger id may be any of them: every trigger recorded off before it counts as in use again. */
export async function recordUnattributedFlowUsage(db: Db, shop: string, observedAt: Date): Promise<number> {
  const { count } = await db.flowTriggerUsage.updateMany({
    where: { shop, observedAt: { lt: observedAt } },
    data: { enabled: true, observedAt },
  });
  return count;
}
