import type { Db } from "../db.server";
import { stopShopJobs } from "../models/jobs.server";
import { deleteShopSessions, updateShopScopes } from "../models/sessions.server";

/** The tokens are dead: pending jobs stay visible as dead until shop/redact deletes the shop's data. */
export async function handleAppUninstalled(db: Db, shop: string) {
  const sessionsDeleted = await deleteShopSessions(db, shop);
  const { stopped } = await stopShopJobs(db, shop);
  return { sessionsDeleted, jobsStopped: stopped };
}

export async function handleScopesUpdate(db: Db, shop: string, payload: unknown) {
  const current = (payload as { current?: unknown }).current;
  if (!Array.isArray(current) || !current.every((scope) => typeof scope === "string")) {
    throw new Error("app/scopes_update payload has no `current` list of scopes");
  }
  return { sessionsUpdated: await updateShopScopes(db, shop, current) };
}
