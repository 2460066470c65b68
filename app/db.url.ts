/** So that a fresh clone needs no configuration; shared by prisma.config.ts and app/db.server.ts. */
export const DEFAULT_DATABASE_URL = "file:./prisma/dev.sqlite";

export function databaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_URL && env.DATABASE_URL.length > 0 ? env.DATABASE_URL : DEFAULT_DATABASE_URL;
}

export type DatabaseProvider = "sqlite" | "postgresql";

export function databaseProvider(url: string): DatabaseProvider {
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(url)) return "postgresql";
  throw new Error(`DATABASE_URL ${url.split(":")[0]}: is not supported; use file: (SQLite) or postgresql://`);
}
