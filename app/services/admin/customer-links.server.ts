import type { Db } from "../../db.server";
import { DAY_MS } from "../../domain";
import { findOrderLines } from "../../models/backorders.server";
import { orderLinksRevokedAt } from "../../models/customer-access.server";
import { issueCustomerLink, LINK_DAYS, revokeCustomerLinks } from "../customer-page/links.server";

export type CustomerLinkResult =
  | { ok: true; intent: "customer_link"; url: string; expiresAt: string }
  | { ok: true; intent: "revoke_links"; revokedAt: string }
  | { ok: false; error: string };

// docs/decisions/0022-customer-page.md
export async function runCustomerLinkAction(
  deps: { db: Db; secret: string; now: Date },
  shop: string,
  orderId: string,
  intent: FormDataEntryValue | null,
): Promise<CustomerLinkResult> {
  if ((await findOrderLines(deps.db, shop, orderId)).length === 0) return { ok: false, error: "No such order" };
  if (intent === "customer_link") {
    const expires = new Date(deps.now.getTime() + LINK_DAYS * DAY_MS);
    const link = await issueCustomerLink(deps.db, deps.secret, shop, orderId, expires);
    return { ok: true, intent, url: link.url, expiresAt: link.expiresAt.toISOString() };
  }
  if (intent === "revoke_links") {
    await revokeCustomerLinks(deps.db, shop, orderId, deps.now);
    return { ok: true, intent, revokedAt: deps.now.toISOString() };
  }
  return { ok: false, error: "Unknown action" };
}

export const linksRevokedAt = (db: Db, shop: string, orderId: string) => orderLinksRevokedAt(db, shop, orderId);
