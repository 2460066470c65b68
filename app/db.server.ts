import { PrismaSQLite, type SqlTransaction } from "./db.sqlite.server";
import { env } from "./env.server";
import { PrismaClient } from "./generated/prisma/client";

/**
 * The one Prisma client of the process. The driver adapter is chosen from DATABASE_URL; SQLite
 * (libSQL) is the default, PostgreSQL arrives with docs/decisions/0003-database-providers.md.
 */
function createClient(url: string): PrismaClient {
  if (!url.startsWith("file:")) {
    throw new Error(`DATABASE_URL ${url.split(":")[0]}: is not supported yet; use a file: URL (SQLite)`);
  }
  const adapter = new PrismaSQLite({ url });
  const client = new PrismaClient({ adapter });
  sqlite.set(client, adapter);
  return client;
}

declare global {
  // Beside __prisma, for the same reason.
  var __sqliteAdapters: WeakMap<PrismaClient, PrismaSQLite> | undefined;
}
const sqlite = (globalThis.__sqliteAdapters ??= new WeakMap());

/**
 * Runs `work` in one transaction of plain SQL on the client's own connection (app/db.sqlite.server.ts),
 * for hot paths only: everything else goes through Prisma.
 */
export function sqlTransaction<T>(db: PrismaClient, work: (sql: SqlTransaction) => Promise<T>): Promise<T> {
  const adapter = sqlite.get(db);
  if (!adapter) throw new Error("sqlTransaction needs a client created by app/db.server.ts");
  return adapter.transaction(() => db.$connect(), work);
}

declare global {
  // Survives Vite's module reloads in development, so each reload does not open a new connection.
  var __prisma: PrismaClient | undefined;
}

const prisma: PrismaClient = globalThis.__prisma ?? createClient(env.DATABASE_URL);
if (env.NODE_ENV !== "production") globalThis.__prisma = prisma;

export type Db = PrismaClient;
export type { Prisma } from "./generated/prisma/client";
export type { SqlTransaction, SqlValue } from "./db.sqlite.server";
export default prisma;
