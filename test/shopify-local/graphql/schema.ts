import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

/** The Admin API versions served, each from Shopify's own introspection (schemas/README provenance in ../README.md). */
export const API_VERSIONS = ["2026-10", "2026-07"] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];

const SCHEMA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "schemas");
const cache = new Map<ApiVersion, GraphQLSchema>();

export function isApiVersion(value: string): value is ApiVersion {
  return (API_VERSIONS as readonly string[]).includes(value);
}

export function adminSchema(version: ApiVersion): GraphQLSchema {
  let schema = cache.get(version);
  if (!schema) {
    const file = path.join(SCHEMA_DIR, `admin-${version}.introspection.json.gz`);
    const parsed = JSON.parse(gunzipSync(readFileSync(file)).toString("utf8")) as { data: IntrospectionQuery };
    schema = buildClientSchema(parsed.data);
    cache.set(version, schema);
  }
  return schema;
}
