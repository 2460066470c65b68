import { readFileSync } from "node:fs";

import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";

import db from "~/db.server";

import { POSTGRESQL_SCHEMA, postgresqlSchema, SQLITE_SCHEMA } from "../../prisma/postgresql-schema";
import { createPostgresDatabase } from "../support/postgres";

/**
 * Both migration sets give the same schema (docs/decisions/0021-postgresql.md): each migrated database's own
 * catalogue is read (sqlite_master and its pragmas; PostgreSQL's pg_catalog), not the schema files, and reduced
 * to the same description: tables, their columns with type (mapped), nullability and primary key, every other
 * index with its columns in order and whether it is unique, foreign keys, and which tables carry triggers.
 */

interface Column {
  name: string;
  type: string;
  nullable: boolean;
}
interface Index {
  columns: string[];
  unique: boolean;
}
interface Table {
  columns: Column[];
  primaryKey: string[];
  indexes: Index[];
  foreignKeys: string[];
}
interface Catalogue {
  tables: Record<string, Table>;
  triggerTables: string[];
}

// Prisma's mapping: String TEXT / text, Int INTEGER / integer, BigInt BIGINT / bigint, Boolean BOOLEAN / boolean,
// DateTime DATETIME / timestamp(3).
const SQLITE_TYPES: Record<string, string> = {
  TEXT: "String",
  INTEGER: "Int",
  BIGINT: "BigInt",
  BOOLEAN: "Boolean",
  DATETIME: "DateTime",
};
const POSTGRES_TYPES: Record<string, string> = {
  text: "String",
  integer: "Int",
  bigint: "BigInt",
  boolean: "Boolean",
  "timestamp(3) without time zone": "DateTime",
};
const mapped = (types: Record<string, string>, type: string) => types[type] ?? `unmapped ${type}`;
const byColumns = (a: Index, b: Index) =>
  a.columns.join().localeCompare(b.columns.join()) || Number(a.unique) - Number(b.unique);
const INTERNAL = "_prisma_migrations";
// Column order is not compared: SQLite's ALTER TABLE appends where the PostgreSQL baseline has the model's order.
const byName = (a: Column, b: Column) => a.name.localeCompare(b.name);

async function sqliteCatalogue(): Promise<Catalogue> {
  const query = <Row>(sql: string, ...args: unknown[]) => db.$queryRawUnsafe<Row[]>(sql, ...args);
  const names = await query<{ name: string }>(
    `SELECT "name" FROM sqlite_master WHERE "type" = 'table' AND "name" NOT LIKE 'sqlite_%' AND "name" <> ? ORDER BY 1`,
    INTERNAL,
  );
  const tables: Record<string, Table> = {};
  for (const { name } of names) {
    const info = await query<{ name: string; type: string; notnull: bigint; pk: bigint }>(
      `SELECT "name", "type", "notnull", "pk" FROM pragma_table_info(?) ORDER BY "cid"`,
      name,
    );
    const indexList = await query<{ name: string; unique: bigint; origin: string }>(
      `SELECT "name", "unique", "origin" FROM pragma_index_list(?) WHERE "origin" <> 'pk'`,
      name,
    );
    const indexes: Index[] = [];
    for (const index of indexList) {
      const columns = await query<{ name: string }>(
        `SELECT "name" FROM pragma_index_info(?) ORDER BY "seqno"`,
        index.name,
      );
      indexes.push({ columns: columns.map((column) => column.name), unique: Number(index.unique) === 1 });
    }
    const foreignKeys = await query<{ from: string; table: string; to: string; on_delete: string; on_update: string }>(
      `SELECT "from", "table", "to", "on_delete", "on_update" FROM pragma_foreign_key_list(?)`,
      name,
    );
    tables[name] = {
      columns: info
        .map((column) => ({
          name: column.name,
          type: mapped(SQLITE_TYPES, column.type),
          // A primary key column of SQLite is NOT NULL in Prisma's migrations; both say so explicitly.
          nullable: Number(column.notnull) === 0,
        }))
        .sort(byName),
      primaryKey: info
        .filter((column) => Number(column.pk) > 0)
        .sort((a, b) => Number(a.pk) - Number(b.pk))
        .map((column) => column.name),
      indexes: indexes.sort(byColumns),
      foreignKeys: foreignKeys
        .map((key) => `${key.from} → ${key.table}.${key.to} on delete ${key.on_delete} on update ${key.on_update}`)
        .sort(),
    };
  }
  const triggers = await query<{ tbl_name: string }>(
    `SELECT DISTINCT "tbl_name" FROM sqlite_master WHERE "type" = 'trigger' ORDER BY 1`,
  );
  return { tables, triggerTables: triggers.map((row) => row.tbl_name) };
}

