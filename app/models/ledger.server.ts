import type { Db } from "../db.server";
import { Prisma } from "../generated/prisma/client";

/**
 * Runs an effect once per (shop, key) across retries and returns the first recorded result (JSON; undefined is
 * null). Two concurrent calls may both run it, and a crash after Shopify applied it leaves no record: Shopify's
 * own dedupe (a hold's `handle`, an `@idempotent` key) covers both.
 */
export async function applyOnce<T>(
  db: Db,
  shop: string,
  key: string,
  kind: string,
  effect: (key: string) => Promise<T>,
): Promise<T> {
  if (!key) throw new Error("applyOnce: key is empty");
  const recorded = await findEffect(db, shop, key);
  if (recorded) return recorded.result as T;

  const result = await effect(key);
  const stored = JSON.stringify(result ?? null);
  try {
    await db.effectLedger.create({ data: { shop, key, kind, result: stored } });
  } catch (error) {
    // Another worker applied the same effect concurrently and recorded first: its result stands.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const winner = await findEffect(db, shop, key);
      if (winner) return winner.result as T;
    }
    throw error;
  }
  return JSON.parse(stored) as T;
}

export async function findEffect(db: Db, shop: string, key: string) {
  const row = await db.effectLedger.findUnique({ where: { shop_key: { shop, key } } });
  return row ? { kind: row.kind, result: JSON.parse(row.result) as unknown, createdAt: row.createdAt } : null;
}

/** Keys name their subject first, then what was done. */
export async function latestEffect(db: Db, shop: string, prefix: string) {
  const row = await db.effectLedger.findFirst({
    where: { shop, key: { startsWith: prefix } },
    orderBy: { createdAt: "desc" },
  });
  return row ? { key: row.key, kind: row.kind, createdAt: row.createdAt } : null;
}

/** Marks a key done without running anything (an effect sent inside another request, a step begun). */
export async function recordEffect(db: Db, shop: string, key: string, kind: string, result: unknown): Promise<void> {
  await db.effectLedger.upsert({
    where: { shop_key: { shop, key } },
    create: { shop, key, kind, result: JSON.stringify(result ?? null) },
    update: {},
  });
}
