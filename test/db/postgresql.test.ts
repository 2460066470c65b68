import { execFileSync } from "node:child_process";

import { afterAll, describe, expect, it } from "vitest";

import db, { connectDatabase, providerOf, sqlFor, sqlTransaction } from "~/db.server";
import { postgresPlaceholders } from "~/db.sql.server";

import { createPostgresDatabase } from "../support/postgres";

/** What the PostgreSQL provider does differently from SQLite (docs/decisions/0021-postgresql.md). */

const postgres = await createPostgresDatabase();
const pg = connectDatabase(postgres.url);
afterAll(async () => {
  await pg.$disconnect();
  await postgres.drop();
});

/** The checkpoint processes this test process started (their command line holds the pragma they run). */
function checkpointProcesses(): number[] {
  try {
    return execFileSync("pgrep", ["-P", String(process.pid), "-f", "wal_checkpoint"], { encoding: "utf8" })
      .trim()
      .split("\n")
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

describe("the PostgreSQL provider", () => {
  it("is chosen by a postgresql:// URL", async () => {
    expect(providerOf(pg)).toBe("postgresql");
    expect(providerOf(db)).toBe("sqlite");
    expect(() => connectDatabase("mysql://localhost/db")).toThrow("DATABASE_URL mysql: is not supported");
    expect(await pg.$queryRawUnsafe<{ version: string }[]>("SELECT version() AS version")).toEqual([
      { version: expect.stringMatching(/^PostgreSQL \d+/) },
    ]);
  });

  it("starts no WAL checkpoint process (SQLite's client does)", async () => {
    await db.session.count();
    const withSqlite = checkpointProcesses();
    expect(withSqlite).toHaveLength(1);
    await pg.session.count();
    expect(checkpointProcesses()).toEqual(withSqlite);
  });

  it("numbers `?` placeholders, leaving quoted text and comments alone", () => {
    expect(postgresPlaceholders(`SELECT "a?" FROM t WHERE x = ? AND y = '?' -- ?\n AND z IN (?, ?)`)).toBe(
      `SELECT "a?" FROM t WHERE x = $1 AND y = '?' -- ?\n AND z IN ($2, $3)`,
    );
    expect(sqlFor(pg, "x = ?")).toBe("x = $1");
    expect(sqlFor(db, "x = ?")).toBe("x = ?");
  });

  it("runs plain SQL in one transaction: a failure writes nothing and the connection serves the next one", async () => {
    const insert = `INSERT INTO "EffectLedger" ("id", "shop", "key", "kind", "createdAt") VALUES (?, ?, ?, ?, ?)`;
    const at = new Date("2026-11-26T10:17:23.456Z");
    await expect(
      sqlTransaction(pg, async (sql) => {
        await sql.execute(insert, ["l-1", "a.myshopify.com", "k-1", "hold", at]);
        await sql.execute(insert, ["l-2", "a.myshopify.com", "k-1", "hold", at]); // (shop, key) is unique
      }),
    ).rejects.toThrow();
    expect(await pg.effectLedger.count()).toBe(0);

    // More transactions than the pool has connections: none was left inside an aborted transaction.
    for (let i = 0; i < 12; i++) {
      await sqlTransaction(pg, (sql) => sql.execute(insert, [`ok-${i}`, "a.myshopify.com", `k-${i}`, "hold", at]));
    }
    const rows = await sqlTransaction(pg, (sql) =>
      sql.query<{ id: string; createdAt: string }>(`SELECT "id", "createdAt" FROM "EffectLedger" WHERE "id" = ?`, [
        "ok-0",
      ]),
    );
    // The adapter answers a timestamp as the same text SQLite stores.
    expect(rows).toEqual([{ id: "ok-0", createdAt: "2026-11-26T10:17:23.456+00:00" }]);
    expect((await pg.effectLedger.findUniqueOrThrow({ where: { id: "ok-0" } })).createdAt).toEqual(at);
  });
});