async function postgresCatalogue(client: pg.Client): Promise<Catalogue> {
  const query = async <Row>(sql: string, args: unknown[] = []) => (await client.query(sql, args)).rows as Row[];
  const names = await query<{ name: string }>(
    `SELECT c.relname::text AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> $1 ORDER BY 1`,
    [INTERNAL],
  );
  const tables: Record<string, Table> = {};
  for (const { name } of names) {
    const table = `public."${name}"`;
    const columns = await query<{ name: string; type: string; nullable: boolean }>(
      `SELECT a.attname::text AS name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable
       FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
      [table],
    );
    // Each index's key columns in order; the primary key's index is the primary key.
    const indexes = await query<{ primary: boolean; unique: boolean; columns: string[] }>(
      `SELECT i.indisprimary AS primary, i.indisunique AS unique,
              ARRAY(SELECT a.attname::text FROM unnest(i.indkey) WITH ORDINALITY k(attnum, n)
                    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.n) AS columns
       FROM pg_index i WHERE i.indrelid = $1::regclass`,
      [table],
    );
    const foreignKeys = await query<{ from: string; table: string; to: string; on_delete: string; on_update: string }>(
      `SELECT a.attname::text AS from, t.relname::text AS table, b.attname::text AS to,
              c.confdeltype::text AS on_delete, c.confupdtype::text AS on_update
       FROM pg_constraint c
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
       JOIN pg_class t ON t.oid = c.confrelid
       JOIN pg_attribute b ON b.attrelid = c.confrelid AND b.attnum = c.confkey[1]
       WHERE c.conrelid = $1::regclass AND c.contype = 'f'`,
      [table],
    );
    const action: Record<string, string> = {
      a: "NO ACTION",
      r: "RESTRICT",
      c: "CASCADE",
      n: "SET NULL",
      d: "SET DEFAULT",
    };
    tables[name] = {
      columns: columns.map((column) => ({ ...column, type: mapped(POSTGRES_TYPES, column.type) })).sort(byName),
      primaryKey: indexes.find((index) => index.primary)?.columns ?? [],
      indexes: indexes
        .filter((index) => !index.primary)
        .map((index) => ({ columns: index.columns, unique: index.unique }))
        .sort(byColumns),
      foreignKeys: foreignKeys
        .map(
          (key) =>
            `${key.from} → ${key.table}.${key.to} on delete ${action[key.on_delete]} on update ${action[key.on_update]}`,
        )
        .sort(),
    };
  }
  const triggers = await query<{ table: string }>(
    `SELECT DISTINCT c.relname::text AS table FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND NOT t.tgisinternal ORDER BY 1`,
  );
  return { tables, triggerTables: triggers.map((row) => row.table) };
}

const postgres = await createPostgresDatabase();
afterAll(() => postgres.drop());

describe("the two providers' schemas", () => {
  it("prisma/postgresql/schema.prisma is the SQLite schema's models under a PostgreSQL datasource", () => {
    expect(readFileSync(POSTGRESQL_SCHEMA, "utf8")).toBe(postgresqlSchema(readFileSync(SQLITE_SCHEMA, "utf8")));
  });

  it("both migration sets give the same tables, columns, keys, indexes and triggered tables", async () => {
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
      const [sqlite, postgresql] = [await sqliteCatalogue(), await postgresCatalogue(client)];
      // The comparison has something to compare: every model, and the rollups' triggers.
      expect(Object.keys(sqlite.tables).length).toBeGreaterThan(20);
      expect(sqlite.triggerTables).toEqual(["BackorderLine", "LostSale", "TimelineEvent"]);
      expect(JSON.stringify(sqlite)).not.toContain("unmapped");
      expect(postgresql).toEqual(sqlite);
    } finally {
      await client.end();
    }
  });
});
