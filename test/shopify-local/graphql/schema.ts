import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

import { ADMIN_SCHEMA_FILE } from "../../../app/shopify/schema/load";

/** The Admin API versions served, each from Shopify's own introspection (schemas/README provenance in ../README.md). */
export const API_VERSIONS = ["2026-10", "2026-07"] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];

const SCHEMA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "schemas");
// The app's pinned version is served from the app's own copy of the schema; older versions live here.
const SCHEMA_FILES: Record<ApiVersion, string> = {
  "2026-10": ADMIN_SCHEMA_FILE,
  "2026-07": path.join(SCHEMA_DIR, "admin-2026-07.introspection.json.gz"),
};
const cache = new Map<ApiVersion, GraphQLSchema>();

export function isApiVersion(value: string): value is ApiVersion {
  return (API_VERSIONS as readonly string[]).includes(value);
}

export function adminSchema(version: ApiVersion): GraphQLSchema {
  let schema = cache.get(version);
  if (!schema) {
    const file = SCHEMA_FILES[version];
    const parsed = JSON.parse(gunzipSync(readFileSync(file)).toString("utf8")) as { data: IntrospectionQuery };
    schema = buildClientSchema(parsed.data);
    cache.set(version, schema);
  }
  return schema;
}
