import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";

/**
 * Migrates one SQLite base file for the whole run; every test file gets its own copy of it
 * (test/setup/per-file.ts), so tests use the real schema without paying for migrations each time.
 */
export const TMP_DIR = path.resolve(".tmp");
export const BASE_DB = path.join(TMP_DIR, "test-base.sqlite");

export default function setup(): void {
  mkdirSync(TMP_DIR, { recursive: true });
  rmSync(BASE_DB, { force: true });
  // A run killed while building leaves its lock behind (test/browser/support.ts buildApp).
  rmSync(path.join(TMP_DIR, "build.lock"), { recursive: true, force: true });
  execFileSync(path.resolve("node_modules/.bin/prisma"), ["migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: `file:${BASE_DB}` },
    stdio: "pipe",
  });
}
