import type { Session } from "@shopify/shopify-api";

/**
 * A burst of deliveries for one shop reads its offline session once. Every write through the app forgets the
 * shop's entries at once; the short lifetime bounds how long another process's change can go unseen.
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
