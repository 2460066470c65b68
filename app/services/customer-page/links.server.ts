import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

import type { Db } from "../../db.server";
import {
  findOrderLinkNonce,
  orderLinkNonce,
  rotateOrderLinkNonce,
  saveFormToken,
  spendFormToken,
} from "../../models/customer-access.server";
import { numericId } from "../shopify-values";

/**
 * docs/decisions/0022-customer-page.md. The nonce never leaves the database: the merchant revokes every link of an
 * order by drawing a new one.
 */

export const DEFAULT_PROXY_PATH = "/apps/backorders";
/** Longer than any deadline the app sets without consent. */
export const LINK_DAYS = 60;
export const FORM_TOKEN_MS = 2 * 60 * 60 * 1000;

const linkKey = (secret: string) => createHmac("sha256", secret).update("backorder-keeper/customer-link/v1").digest();

function linkMac(secret: string, shop: string, orderId: string, expires: number, nonce: string): string {
  return createHmac("sha256", linkKey(secret))
    .update([shop, orderId, String(expires), nonce].join("\n"))
    .digest("base64url");
}

export interface CustomerLink {
  /** Under the storefront's root: `/apps/backorders/orders/123?link=…`. */
  path: string;
  /** Shopify redirects the myshopify domain to the primary one, keeping the path. */
  url: string;
  expiresAt: Date;
}

export async function issueCustomerLink(
  db: Db,
  secret: string,
  shop: string,
  orderId: string,
  expiresAt: Date,
  proxyPath = DEFAULT_PROXY_PATH,
): Promise<CustomerLink> {
  const nonce = await orderLinkNonce(db, shop, orderId);
  const expires = Math.floor(expiresAt.getTime() / 1000);
  const path = `${proxyPath}/orders/${numericId(orderId)}?link=${expires}.${linkMac(secret, shop, orderId, expires, nonce)}`;
  return { path, url: `https://${shop}${path}`, expiresAt: new Date(expires * 1000) };
}

export async function verifyCustomerLink(
  db: Db,
  secret: string,
  shop: string,
  orderId: string,
  link: string,
  now: Date,
): Promise<boolean> {
  const match = /^(\d{1,12})\.([\w-]{43})$/.exec(link);
  if (!match) return false;
  const expires = Number(match[1]);
  if (expires * 1000 <= now.getTime()) return false;
  const nonce = await findOrderLinkNonce(db, shop, orderId);
  if (!nonce) return false;
  const expected = Buffer.from(linkMac(secret, shop, orderId, expires, nonce));
  const given = Buffer.from(match[2]!);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export async function revokeCustomerLinks(db: Db, shop: string, orderId: string, now: Date): Promise<void> {
  await rotateOrderLinkNonce(db, shop, orderId, now);
}

const hash = (token: string) => createHash("sha256").update(token).digest("hex");

/** Recorded as its hash. */
export async function issueFormToken(db: Db, shop: string, orderId: string, action: string, now: Date) {
  const token = randomBytes(24).toString("base64url");
  const expiresAt = new Date(now.getTime() + FORM_TOKEN_MS);
  await saveFormToken(db, { shop, orderId, action, tokenHash: hash(token), expiresAt }, now);
  return token;
}

/** Nothing changes for a forged, replayed, expired or other-action token. */
export async function spendToken(db: Db, shop: string, orderId: string, action: string, token: string, now: Date) {
  if (!/^[\w-]{32}$/.test(token)) return false;
  return spendFormToken(db, { shop, orderId, action, tokenHash: hash(token) }, now);
}
