import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaLibSQL } from "@prisma/adapter-libsql";

import { PrismaPostgresMigrations } from "./app/db.postgresql.migrate";
import { databaseProvider, databaseUrl } from "./app/db.url";

// The schema reads env("DATABASE_URL"); give it the same zero-configuration default as the app.
process.env.DATABASE_URL = databaseUrl();

// The URL picks the provider's schema and migrations (docs/decisions/0021-postgresql.md): SQLite in prisma/,
// PostgreSQL in prisma/postgresql/.
const postgresql = databaseProvider(databaseUrl()) === "postgresql";
const dir = postgresql ? path.join("prisma", "postgresql") : "prisma";

// engine "js" runs migrations through the driver adapter, so nothing is fetched from Prisma's
// binary host (see docs/decisions/0002-prisma-offline.md).
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(dir, "schema.prisma"),
  migrations: { path: path.join(dir, "migrations") },
  async adapter() {
    return postgresql
      ? new PrismaPostgresMigrations({ connectionString: databaseUrl() })
      : new PrismaLibSQL({ url: databaseUrl() });
  },
});
