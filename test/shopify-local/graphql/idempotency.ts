import {
  GraphQLError,
  Kind,
  valueFromASTUntyped,
  type GraphQLResolveInfo,
  type OperationDefinitionNode,
} from "graphql";
import type { Args, RequestContext, Resolver } from "./context";
import { adminSchema, type ApiVersion } from "./schema";

/**
 * `@idempotent(key:)` as the 2026-10 schema describes it: "Only supported on mutations that explicitly document
 * idempotency support in their description", and since 2026-04 "the idempotency key is required" on those whose
 * description says so (refundCreate, inventoryAdjustQuantities, …). The lists are read from each served
 * version's own descriptions, so a mutation that gains the requirement in a new schema is covered by itself.
 */
const REQUIRED = /idempotency key is required and must be provided using the `@idempotent` directive/;
const SUPPORTED = /supports an optional idempotency key using the `@idempotent` directive/;

const cache = new Map<ApiVersion, { required: Set<string>; supported: Set<string> }>();

export function idempotentMutations(version: ApiVersion): { required: Set<string>; supported: Set<string> } {
  let lists = cache.get(version);
  if (!lists) {
    const fields = Object.values(adminSchema(version).getMutationType()!.getFields());
    const required = new Set(fields.filter((f) => REQUIRED.test(f.description ?? "")).map((f) => f.name));
    const supported = new Set(
      fields.filter((f) => required.has(f.name) || SUPPORTED.test(f.description ?? "")).map((f) => f.name),
    );
    lists = { required, supported };
    cache.set(version, lists);
  }
  return lists;
}

/** The first misuse of `@idempotent` in a mutation: missing where required, present where not supported, or blank. */
export function idempotencyProblem(version: ApiVersion, operation: OperationDefinitionNode): GraphQLError | null {
  if (operation.operation !== "mutation") return null;
  const { required, supported } = idempotentMutations(version);
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    const name = selection.name.value;
    const directive = selection.directives?.find((d) => d.name.value === "idempotent");
    if (!directive && required.has(name)) {
      return new GraphQLError(`The @idempotent directive is required for the ${name} field.`);
    }
    if (directive && !supported.has(name)) {
      return new GraphQLError(`The @idempotent directive is not supported for the ${name} field.`);
    }
  }
  return null;
}

/** The `@idempotent(key:)` given on this field, if any. */
export function idempotencyKey(info: GraphQLResolveInfo): string | null {
  const directive = info.fieldNodes[0]?.directives?.find((d) => d.name.value === "idempotent");
  const argument = directive?.arguments?.find((a) => a.name.value === "key");
  if (!argument) return null;
  const value =
    argument.value.kind === Kind.VARIABLE
      ? info.variableValues[argument.value.name.value]
      : valueFromASTUntyped(argument.value);
  return typeof value === "string" ? value : null;
}

/**
 * Runs a keyed mutation once per shop, field and key: a repeat with the same arguments gets the first answer
 * back (replayed, nothing applied again); the same key with other arguments is refused
 * (shopify.dev "Implementing idempotency"). Answers with userErrors are not kept, so a corrected retry may
 * reuse its key.
 */
export function withIdempotency(
  field: string,
  resolve: Resolver<unknown>,
  nullPayload: Record<string, unknown>,
): Resolver<unknown> {
  return (source: unknown, args: Args, ctx: RequestContext, info: GraphQLResolveInfo) => {
    const key = idempotencyKey(info);
    if (key === null) return resolve(source, args, ctx, info);
    if (key.trim() === "") throw new GraphQLError("The idempotency key cannot be an empty string or whitespace only.");
    const stored = `${field}\n${key}`;
    const fingerprint = JSON.stringify(args);
    const previous = ctx.shop.idempotency.get(stored);
    if (previous && previous.fingerprint !== fingerprint) {
      return {
        ...nullPayload,
        userErrors: [
          {
            field: Object.keys(args).slice(0, 1),
            message: "The same idempotency key cannot be used with different operation parameters.",
            code: "IDEMPOTENCY_KEY_PARAMETER_MISMATCH",
          },
        ],
      };
    }
    if (previous) return previous.result;
    const result = resolve(source, args, ctx, info) as { userErrors?: unknown[] };
    if ((result.userErrors ?? []).length === 0) ctx.shop.idempotency.set(stored, { fingerprint, result });
    return result;
  };
}
