/**
 * Local Shopify as its own process for the live stack (test/live/stack.ts): `tsx test/live/local-shopify-process.ts
 * '<options JSON>'` starts it with those LocalShopifyOptions (dates as ISO strings), prints one JSON line
 * `{"origin": …}` on stdout once it listens, and stops on SIGTERM or when its parent goes away.
 */
import { startLocalShopify, type LocalShopifyOptions } from "../shopify-local/server";

type Options = Omit<LocalShopifyOptions, "startAt"> & { startAt?: string };

const options = JSON.parse(process.argv[2] ?? "{}") as Options;
const local = await startLocalShopify({
  ...options,
  startAt: options.startAt ? new Date(options.startAt) : undefined,
});
process.stdout.write(`${JSON.stringify({ origin: local.origin })}\n`);

const stop = () => void local.stop().finally(() => process.exit(0));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
// The stack's own process died without stopping us (kill -9 of a test run): do not linger on the port.
process.stdin.on("end", stop);
process.stdin.resume();
