import { PrismaLibSQL } from "@prisma/adapter-libsql";

import { startCheckpointer } from "./db.checkpoint.server";
import { adapterStatement, type SqlConnection, type SqlTransaction, type SqlValue } from "./db.sql.server";

// The adapter bundles its own @libsql/client: its types, not the app's copy.
type Client = ReturnType<PrismaLibSQL["createClient"]>;
type Config = Parameters<PrismaLibSQL["createClient"]>[0];
type Transaction = Awaited<ReturnType<Client["transaction"]>>;
type TransactionMode = "write" | "read" | "deferred";
type Statement = Parameters<Transaction["execute"]>[0];
type SqlDriverAdapter = Awaited<ReturnType<PrismaLibSQL["connect"]>>;
type AdapterTransaction = Awaited<ReturnType<SqlDriverAdapter["startTransaction"]>>;

/**
 * docs/decisions/0007-job-runner.md. synchronous = NORMAL: a commit survives a crash of the process, but a power
 * loss can undo the last moments of commits; FULL fsynced at every commit and blocked the event loop.
 * busy_timeout: another process holding the write lock is waited for instead of failing with SQLITE_BUSY.
 */
const CONNECTION_PRAGMAS = ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA busy_timeout = 5000"];

/** SQLite's default. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;
const CHECKPOINT_INTERVAL_MS = 500;

const BEGIN: Record<TransactionMode, string> = {
  deferred: "BEGIN DEFERRED",
  write: "BEGIN IMMEDIATE",
  read: "BEGIN TRANSACTION READONLY",
};

/**
 * One long-lived connection: a transaction runs BEGIN … COMMIT on it, safe because the adapter holds its
 * process-wide mutex from the start of a transaction until its commit or rollback.
 */
export class PrismaSQLite extends PrismaLibSQL implements SqlConnection {
  readonly databaseProvider = "sqlite" as const;
  #adapter: SqlDriverAdapter | undefined;
  readonly #config: Config;

  constructor(config: Config, options?: ConstructorParameters<typeof PrismaLibSQL>[1]) {
    super(config, options);
    this.#config = config;
  }

  override createClient(config: Config): Client {
    const client = super.createClient(config);
    const execute = client.execute.bind(client) as (stmt: Statement) => ReturnType<Client["execute"]>;
    client.execute = (async (stmt: Statement) => {
      await turn();
      return execute(stmt);
    }) as Client["execute"];
    client.transaction = (mode: TransactionMode = "write") => sameConnectionTransaction(client, mode);
    return client;
  }

  override async connect(): ReturnType<PrismaLibSQL["connect"]> {
    const adapter = await super.connect();
    const pragma = (sql: string) => adapter.queryRaw({ sql, args: [], argTypes: [] });
    for (const sql of CONNECTION_PRAGMAS) await pragma(sql);
    const { url } = this.#config;
    if (url.startsWith("file:") && !url.includes(":memory:")) {
      let disposing = false;
      const checkpointer = startCheckpointer(url, CHECKPOINT_INTERVAL_MS, {
        onStarted: () => void pragma("PRAGMA wal_autocheckpoint = 0").catch(() => undefined),
        onStopped: (reason) => {
          if (disposing) return;
          console.warn(`SQLite checkpoint process ${reason}; the connection checkpoints by itself again`);
          void pragma(`PRAGMA wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`).catch(() => undefined);
        },
        onFailure: (message) => console.warn(`SQLite checkpoint failed: ${message}`),
      });
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        disposing = true;
        checkpointer.stop();
        return dispose();
      };
    }
    this.#adapter = adapter;
    return adapter;
  }

  /** Behind the same lock (docs/decisions/0010-webhook-intake-path.md); `connected` is the client's own `$connect`. */
  async transaction<T>(connected: () => Promise<void>, work: (sql: SqlTransaction) => Promise<T>): Promise<T> {
    if (!this.#adapter) await connected();
    if (!this.#adapter) throw new Error("the SQLite adapter did not connect");
    const tx = await this.#adapter.startTransaction();
    try {
      const result = await work(sqlTransaction(tx));
      await tx.commit();
      return result;
    } catch (error) {
      await tx.rollback();
      throw error;
    }
  }
}

function sqlTransaction(tx: AdapterTransaction): SqlTransaction {
  return {
    async query<Row extends Record<string, unknown>>(sql: string, args: readonly SqlValue[]) {
      const { columnNames, rows } = await tx.queryRaw(adapterStatement(sql, args));
      return rows.map((row) => Object.fromEntries(columnNames.map((name, i) => [name, row[i]])) as Row);
    },
    execute: (sql, args) => tx.executeRaw(adapterStatement(sql, args)),
  };
}

/** libSQL runs a statement synchronously: without a turn a webhook arriving during a job waited for the whole job. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function sameConnectionTransaction(client: Client, mode: TransactionMode): Promise<Transaction> {
  await client.execute(BEGIN[mode]);
  let closed = false;
  const finish = async (sql: "COMMIT" | "ROLLBACK") => {
    if (closed) throw new Error(`${sql}: the transaction is already closed`);
    closed = true;
    try {
      await client.execute(sql);
    } catch (error) {
      // A failed COMMIT leaves the transaction open; the shared connection must not stay inside it.
      if (sql === "COMMIT") await client.execute("ROLLBACK").catch(() => undefined);
      throw error;
    }
  };
  const execute = (stmt: Statement) =>
    closed ? Promise.reject(new Error("the transaction is closed")) : client.execute(stmt);
  return {
    execute,
    async batch(stmts: Statement[]) {
      const results = [];
      for (const stmt of stmts) results.push(await execute(stmt));
      return results;
    },
    executeMultiple() {
      return Promise.reject(new Error("executeMultiple is not supported inside a transaction"));
    },
    commit: () => finish("COMMIT"),
    rollback: () => (closed ? Promise.resolve() : finish("ROLLBACK")),
    close() {
      if (!closed) void finish("ROLLBACK").catch(() => undefined);
    },
    get closed() {
      return closed;
    },
  };
}
