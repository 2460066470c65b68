import { randomUUID } from "node:crypto";
import { GraphQLError } from "graphql";
import type { RequestContext } from "./context";

/**
 * One root mutation field failing inside an otherwise good request (control `POST faults`,
 * `api.mutationFieldFailures`), the case a combined mutation must survive:
 * - `internal`: the field raises, as graphql-ruby does on an unhandled error. The fields before it stay
 *   applied, the ones after it do not run, and the answer is only Shopify's INTERNAL_SERVER_ERROR (shape of
 *   shopify.dev changelog "Improved GraphQL errors", message as Shopify sends it): no `data`, so the client
 *   cannot tell which fields ran.
 * - `userError`: the field changes nothing and answers a userError; the rest of the request runs.
 * `operation` limits the rule to one operation name; `skip` lets that many matching fields through first.
 */
export interface MutationFieldFailure {
  field: string;
  operation?: string;
  mode: "internal" | "userError";
  count?: number;
  skip?: number;
}

export const INJECTED_USER_ERROR = "Local Shopify: injected failure of this field.";

export class InjectedInternalError extends GraphQLError {
  constructor(readonly requestId: string) {
    super(
      `Internal error. Looks like something went wrong on our end.\nRequest ID: ${requestId} (include this in support requests).`,
      { extensions: { code: "INTERNAL_SERVER_ERROR", requestId } },
    );
  }
}

/** The rule that fails this root mutation field now, if any (consumed: each rule fails `count` fields). */
function takeFailure(ctx: RequestContext, field: string): MutationFieldFailure["mode"] | null {
  const rules = ctx.faults?.mutationFieldFailures;
  if (!rules || ctx.bulk) return null;
  const rule = rules.find(
    (r) => r.field === field && (r.operation === undefined || r.operation === ctx.operation) && (r.count ?? 1) > 0,
  );
  if (!rule) return null;
  if ((rule.skip ?? 0) > 0) {
    rule.skip = (rule.skip ?? 0) - 1;
    return null;
  }
  rule.count = (rule.count ?? 1) - 1;
  return rule.mode;
}

/** A payload whose every selected field is null but `userErrors`: the shape of a refused mutation. */
function refusedPayload(): Record<string, unknown> {
  const userErrors = [{ field: null, message: INJECTED_USER_ERROR, code: null }];
  return new Proxy({ userErrors } as Record<string, unknown>, {
    has: () => true,
    get: (target, key) => (key in target ? target[key as string] : null),
  });
}

/**
 * Runs before each root mutation field: once an injected internal error aborted the request nothing else
 * runs; an injected failure of this field answers for it. Null: resolve the field as usual.
 */
export function mutationFieldFault(ctx: RequestContext, field: string): { payload: unknown } | null {
  if (ctx.aborted) throw new GraphQLError("not run: the request was aborted by an internal error");
  const mode = takeFailure(ctx, field);
  if (mode === "internal") {
    ctx.aborted = true;
    throw new InjectedInternalError(randomUUID());
  }
  return mode === "userError" ? { payload: refusedPayload() } : null;
}

export interface LateAnswer {
  operation: string;
  ms: number;
  count?: number;
  /** Requests of the operation answered on time before the rule applies. */
  skip?: number;
}

/** Real milliseconds to hold this request's answer back (`api.lateAnswers`), consuming one of its count. */
export function takeLateAnswer(faults: { lateAnswers?: LateAnswer[] }, operation: string | null): number {
  const rule = faults.lateAnswers?.find((r) => r.operation === operation && (r.count ?? 1) > 0);
  if (!rule) return 0;
  if ((rule.skip ?? 0) > 0) {
    rule.skip = (rule.skip ?? 0) - 1;
    return 0;
  }
  rule.count = (rule.count ?? 1) - 1;
  return rule.ms;
}
