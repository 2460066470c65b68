import { PrismaPg } from "@prisma/adapter-pg";

import { adapterStatement, postgresPlaceholders, type SqlConnection, type SqlTransaction } from "./db.sql.server";

type SqlDriverAdapter = Awaited<ReturnType<PrismaPg["connect"]>>;
type AdapterTransaction = Awaited<ReturnType<SqlDriverAdapter["startTransaction"]>>;

// docs/decisions/0021-postgresql.md: nothing of SQLite's connection handling applies here.
export class PrismaPostgres extends PrismaPg implements SqlConnection {
  readonly databaseProvider = "postgresql" as const;
  #adapter: SqlDriverAdapter | undefined;

  override async connect(): Promise<SqlDriverAdapter> {
    const adapter = await super.connect();
    this.#adapter = adapter;
    return adapter;
  }

  async transaction<T>(connected: () => Promise<void>, work: (sql: SqlTransaction) => Promise<T>): Promise<T> {
    if (!this.#adapter) await connected();
    if (!this.#adapter) throw new Error("the PostgreSQL adapter did not connect");
    // The adapter's transaction sends BEGIN; its commit() and rollback() only hand the connection back to the
    // pool (Prisma sends COMMIT itself), so here both are sent too.
    const tx = await this.#adapter.startTransaction();
    try {
      const result = await work(sqlTransaction(tx));
      await tx.executeRaw(adapterStatement("COMMIT", []));
      await tx.commit();
      return result;
    } catch (error) {
      await tx.executeRaw(adapterStatement("ROLLBACK", [])).catch(() => undefined);
      await tx.rollback();
      throw error;
    }
  }
}

function sqlTransaction(tx: AdapterTransaction): SqlTransaction {
  const statement = (sql: string, args: Parameters<SqlTransaction["query"]>[1]) =>
    adapterStatement(postgresPlaceholders(sql), args);
  return {
    async query<Row extends Record<string, unknown>>(sql: string, args: Parameters<SqlTransaction["query"]>[1]) {
      const { columnNames, rows } = await tx.queryRaw(statement(sql, args));
      return rows.map((row) => Object.fromEntries(columnNames.map((name, i) => [name, row[i]])) as Row);
    },
    execute: (sql, args) => tx.executeRaw(statement(sql, args)),
  };
}
