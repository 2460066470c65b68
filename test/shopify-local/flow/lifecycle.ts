/**
 * Shopify Flow, as far as an app's triggers go: the merchant's workflows that start from them, and the trigger
 * lifecycle callback Flow sends the app when one is turned on or off
 * (https://shopify.dev/docs/apps/build/flow/track-lifecycle-events): a JSON POST with
 * `flow_trigger_definition_id`, `has_enabled_flow`, `shop_id`, `shopify_domain` and `timestamp`, signed in
 * `X-Shopify-Hmac-Sha256` (base64 HMAC-SHA256 of the body, keyed with the client secret). Turning a workflow on
 * fails unless the app answers 2xx within 5 seconds; the merchant is told to try later.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { parse } from "smol-toml";

import type { Runtime } from "../store/runtime";
import { InputError } from "../store/shops";
import type { FlowWorkflow, Shop } from "../store/state";
import { webhookHmac } from "../webhooks/hmac";

export const LIFECYCLE_TIMEOUT_MS = 5_000;

export interface FlowExtensions {
  /** flow_trigger extensions: handle → name (the merchant-facing name, Flow's definition id in callbacks). */
  triggers: Map<string, string>;
  /** flow_trigger_lifecycle_callback extensions' `url` (relative ones resolve against the app URL). */
  lifecycleUrls: string[];
}

interface ExtensionToml {
  extensions?: { type?: string; handle?: string; name?: string; url?: string }[];
}

/** Reads the app's extensions/<name>/shopify.extension.toml files, as `shopify app deploy` would. */
export function readFlowExtensions(dir: string): FlowExtensions {
  const found: FlowExtensions = { triggers: new Map(), lifecycleUrls: [] };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    let text: string;
    try {
      text = readFileSync(path.join(dir, entry.name, "shopify.extension.toml"), "utf8");
    } catch {
      continue;
    }
    for (const extension of (parse(text) as ExtensionToml).extensions ?? []) {
      if (extension.type === "flow_trigger" && extension.handle && extension.name) {
        found.triggers.set(extension.handle, extension.name);
      } else if (extension.type === "flow_trigger_lifecycle_callback" && extension.url) {
        found.lifecycleUrls.push(extension.url);
      }
    }
  }
  return found;
}

export interface FlowDeps {
  rt: Runtime;
  extensions: FlowExtensions;
  appUrl: string | undefined;
  apiSecret: string;
}

/** The merchant turns a workflow on or off (creating it first when `id` is null). */
export async function setWorkflow(
  deps: FlowDeps,
  shop: Shop,
  id: number | null,
  trigger: string | null,
  enabled: boolean,
): Promise<FlowWorkflow> {
  let workflow = id === null ? undefined : shop.flowWorkflows.find((w) => w.id === id);
  if (id !== null && !workflow) throw new InputError("id", `no workflow ${id}`);
  if (!workflow) {
    if (!trigger || !deps.extensions.triggers.has(trigger)) {
      throw new InputError("trigger", `the app declares no Flow trigger "${trigger ?? ""}"`);
    }
    workflow = { id: deps.rt.id(), trigger, enabled: false };
    shop.flowWorkflows.push(workflow);
  }
  if (workflow.enabled === enabled) return workflow;
  const inUse =
    enabled || shop.flowWorkflows.some((w) => w !== workflow && w.enabled && w.trigger === workflow.trigger);
  const answer = await sendLifecycleCallbacks(deps, shop, workflow.trigger, inUse);
  // Flow refuses to turn the workflow on when the app did not accept the callback; turning off always works.
  if (enabled && answer !== null) {
    throw new InputError("workflow", `Shopify Flow could not turn the workflow on (${answer}): try again later`);
  }
  workflow.enabled = enabled;
  return workflow;
}

/** POSTs the callback to every lifecycle URL the app declares; returns the first failure, or null. */
async function sendLifecycleCallbacks(
  deps: FlowDeps,
  shop: Shop,
  trigger: string,
  hasEnabledFlow: boolean,
): Promise<string | null> {
  const atMs = Math.max(deps.rt.clock.nowMs(), shop.lastFlowCallbackMs + 1);
  shop.lastFlowCallbackMs = atMs;
  const body = JSON.stringify({
    flow_trigger_definition_id: deps.extensions.triggers.get(trigger),
    has_enabled_flow: hasEnabledFlow,
    shop_id: shop.id,
    shopify_domain: shop.domain,
    timestamp: new Date(atMs).toISOString(),
  });
  for (const declared of deps.extensions.lifecycleUrls) {
    if (!declared.startsWith("https://") && !deps.appUrl) return "no app URL to resolve the callback URL against";
    const url = new URL(declared, deps.appUrl).toString();
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Shopify-Hmac-Sha256": webhookHmac(deps.apiSecret, body) },
        body,
        signal: AbortSignal.timeout(LIFECYCLE_TIMEOUT_MS),
        redirect: "manual",
      });
      await response.arrayBuffer();
      if (response.status < 200 || response.status >= 300) return `the app answered ${response.status}`;
    } catch (error) {
      return `no answer from the app: ${(error as Error).message}`;
    }
  }
  return null;
}
