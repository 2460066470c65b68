/**
 * `npm run demo [-- --no-serve]`: the seed's story through Local Shopify and the built app, narrated as Shopify
 * shows it (test/demo/demo.ts), then both keep serving: the admin in Local Shopify's admin frame and the
 * storefront preview, until Ctrl-C. `--no-serve` exits 0 after the story. The package script runs
 * require-node-22.mjs first, so an older Node stops before this file is loaded.
 */
import { ensureBuild } from "./build";
import { runDemo, type DemoUrls } from "./demo";

const USAGE = "usage: npm run demo [-- --no-serve]";

async function serveUntilStopped(urls: DemoUrls): Promise<void> {
  console.info("");
  console.info("Local Shopify and the app keep running (Shopify's clock stays where the story ended):");
  console.info(`  Admin, as Shopify admin frames the app: ${urls.admin}`);
  console.info(`  Storefront preview (badge):             ${urls.storefront}`);
  console.info(`  Storefront collection and cart:         ${urls.collection}`);
  console.info("Ctrl-C stops both.");
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
}

async function main(args: readonly string[]): Promise<number> {
  const unknown = args.filter((arg) => arg !== "--no-serve");
  if (unknown.length > 0) {
    console.error(`unknown argument ${unknown[0]}\n${USAGE}`);
    return 2;
  }
  const serve = !args.includes("--no-serve");
  ensureBuild((line) => console.info(line));
  await runDemo({
    write: (line) => console.info(line),
    whileServing: (_stack, urls) => (serve ? serveUntilStopped(urls) : Promise.resolve()),
  });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`npm run demo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
