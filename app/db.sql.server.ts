import type { DatabaseProvider } from "./db.url";

/**
 * Plain SQL beside Prisma, for the few hot paths where Prisma's query compiler costs more than the statements
 * (docs/decisions/0010-webhook-intake-path.md), on either provider (docs/decisions/0021-postgresql.md). SQL is
 * written once with `?` placeholders, SQLite's; on PostgreSQL they become `$1`, `$2`, … (`postgresPlaceholders`).
 */

/** A value bound to a `?`. Dates are stored as Prisma stores them on each provider. */
export type SqlValue = string | number | null | Date;

export interface SqlTransaction {
  /** Rows as objects keyed by column name. */
  query<Row extends Record<string, unknown>>(sql: string, args: readonly SqlValue[]): Promise<Row[]>;
  /** The number of rows changed. */
  execute(sql: string, args: readonly SqlValue[]): Promise<number>;
}

/** A provider's own connection, where plain SQL runs in one transaction behind Prisma's back. */
export interface SqlConnection {
  readonly databaseProvider: DatabaseProvider;
  /** `connected` is the client's own `$connect`, so the adapter exists before the first statement. */
  transaction<T>(connected: () => Promise<void>, work: (sql: SqlTransaction) => Promise<T>): Promise<T>;
}

/**
 * The driver adapter's form of a statement. The scalar type tells the adapter how to bind a value: a date as
 * Prisma stores DateTime (ISO text on SQLite, timestamp(3) on PostgreSQL).
 */
export function adapterStatement(sql: string, args: readonly SqlValue[]) {
  return {
    sql,
    args: [...args],
    argTypes: args.map((arg) => ({
      arity: "scalar" as const,
      scalarType:
        arg instanceof Date ? ("datetime" as const) : typeof arg === "number" ? ("int" as const) : ("string" as const),
    })),
  };
}

/**
 * `?` placeholders as PostgreSQL's numbered ones. A `?` inside a quoted string or identifier, or a comment, is
 * left alone; the app's statements have none, the scan only keeps this from being a trap.
 */
export function postgresPlaceholders(sql: string): string {
  let out = "";
  let n = 0;
  for (let i = 0; i < sql.length; i++) {
    const char = sql[i]!;
    if (char === "'" || char === '"') {
      const end = sql.indexOf(char, i + 1);
      const stop = end === -1 ? sql.length : end + 1;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (char === "-" && sql[i + 1] === "-") {
      const end = sql.indexOf("\n", i);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else {
      out += char === "?" ? `$${++n}` : char;
    }
  }
  return out;
}
