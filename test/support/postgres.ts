import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import pg from "pg";
import { afterAll } from "vitest";

import db, { connectDatabase, type Db } from "~/db.server";
import type { DatabaseProvider } from "~/db.url";

/**
 * The machine's PostgreSQL for tests (`.ci/run` starts it): trust auth on 127.0.0.1:5432, or TEST_POSTGRES_URL.
 * Every test file gets a database of its own, copied from a template that `prisma migrate deploy` built from
 * prisma/postgresql/migrations; the template is named by a hash of those migrations, so it is built once per
 * change of the migrations and reused by every run after.
 */
export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

const MIGRATIONS = path.resolve("prisma/postgresql/migrations");
// Serialises template builds and copies across test processes (any 64-bit number of the project's own).
const TEMPLATE_LOCK = 0x6b6565706572;

function urlOf(database: string): string {
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

function migrationNames(): string[] {
  return readdirSync(MIGRATIONS)
    .filter((name) => /^\d+_/.test(name))
    .sort();
}

function templateName(): string {
  const hash = createHash("sha256");
  for (const name of migrationNames())
    hash.update(name).update(readFileSync(path.join(MIGRATIONS, name, "migration.sql")));
  return `bk_template_${hash.digest("hex").slice(0, 16)}`;
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The template, migrated through the CLI exactly as `npm run setup` migrates a PostgreSQL URL. */
async function ensureTemplate(admin: pg.Client, template: string): Promise<void> {
  const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [template]);
  if (exists.rowCount === 1) {
    const complete = new pg.Client({ connectionString: urlOf(template) });
    await complete.connect();
    try {
      const done = await complete.query(
        `SELECT COUNT(*)::int AS n FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL`,
      );
      if (done.rows[0].n === migrationNames().length) return;
    } catch {
      // No migrations table: a build that was cut short.
    } finally {
      await complete.end();
    }
    await admin.query(`DROP DATABASE "${template}" WITH (FORCE)`);
  }
  await admin.query(`CREATE DATABASE "${template}"`);
  try {
    execFileSync(path.resolve("node_modules/.bin/prisma"), ["migrate", "deploy"], {
      env: { ...process.env, DATABASE_URL: urlOf(template) },
      stdio: "pipe",
    });
  } catch (error) {
    await admin.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`prisma migrate deploy failed on PostgreSQL:\n${stdout}\n${stderr}`, { cause: error });
  }
}

/** A fresh migrated database for this test file, dropped when the file's tests are done. */
export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const template = templateName();
  const name = `bk_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  await withAdmin(async (admin) => {
    await admin.query("SELECT pg_advisory_lock($1)", [TEMPLATE_LOCK]);
    try {
      await ensureTemplate(admin, template);
      await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
    } finally {
      await admin.query("SELECT pg_advisory_unlock($1)", [TEMPLATE_LOCK]);
    }
  });
  return {
    url: urlOf(name),
    drop: () => withAdmin(async (admin) => void (await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))),
  };
}

export interface TestDatabase {
  provider: DatabaseProvider;
  db: Db;
  /** For a second client of the same database (another process's view). */
  url: string;
}

/**
 * The two databases a provider-independent test runs against: the file's SQLite copy (the app's default client)
 * and a fresh PostgreSQL database with its own client. Use at the top level of a test file:
 * `describe.each(await testDatabases())("on $provider", ({ db }) => …)`.
 */
export async function testDatabases(): Promise<TestDatabase[]> {
  const postgres = await createPostgresDatabase();
  const postgresDb = connectDatabase(postgres.url);
  afterAll(async () => {
    await postgresDb.$disconnect();
    await postgres.drop();
  });
  return [
    { provider: "sqlite", db, url: process.env.DATABASE_URL! },
    { provider: "postgresql", db: postgresDb, url: postgres.url },
  ];
}
