import { describe, expect, it } from "vitest";

import { EnvError, parseEnv } from "./env.server";

const valid = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://app.example.com",
  SCOPES: "read_orders,write_orders",
};

function problemsOf(source: Record<string, string | undefined>): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  throw new Error("expected parseEnv to throw");
}

describe("parseEnv", () => {
  it("accepts a complete environment and fills the defaults", () => {
    expect(parseEnv(valid)).toEqual({
      ...valid,
      NODE_ENV: "development",
      DATABASE_URL: "file:./prisma/dev.sqlite",
      APP_ROLE: "all",
      SHUTDOWN_GRACE_MS: 20_000,
      WORKER_HEALTH_PORT: 3001,
    });
  });

  it("takes a process role, a grace and a health port, and names a bad one", () => {
    const env = parseEnv({ ...valid, APP_ROLE: "web", SHUTDOWN_GRACE_MS: "500", WORKER_HEALTH_PORT: "0" });
    expect([env.APP_ROLE, env.SHUTDOWN_GRACE_MS, env.WORKER_HEALTH_PORT]).toEqual(["web", 500, 0]);
    expect(problemsOf({ ...valid, APP_ROLE: "jobs", WORKER_HEALTH_PORT: "70000" })).toEqual([
      'APP_ROLE is invalid: Invalid option: expected one of "all"|"web"|"worker"',
      "WORKER_HEALTH_PORT is invalid: Too big: expected number to be <=65535",
    ]);
  });

  it("names every missing variable in one error", () => {
    expect(problemsOf({ SCOPES: "read_orders" })).toEqual([
      "SHOPIFY_API_KEY is missing",
      "SHOPIFY_API_SECRET is missing",
      "SHOPIFY_APP_URL is missing",
    ]);
  });

  it("takes a worker identity and refuses one the lock owner format cannot hold", () => {
    expect(parseEnv({ ...valid, WORKER_ID: "web-1" }).WORKER_ID).toBe("web-1");
    expect(problemsOf({ ...valid, WORKER_ID: "web#1" })).toEqual([
      "WORKER_ID is invalid: may hold letters, digits and . _ : @ - only",
    ]);
  });

  it("treats an empty value as missing", () => {
    expect(problemsOf({ ...valid, SHOPIFY_API_SECRET: "" })).toEqual(["SHOPIFY_API_SECRET is missing"]);
  });

  it("explains invalid values", () => {
    expect(
      problemsOf({ ...valid, SHOPIFY_APP_URL: "not a url", SCOPES: "read orders", DATABASE_URL: "mysql://x" }),
    ).toEqual([
      "SHOPIFY_APP_URL is invalid: Invalid URL",
      "SCOPES is invalid: must be a comma-separated list of scopes, e.g. read_orders,write_orders",
      "DATABASE_URL is invalid: must start with file: (SQLite) or postgresql://",
    ]);
  });

  it("says where to look in the message", () => {
    expect(() => parseEnv({})).toThrow(/SHOPIFY_API_KEY is missing[\s\S]*See \.env\.example/);
  });

  it("accepts LOCAL_CLOCK_URL only with Local Shopify as the Admin origin", () => {
    const local = { ...valid, SHOPIFY_ADMIN_API_ORIGIN: "http://127.0.0.1:3457" };
    expect(parseEnv({ ...local, LOCAL_CLOCK_URL: "http://127.0.0.1:3457/_local/clock" }).LOCAL_CLOCK_URL).toBe(
      "http://127.0.0.1:3457/_local/clock",
    );
    expect(problemsOf({ ...valid, LOCAL_CLOCK_URL: "http://127.0.0.1:3457/_local/clock" })).toEqual([
      "LOCAL_CLOCK_URL is refused: it needs SHOPIFY_ADMIN_API_ORIGIN set to Local Shopify (local mode only)",
    ]);
    expect(
      problemsOf({
        ...valid,
        SHOPIFY_ADMIN_API_ORIGIN: "https://demo.myshopify.com",
        LOCAL_CLOCK_URL: "http://127.0.0.1:3457/_local/clock",
      }),
    ).toEqual([
      "LOCAL_CLOCK_URL is refused: SHOPIFY_ADMIN_API_ORIGIN is Shopify (https://demo.myshopify.com), where the clock is the system clock",
    ]);
    expect(problemsOf({ ...local, LOCAL_CLOCK_URL: "not a url" })).toEqual(["LOCAL_CLOCK_URL is invalid: Invalid URL"]);
  });

  it("takes an app-wide SMTP server only as an smtp(s) URL together with its From", () => {
    const smtp = { SMTP_URL: "smtps://mailer:pw@smtp.example.com:465", SMTP_FROM: "Shop <orders@example.com>" };
    expect(parseEnv({ ...valid, ...smtp })).toMatchObject(smtp);
    expect(problemsOf({ ...valid, SMTP_URL: smtp.SMTP_URL })).toEqual([
      "SMTP_URL and SMTP_FROM go together: set both or neither",
    ]);
    expect(problemsOf({ ...valid, ...smtp, SMTP_URL: "https://smtp.example.com" })).toEqual([
      "SMTP_URL is invalid: must be an smtp:// or smtps:// URL",
    ]);
    expect(problemsOf({ ...valid, ...smtp, SMTP_FROM: "orders at example" })).toEqual([
      "SMTP_FROM is invalid: must be an e-mail address or Name <address>",
    ]);
  });
});
