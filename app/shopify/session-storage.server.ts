import type { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";

import type { Db } from "../db.server";
import { forgetSession, recentSession, rememberSession } from "../models/session-cache.server";

/** The library's Prisma session storage, with offline sessions kept briefly (app/models/session-cache.server.ts). */
export class CachedSessionStorage extends PrismaSessionStorage<Db> {
  override async loadSession(id: string): Promise<Session | undefined> {
    const cached = recentSession(id, Date.now());
    if (cached) return cached;
    const session = await super.loadSession(id);
    if (session) rememberSession(session, Date.now());
    return session;
  }

  override async storeSession(session: Session): Promise<boolean> {
    const stored = await super.storeSession(session);
    forgetSession(session.id);
    return stored;
  }

  override async deleteSession(id: string): Promise<boolean> {
    const deleted = await super.deleteSession(id);
    forgetSession(id);
    return deleted;
  }

  override async deleteSessions(ids: string[]): Promise<boolean> {
    const deleted = await super.deleteSessions(ids);
    ids.forEach(forgetSession);
    return deleted;
  }
}
