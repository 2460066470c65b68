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

/** Whether a turned-on workflow of the shop starts from this trigger (no callback yet: none does). */
export async function isFlowTriggerInUse(db: Db, shop: string, trigger: string): Promise<boolean> {
  const row = await db.flowTriggerUsage.findUnique({
    where: { shop_trigger: { shop, trigger } },
    select: { enabled: true },
  });
  return row?.enabled ?? false;
}
