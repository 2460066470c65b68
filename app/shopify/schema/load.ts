import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

const here = path.dirname(fileURLToPath(import.meta.url));
export const ADMIN_SCHEMA_FILE = path.join(here, "admin-2026-10.introspection.json.gz");

let cached: GraphQLSchema | undefined;

export function loadAdminSchema(file: string = ADMIN_SCHEMA_FILE): GraphQLSchema {
  if (file === ADMIN_SCHEMA_FILE && cached) return cached;
  const introspection = JSON.parse(gunzipSync(readFileSync(file)).toString("utf8")) as { data: IntrospectionQuery };
  const schema = buildClientSchema(introspection.data);
  if (file === ADMIN_SCHEMA_FILE) cached = schema;
  return schema;
}
