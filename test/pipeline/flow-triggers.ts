/** The Flow trigger extensions' declared payloads, read from their shopify.extension.toml files. */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { parse } from "smol-toml";

const REFERENCE_KEYS: Record<string, string> = {
  order_reference: "order_id",
  customer_reference: "customer_id",
  product_reference: "product_id",
};

export interface DeclaredTrigger {
  handle: string;
  name: string;
  fields: Record<string, string>;
}

interface FlowExtensionToml {
  extensions: { type: string; handle: string; name: string; url?: string }[];
  settings?: { fields: { type: string; key?: string }[] };
}

function flowExtensions(root: string): { dir: string; toml: FlowExtensionToml }[] {
  return readdirSync(root)
    .filter((dir) => dir.startsWith("flow-"))
    .map((dir) => ({
      dir,
      toml: parse(readFileSync(path.join(root, dir, "shopify.extension.toml"), "utf8")) as unknown as FlowExtensionToml,
    }));
}

export function declaredTriggers(root = path.resolve("extensions")): DeclaredTrigger[] {
  return flowExtensions(root)
    .filter(({ toml }) => toml.extensions[0]!.type !== "flow_trigger_lifecycle_callback")
    .map(({ dir, toml }) => {
      const extension = toml.extensions[0]!;
      if (extension.type !== "flow_trigger") throw new Error(`${dir}: type must be flow_trigger`);
      const fields: Record<string, string> = {};
      for (const field of toml.settings?.fields ?? []) fields[REFERENCE_KEYS[field.type] ?? field.key!] = field.type;
      return { handle: extension.handle, name: extension.name, fields };
    });
}

/** The flow_trigger_lifecycle_callback extensions: their handle and URL. */
export function declaredLifecycleCallbacks(root = path.resolve("extensions")): { handle: string; url: string }[] {
  return flowExtensions(root).flatMap(({ toml }) =>
    toml.extensions
      .filter((extension) => extension.type === "flow_trigger_lifecycle_callback")
      .map((extension) => ({ handle: extension.handle, url: extension.url ?? "" })),
  );
}

const VALUE_CHECKS: Record<string, (value: unknown) => boolean> = {
  order_reference: (value) => Number.isInteger(value),
  number_integer: (value) => Number.isInteger(value),
  boolean: (value) => typeof value === "boolean",
  single_line_text_field: (value) => typeof value === "string",
};

/** Problems with one payload sent to flowTriggerReceive, against its extension's declaration. */
export function payloadProblems(
  triggers: DeclaredTrigger[],
  handle: string,
  payload: Record<string, unknown>,
): string[] {
  const trigger = triggers.find((candidate) => candidate.handle === handle);
  if (!trigger) return [`no extension declares the trigger ${handle}`];
  const problems: string[] = [];
  for (const [key, type] of Object.entries(trigger.fields)) {
    if (!(key in payload)) problems.push(`${handle}: ${key} missing`);
    else if (!VALUE_CHECKS[type]?.(payload[key])) problems.push(`${handle}: ${key} is not a ${type}`);
  }
  for (const key of Object.keys(payload))
    if (!(key in trigger.fields)) problems.push(`${handle}: ${key} is not declared`);
  return problems;
}
