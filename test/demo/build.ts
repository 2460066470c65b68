/**
 * The built app the demo serves (`npm run build`'s output): built when missing, or rebuilt when a source of it is
 * newer than the build, so a fresh clone and a pulled change both run what the repository holds.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

import { ROOT } from "../live/stack";

const BUILD = path.join(ROOT, "build/server/index.js");
const WORKER_BUILD = path.join(ROOT, "build/worker/index.js");
const SOURCES = ["app", "vite.config.ts", "vite.worker.config.ts", "package-lock.json", "prisma/schema.prisma"];
// Written by `npm install` (prisma generate) from prisma/schema.prisma, which is already a source.
const GENERATED = path.join(ROOT, "app/generated");

function newestMtime(entry: string): number {
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(entry)) {
    const child = path.join(entry, name);
    if (child !== GENERATED) newest = Math.max(newest, newestMtime(child));
  }
  return newest;
}

/** Why the app must be built now, or null when the build is current. */
export function buildReason(): string | null {
  if (!existsSync(BUILD)) return "no build yet";
  if (!existsSync(WORKER_BUILD)) return "no worker build yet";
  const built = statSync(BUILD).mtimeMs;
  const stale = SOURCES.map((source) => path.join(ROOT, source)).find(
    (source) => existsSync(source) && newestMtime(source) > built,
  );
  return stale ? `${path.relative(ROOT, stale)} changed since the last build` : null;
}

export function ensureBuild(log: (line: string) => void): void {
  const reason = buildReason();
  if (!reason) return;
  log(`Building the app (npm run build: ${reason}) …`);
  try {
    const options = { cwd: ROOT, env: { ...process.env, NODE_ENV: "production" }, stdio: "pipe" } as const;
    execFileSync(process.execPath, [path.join(ROOT, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build"], options);
    // As `npm run build`: Remix's build empties build/, so the worker's entry is built after it.
    execFileSync(
      process.execPath,
      [path.join(ROOT, "node_modules/vite/bin/vite.js"), "build", "-c", "vite.worker.config.ts"],
      options,
    );
  } catch (error) {
    // Vite's own output only when it failed: a passing build's chunk warnings would bury the story.
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`npm run build failed:\n${stdout?.toString() ?? ""}${stderr?.toString() ?? ""}`);
  }
}
