import { PrismaPostgres } from "./db.postgresql.server";
import { postgresPlaceholders, type SqlConnection, type SqlTransaction } from "./db.sql.server";
import { PrismaSQLite } from "./db.sqlite.server";
import { databaseProvider, type DatabaseProvider } from "./db.url";
import { env } from "./env.server";
import { PrismaClient } from "./generated/prisma/client";
import { PrismaClient as PostgresClient } from "./generated/prisma-pg/client";

/** Both clients are generated from the same models, so the model layer is typed once, by the SQLite client. */
export function connectDatabase(url: string): PrismaClient {
  const provider = databaseProvider(url);
  const connection = provider === "sqlite" ? new PrismaSQLite({ url }) : new PrismaPostgres({ connectionString: url });
  const client =
    connection instanceof PrismaSQLite
      ? new PrismaClient({ adapter: connection })
      : // The same models and API; only the provider inside differs.
        (new PostgresClient({ adapter: connection }) as unknown as PrismaClient);
  connections.set(client, connection);
  return client;
}

declare global {
  // Beside __prisma, for the same reason.
  var __sqlConnections: WeakMap<PrismaClient, SqlConnection> | undefined;
}
const connections = (globalThis.__sqlConnections ??= new WeakMap());

function connectionOf(db: PrismaClient): SqlConnection {
  const connection = connections.get(db);
  if (!connection) throw new Error("the client was not created by app/db.server.ts connectDatabase");
  return connection;
}

export function providerOf(db: PrismaClient): DatabaseProvider {
  return connectionOf(db).databaseProvider;
}

export function sqlFor(db: PrismaClient, sql: string): string {
  return providerOf(db) === "postgresql" ? postgresPlaceholders(sql) : sql;
}

/** Prisma's `contains` is LIKE on SQLite (ASCII case-insensitive) but case-sensitive on PostgreSQL: ILIKE there. */
export function containsText(db: PrismaClient, text: string): { contains: string } {
  // `mode` exists only in the PostgreSQL client's types; the model layer is typed by the SQLite one.
  return providerOf(db) === "postgresql"
    ? ({ contains: text, mode: "insensitive" } as { contains: string })
    : { contains: text };
}

/** For hot paths only, everything else goes through Prisma; on SQLite behind the adapter's lock. */
export function sqlTransaction<T>(db: PrismaClient, work: (sql: SqlTransaction) => Promise<T>): Promise<T> {
  return connectionOf(db).transaction(() => db.$connect(), work);
}

declare global {
  // Survives Vite's module reloads in development, so each reload does not open a new connection.
  var __prisma: PrismaClient | undefined;
}

const prisma: PrismaClient = globalThis.__prisma ?? connectDatabase(env.DATABASE_URL);
if (env.NODE_ENV !== "production") globalThis.__prisma = prisma;

export type Db = PrismaClient;
export type { Prisma } from "./generated/prisma/client";
export type { SqlTransaction, SqlValue } from "./db.sql.server";
export default prisma;
