import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaLibSQL } from "@prisma/adapter-libsql";

import { databaseUrl } from "./app/db.url";

// The schema reads env("DATABASE_URL"); give it the same zero-configuration default as the app.
process.env.DATABASE_URL = databaseUrl();

// engine "js" runs migrations through the driver adapter, so nothing is fetched from Prisma's
// binary host (see docs/decisions/0002-prisma-offline.md).
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    return new PrismaLibSQL({ url: databaseUrl() });
  },
});
