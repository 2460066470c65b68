import type { Db } from "../db.server";
import { deleteShopSessions, updateShopScopes } from "../models/sessions.server";

/** app/uninstalled: the shop's tokens are dead; its data stays until shop/redact arrives. */
export async function handleAppUninstalled(db: Db, shop: string) {
  return { sessionsDeleted: await deleteShopSessions(db, shop) };
}

export async function handleScopesUpdate(db: Db, shop: string, payload: unknown) {
  const current = (payload as { current?: unknown }).current;
  if (!Array.isArray(current) || !current.every((scope) => typeof scope === "string")) {
    throw new Error("app/scopes_update payload has no `current` list of scopes");
  }
  return { sessionsUpdated: await updateShopScopes(db, shop, current) };
}
