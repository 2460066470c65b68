import { PrismaLibSQL } from "@prisma/adapter-libsql";

// The adapter bundles its own @libsql/client: its types, not the app's copy.
type Client = ReturnType<PrismaLibSQL["createClient"]>;
type Config = Parameters<PrismaLibSQL["createClient"]>[0];
type Transaction = Awaited<ReturnType<Client["transaction"]>>;
type TransactionMode = "write" | "read" | "deferred";
type Statement = Parameters<Transaction["execute"]>[0];

/**
 * Applied once to the one connection of the process (docs/decisions/0007-job-runner.md):
 * - WAL: a commit appends to the log and fsyncs it once, instead of the rollback journal's several fsyncs,
 *   and readers in other processes never block the writer. Persistent in the file.
 * - synchronous = NORMAL: a commit is written to the WAL without an fsync (the WAL is fsynced at each
 *   checkpoint). A committed transaction survives a crash of the process; a power loss or OS crash can undo
 *   the last moments of commits. FULL fsynced at every commit, which blocked the event loop (libSQL's binding
 *   is synchronous) for milliseconds per commit and made the intake's acknowledgements wait seconds.
 * - busy_timeout: another process holding the write lock (a CLI, a second worker) is waited for instead of
 *   failing the statement with SQLITE_BUSY.
 */
const CONNECTION_PRAGMAS = ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA busy_timeout = 5000"];

const BEGIN: Record<TransactionMode, string> = {
  deferred: "BEGIN DEFERRED",
  write: "BEGIN IMMEDIATE",
  read: "BEGIN TRANSACTION READONLY",
};

/**
 * Prisma's libSQL adapter with one long-lived SQLite connection. @libsql/client hands its connection to every
 * `transaction()` and opens a new one for the next statement, so each interactive transaction paid a
 * reconnect and a schema parse, and lost the connection's pragmas. Here a transaction runs BEGIN … COMMIT on
 * the same connection: safe because the adapter holds its process-wide mutex from the start of a transaction
 * until its commit or rollback, so no other statement can run on the connection in between.
 */
export class PrismaSQLite extends PrismaLibSQL {
  override createClient(config: Config): Client {
    const client = super.createClient(config);
    client.transaction = (mode: TransactionMode = "write") => sameConnectionTransaction(client, mode);
    return client;
  }

  override async connect(): ReturnType<PrismaLibSQL["connect"]> {
    const adapter = await super.connect();
    for (const sql of CONNECTION_PRAGMAS) await adapter.queryRaw({ sql, args: [], argTypes: [] });
    return adapter;
  }
}

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
