import type { Db } from "../db.server";
import { forgetShopSessions } from "./session-cache.server";

export async function deleteShopSessions(db: Db, shop: string): Promise<number> {
  const { count } = await db.session.deleteMany({ where: { shop } });
  forgetShopSessions(shop);
  return count;
}

/** Shopify sends the granted scopes after a merchant approves a change; sessions must carry them. */
export async function updateShopScopes(db: Db, shop: string, scopes: string[]): Promise<number> {
  const { count } = await db.session.updateMany({ where: { shop }, data: { scope: scopes.join(",") } });
  forgetShopSessions(shop);
  return count;
}

export async function findOfflineSession(db: Db, shop: string) {
  return db.session.findUnique({
    where: { id: `offline_${shop}` },
    select: { shop: true, accessToken: true, scope: true },
  });
}
