import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Where Local Shopify serves its App Bridge stand-in. The app, in local mode, points its pages here
 * (`app/shopify/local-admin.server.ts` builds the same URL from SHOPIFY_ADMIN_API_ORIGIN).
 */
export const APP_BRIDGE_PATH = "/_local/app-bridge.js";

const SOURCE = path.join(path.dirname(fileURLToPath(import.meta.url)), "app-bridge.js");

/** The stand-in's source (`app-bridge.js` beside this file), read once. */
let source: string | undefined;
export function appBridgeStandIn(): string {
  source ??= readFileSync(SOURCE, "utf8");
  return source;
}
