import type { DatabaseProvider } from "./db.url";

// Plain SQL for hot paths (docs/decisions/0010-webhook-intake-path.md), written once with SQLite's `?` placeholders.

export type SqlValue = string | number | null | Date;

export interface SqlTransaction {
  query<Row extends Record<string, unknown>>(sql: string, args: readonly SqlValue[]): Promise<Row[]>;
  execute(sql: string, args: readonly SqlValue[]): Promise<number>;
}

export interface SqlConnection {
  readonly databaseProvider: DatabaseProvider;
  /** `connected` is the client's own `$connect`, so the adapter exists before the first statement. */
  transaction<T>(connected: () => Promise<void>, work: (sql: SqlTransaction) => Promise<T>): Promise<T>;
}

/** A date is bound as Prisma stores DateTime (ISO text on SQLite, timestamp(3) on PostgreSQL). */
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

/** A `?` inside a quoted string or identifier, or a comment, is left alone. */
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
