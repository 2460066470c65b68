import { randomBytes } from "node:crypto";

import type { Db } from "../db.server";

// docs/decisions/0022-customer-page.md; only a form token's hash is kept.

export async function orderLinkNonce(db: Db, shop: string, orderId: string): Promise<string> {
  const row = await db.orderAccess.upsert({
    where: { shop_orderId: { shop, orderId } },
    create: { shop, orderId, nonce: randomBytes(16).toString("hex") },
    update: {},
  });
  return row.nonce;
}

/** The order's nonce if it has one: a link to an order that never had one issued is forged. */
export async function findOrderLinkNonce(db: Db, shop: string, orderId: string): Promise<string | null> {
  const row = await db.orderAccess.findUnique({ where: { shop_orderId: { shop, orderId } } });
  return row?.nonce ?? null;
}

/** A new nonce: every link issued for the order until now stops working. */
export async function rotateOrderLinkNonce(db: Db, shop: string, orderId: string, now: Date): Promise<void> {
  const nonce = randomBytes(16).toString("hex");
  await db.orderAccess.upsert({
    where: { shop_orderId: { shop, orderId } },
    create: { shop, orderId, nonce, revokedAt: now },
    update: { nonce, revokedAt: now },
  });
}

export async function orderLinksRevokedAt(db: Db, shop: string, orderId: string): Promise<Date | null> {
  const row = await db.orderAccess.findUnique({ where: { shop_orderId: { shop, orderId } } });
  return row?.revokedAt ?? null;
}

export async function saveFormToken(
  db: Db,
  token: { shop: string; orderId: string; action: string; tokenHash: string; expiresAt: Date },
  now: Date,
): Promise<void> {
  await db.$transaction([
    db.formToken.deleteMany({ where: { shop: token.shop, expiresAt: { lt: now } } }),
    db.formToken.create({ data: token }),
  ]);
}

/** One UPDATE: of two requests carrying the same token at once, exactly one gets true. */
export async function spendFormToken(
  db: Db,
  token: { shop: string; orderId: string; action: string; tokenHash: string },
  now: Date,
): Promise<boolean> {
  const { count } = await db.formToken.updateMany({
    where: { ...token, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  return count === 1;
}
