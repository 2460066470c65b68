import { z } from "zod";

import { DEFAULT_DATABASE_URL } from "./db.url";

/** Validated once at boot: one error names each missing or invalid variable, not a crash deep inside a request. */
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  SHOPIFY_API_KEY: z.string().min(1),
  SHOPIFY_API_SECRET: z.string().min(1),
  SHOPIFY_APP_URL: z.url(),
  SCOPES: z
    .string()
    .min(1)
    .regex(/^[a-z_]+(,[a-z_]+)*$/, "must be a comma-separated list of scopes, e.g. read_orders,write_orders"),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, "must start with file: (SQLite) or postgresql://")
    .default(DEFAULT_DATABASE_URL),
  // Where the Admin API lives. Unset in production (https://{shop}); Local Shopify's origin in tests and the demo.
  SHOPIFY_ADMIN_API_ORIGIN: z.url().optional(),
  SHOP_CUSTOM_DOMAIN: z.string().min(1).optional(),
  // Stable across restarts; one live process per value (docs/decisions/0007-job-runner.md).
  WORKER_ID: z
    .string()
    .max(100)
    .regex(/^[A-Za-z0-9._:@-]+$/, "may hold letters, digits and . _ : @ - only")
    .optional(),
  // `web`: jobs run in `npm run worker` processes instead (docs/decisions/0025-postgresql-queue.md).
  APP_ROLE: z.enum(["all", "web", "worker"]).default("all"),
  // How long a stopping process lets jobs and requests in flight finish before it hands jobs back and exits.
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(20_000),
  WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65_535).default(3001),
  HOST: z.string().min(1).optional(),
  // Local mode only: Local Shopify's clock (`{origin}/_local/clock`), which the app's clock then follows.
  LOCAL_CLOCK_URL: z.url().optional(),
  // The app-wide SMTP server for customers' e-mails, for shops that set none of their own in Settings:
  // smtp://user:password@host:587 (STARTTLS when offered) or smtps://…:465 (TLS from the start).
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// URL" }).optional(),
  SMTP_FROM: z
    .string()
    .regex(/^([^<>]*<)?[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>?$/, "must be an e-mail address or Name <address>")
    .optional(),
});

/** Shopify's own hosts: business time there is the system clock and can never be overridden. */
export function isShopifyOrigin(origin: string): boolean {
  const host = new URL(origin).hostname;
  return ["myshopify.com", "shopify.com", "shopifycloud.com"].some((d) => host === d || host.endsWith(`.${d}`));
}

function crossProblems(env: Env): string[] {
  const smtp =
    (env.SMTP_URL === undefined) !== (env.SMTP_FROM === undefined)
      ? ["SMTP_URL and SMTP_FROM go together: set both or neither"]
      : [];
  return [...localModeProblems(env), ...smtp];
}

function localModeProblems(env: Env): string[] {
  if (!env.LOCAL_CLOCK_URL) return [];
  if (!env.SHOPIFY_ADMIN_API_ORIGIN)
    return ["LOCAL_CLOCK_URL is refused: it needs SHOPIFY_ADMIN_API_ORIGIN set to Local Shopify (local mode only)"];
  if (isShopifyOrigin(env.SHOPIFY_ADMIN_API_ORIGIN))
    return [
      `LOCAL_CLOCK_URL is refused: SHOPIFY_ADMIN_API_ORIGIN is Shopify (${env.SHOPIFY_ADMIN_API_ORIGIN}), where the clock is the system clock`,
    ];
  return [];
}

export type Env = z.infer<typeof EnvSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join("\n")}\nSee .env.example.`);
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // An empty string is as good as unset: `FOO=` in a .env file must not pass as a value.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const result = EnvSchema.safeParse(present);
  if (result.success) {
    const problems = crossProblems(result.data);
    if (problems.length > 0) throw new EnvError(problems);
    return result.data;
  }
  throw new EnvError(
    result.error.issues.map((issue) => {
      const name = issue.path.join(".");
      return present[name] === undefined ? `${name} is missing` : `${name} is invalid: ${issue.message}`;
    }),
  );
}

export const env: Env = parseEnv(process.env);
