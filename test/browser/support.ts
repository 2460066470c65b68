import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";

import type { Page } from "playwright-core";

import { sessionToken } from "../admin/support";
import { appBridgeStandIn } from "../shopify-local/app-bridge";
import { BASE_DB, TMP_DIR } from "../setup/global-setup";

export { ARTIFACTS, CHROMIUM, launchChromium } from "./chromium";

const execFileAsync = promisify(execFile);

/**
 * Builds the app once per test run: several files serve the built app, and two builds at once into build/ would
 * pull assets from under a running server. The run is named by its base database, which global setup makes anew.
 * Never blocks the event loop: a test file's worker that stays busy past Vitest's 60 s RPC timeout fails the run
 * ("Timeout calling onTaskUpdate") though every test passed, and a build or a wait for the lock takes longer than
 * that on a loaded machine.
 */
export async function buildApp(): Promise<void> {
  const lock = path.join(TMP_DIR, "build.lock");
  const stamp = path.join(TMP_DIR, "build.stamp");
  const run = String(statSync(BASE_DB).mtimeMs);
  const until = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > until) throw new Error(`another test file held ${lock} for 5 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    if (existsSync(stamp) && readFileSync(stamp, "utf8") === run) return;
    await execFileAsync(process.execPath, [path.resolve("node_modules/@remix-run/dev/dist/cli.js"), "vite:build"], {
      env: { ...process.env, NODE_ENV: "production" },
      maxBuffer: 16 * 1024 * 1024,
    });
    writeFileSync(stamp, run);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

export interface RunningApp {
  origin: string;
  stop(): Promise<void>;
}

/** `remix-serve` on the built app, on loopback (on `port`, else a free one), against this test file's SQLite copy. */
export async function startApp(env: Record<string, string>, port?: number): Promise<RunningApp> {
  port ??= await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    process.execPath,
    [path.resolve("node_modules/@remix-run/serve/dist/cli.js"), "build/server/index.js"],
    {
      env: {
        PATH: process.env.PATH ?? "",
        NODE_ENV: "production",
        HOST: "127.0.0.1",
        PORT: String(port),
        DATABASE_URL: process.env.DATABASE_URL!,
        SHOPIFY_API_KEY: "test-api-key",
        SHOPIFY_API_SECRET: "test-api-secret",
        SHOPIFY_APP_URL: origin,
        SCOPES: "read_orders,write_orders",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`remix-serve exited (${child.exitCode}):\n${output}`);
    const up = await fetch(`${origin}/healthz-not-a-route`).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) throw new Error(`remix-serve did not start within 30 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    origin,
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    },
  };
}

/**
 * Pages of an app whose Admin origin is Shopify load App Bridge from cdn.shopify.com, unreachable here: the same
 * stand-in Local Shopify serves at `/_local/app-bridge.js` (test/shopify-local/app-bridge/) answers for it.
 */
export async function standInShopifyCdn(page: Page): Promise<void> {
  await page.route("https://cdn.shopify.com/**", (route) => {
    const url = route.request().url();
    if (url.endsWith("/app-bridge.js"))
      return route.fulfill({ contentType: "text/javascript", body: appBridgeStandIn() });
    // Shopify's Inter font stylesheet: the system font is fine for these tests.
    return route.fulfill({ contentType: "text/css", body: "" });
  });
}

/** Opens an admin page as Shopify admin does: embedded, with the shop, host and a fresh session token. */
export async function openAdmin(
  page: Page,
  origin: string,
  pathname: string,
  shop: string,
  expectedStatus = 200,
): Promise<void> {
  const host = Buffer.from(`admin.shopify.com/store/${shop.replace(".myshopify.com", "")}`).toString("base64url");
  const url = new URL(pathname, origin);
  for (const [key, value] of Object.entries({ embedded: "1", shop, host, id_token: await sessionToken(shop) })) {
    url.searchParams.set(key, value);
  }
  const response = await page.goto(url.toString(), { waitUntil: "networkidle" });
  if (response?.status() !== expectedStatus) {
    throw new Error(`${pathname} answered ${response?.status()}, not ${expectedStatus}: ${await response?.text()}`);
  }
}

const AXE = readFileSync(path.resolve("node_modules/axe-core/axe.min.js"), "utf8");

/** axe-core in the page; returns the serious and critical violations (id, impact, first targets). */
export async function seriousViolations(page: Page): Promise<{ id: string; impact: string; targets: string[] }[]> {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            context: Document,
          ) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document);
    return result.violations
      .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
      .map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        targets: violation.nodes.slice(0, 3).map((node) => node.target.join(" ")),
      }));
  });
}
