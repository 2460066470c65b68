import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * prisma/postgresql/schema.prisma is derived from prisma/schema.prisma: the same models after a PostgreSQL
 * datasource and a generator of its own client (docs/decisions/0021-postgresql.md). `npm run db:schema:postgresql`
 * writes it; test/db/schema-parity.test.ts fails when the file is not what this function makes.
 */
const HEADER = `// GENERATED from prisma/schema.prisma by \`npm run db:schema:postgresql\`: edit that file, then run the script and
// add a migration to each provider (docs/decisions/0021-postgresql.md).

generator client {
  provider        = "prisma-client"
  output          = "../../app/generated/prisma-pg"
  engineType      = "client"
  moduleFormat    = "esm"
  runtime         = "nodejs"
}

datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}
`;

export const SQLITE_SCHEMA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "schema.prisma");
export const POSTGRESQL_SCHEMA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "postgresql/schema.prisma");

export function postgresqlSchema(sqlite: string): string {
  const datasource = /datasource db \{[^}]*\}\n/.exec(sqlite);
  if (!datasource) throw new Error("prisma/schema.prisma has no `datasource db { … }` block");
  if (!/provider\s*=\s*"sqlite"/.test(datasource[0])) throw new Error("prisma/schema.prisma is not the SQLite schema");
  return HEADER + sqlite.slice(datasource.index + datasource[0].length);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(POSTGRESQL_SCHEMA, postgresqlSchema(readFileSync(SQLITE_SCHEMA, "utf8")));
  console.info(`wrote ${path.relative(process.cwd(), POSTGRESQL_SCHEMA)}`);
}
