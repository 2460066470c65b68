import { PrismaSQLite } from "./db.sqlite.server";
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
  return new PrismaClient({ adapter: new PrismaSQLite({ url }) });
}

declare global {
  // Survives Vite's module reloads in development, so each reload does not open a new connection.
  var __prisma: PrismaClient | undefined;
}

const prisma: PrismaClient = globalThis.__prisma ?? createClient(env.DATABASE_URL);
if (env.NODE_ENV !== "production") globalThis.__prisma = prisma;

export type Db = PrismaClient;
export type { Prisma } from "./generated/prisma/client";
export default prisma;
