import { parse, validate, type DocumentNode, Kind } from "graphql";
import type { BulkOperation } from "../store/state";
import { bulkOperationPayload } from "../webhooks/payloads";
import type { RequestContext } from "./context";
import { executeOperation } from "./execute";
import { adminSchema, type ApiVersion } from "./schema";

/** A bulk query must be valid and select exactly one top-level connection. */
export function validateBulkQuery(version: ApiVersion, query: string): string | null {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    return `Invalid bulk query: ${(error as Error).message}`;
  }
  const errors = validate(adminSchema(version), document);
  if (errors.length > 0) return `Invalid bulk query: ${errors[0]!.message}`;
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.operation !== "query") return "Bulk queries must be a query operation.";
  const roots = operation.selectionSet.selections.filter((s) => s.kind === Kind.FIELD);
  if (roots.length !== 1) return "Bulk queries must contain exactly one top-level connection field.";
  return null;
}

type Json = Record<string, unknown>;

function isConnection(value: unknown): value is { edges?: { node: Json }[]; nodes?: Json[] } {
  return (
    typeof value === "object" &&
    value !== null &&
    (Array.isArray((value as Json).edges) || Array.isArray((value as Json).nodes))
  );
}

function nodesOf(value: { edges?: { node: Json }[]; nodes?: Json[] }): Json[] {
  return value.nodes ?? (value.edges ?? []).map((e) => e.node);
}

/** Shopify's JSONL: one line per node; nested connection nodes follow as lines carrying `__parentId`. */
function flatten(node: Json, parentId: string | null, lines: Json[]): void {
  const own: Json = {};
  const children: Json[][] = [];
  for (const [key, value] of Object.entries(node)) {
    if (isConnection(value)) children.push(nodesOf(value));
    else own[key] = value;
  }
  lines.push(parentId === null ? own : { ...own, __parentId: parentId });
  for (const list of children) for (const child of list) flatten(child, String(own.id ?? ""), lines);
}

export async function runBulkOperation(ctx: RequestContext, operation: BulkOperation): Promise<void> {
  operation.status = "RUNNING";
  const result = await executeOperation({ ...ctx, bulk: true }, operation.query, {});
  if (result.errors?.length || !result.data) {
    operation.status = "FAILED";
    operation.errorCode = "INTERNAL_SERVER_ERROR";
    operation.completedAt = ctx.rt.clock.iso();
    ctx.rt.emit(ctx.shop, "bulk_operations/finish", () => bulkOperationPayload(operation));
    return;
  }
  const root = Object.values(result.data)[0];
  const lines: Json[] = [];
  const roots = isConnection(root) ? nodesOf(root) : [];
  for (const node of roots) flatten(node, null, lines);
  operation.jsonl = lines.map((l) => JSON.stringify(l)).join("\n") + (lines.length ? "\n" : "");
  operation.objectCount = lines.length;
  operation.rootObjectCount = roots.length;
  operation.fileSize = Buffer.byteLength(operation.jsonl);
  operation.status = "COMPLETED";
  operation.completedAt = ctx.rt.clock.iso();
  ctx.rt.emit(ctx.shop, "bulk_operations/finish", () => bulkOperationPayload(operation));
}
