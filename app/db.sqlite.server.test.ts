import { describe, expect, it } from "vitest";

import db from "~/db.server";

async function pragmas() {
  const [[journal], [synchronous], [busy]] = await Promise.all([
    db.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode"),
    db.$queryRawUnsafe<{ synchronous: bigint | number }[]>("PRAGMA synchronous"),
    db.$queryRawUnsafe<{ timeout: bigint | number }[]>("PRAGMA busy_timeout"),
  ]);
  return { journal: journal?.journal_mode, synchronous: Number(synchronous?.synchronous), busy: Number(busy?.timeout) };
}

describe("the SQLite connection", () => {
  it("GIVEN interactive transactions WHEN they commit or roll back THEN the connection keeps its pragmas", async () => {
    expect(await pragmas()).toEqual({ journal: "wal", synchronous: 1, busy: 5000 });

    await db.$transaction(async (tx) => {
      await tx.shopSettings.create({ data: { shop: "pragma-a.myshopify.com" } });
    });
    await expect(
      db.$transaction(async (tx) => {
        await tx.shopSettings.create({ data: { shop: "pragma-b.myshopify.com" } });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");

    expect(await pragmas()).toEqual({ journal: "wal", synchronous: 1, busy: 5000 });
    const shops = await db.shopSettings.findMany({
      where: { shop: { startsWith: "pragma-" } },
      select: { shop: true },
    });
    expect(shops).toEqual([{ shop: "pragma-a.myshopify.com" }]);
  });
});
