import { readFileSync } from "node:fs";
import { parse } from "smol-toml";

export interface Subscriptions {
  apiVersion: string;
  /** Topic → the URIs subscribed to it (relative ones resolve against the app URL). */
  byTopic: Map<string, string[]>;
}

interface TomlSubscription {
  topics?: string[];
  compliance_topics?: string[];
  uri?: string;
}

/** Reads `[webhooks]` from an app's shopify.app.toml, as `shopify app deploy` registers them. */
export function readSubscriptions(tomlPath: string): Subscriptions {
  const config = parse(readFileSync(tomlPath, "utf8")) as {
    webhooks?: { api_version?: string; subscriptions?: TomlSubscription[] };
  };
  const webhooks = config.webhooks;
  if (!webhooks?.api_version) throw new Error(`${tomlPath}: [webhooks] api_version is missing`);
  const byTopic = new Map<string, string[]>();
  for (const [index, subscription] of (webhooks.subscriptions ?? []).entries()) {
    if (!subscription.uri) throw new Error(`${tomlPath}: webhooks.subscriptions[${index}].uri is missing`);
    for (const topic of [...(subscription.topics ?? []), ...(subscription.compliance_topics ?? [])]) {
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), subscription.uri]);
    }
  }
  return { apiVersion: webhooks.api_version, byTopic };
}
