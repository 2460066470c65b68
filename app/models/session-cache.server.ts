import type { Session } from "@shopify/shopify-api";

/**
 * Offline sessions loaded in the last moments, by id. Every webhook's verification loads its shop's offline
 * session; a burst of deliveries for one shop reads it once instead of once each. Every write through the
 * app (session storage, uninstall, scopes update, shop/redact) forgets the shop's entries at once; the short
 * lifetime bounds how long a change made by another process can go unseen.
 */
const TTL_MS = 2_000;
const recent = new Map<string, { session: Session; until: number }>();

export function recentSession(id: string, now: number): Session | undefined {
  const entry = recent.get(id);
  if (entry && entry.until > now) return entry.session;
  recent.delete(id);
  return undefined;
}

export function rememberSession(session: Session, now: number): void {
  if (!session.isOnline) recent.set(session.id, { session, until: now + TTL_MS });
}

export function forgetSession(id: string): void {
  recent.delete(id);
}

export function forgetShopSessions(shop: string): void {
  for (const [id, { session }] of recent) if (session.shop === shop) recent.delete(id);
}
