import {
  execute,
  getOperationAST,
  GraphQLError,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import type { RequestContext, Resolver } from "./context";
import { queryCost } from "./cost";
import { shopifySyntaxError, shopifyValidationErrors, shopifyVariableError, type ShopifyError } from "./errors";
import { InjectedInternalError, mutationFieldFault } from "./field-faults";
import { idempotencyProblem } from "./idempotency";
import { mutationResolvers } from "./mutations";
import { queryResolvers } from "./queries";
import { adminSchema, type ApiVersion } from "./schema";
import type { LeakyBucket, ThrottleStatus } from "./throttle";
import { typeResolvers } from "./types";

/** Shopify refuses any single query whose requested cost is above this, before running it. */
export const MAX_QUERY_COST = 1000;
const RATE_LIMITS_DOC = "https://shopify.dev/api/usage/rate-limits";

const roots: Record<string, Record<string, Resolver<unknown>>> = {
  QueryRoot: queryResolvers,
  Mutation: mutationResolvers,
};

const fieldResolver: GraphQLFieldResolver<unknown, RequestContext> = (source, args, ctx, info) => {
  const parent = info.parentType.name;
  const root = roots[parent];
  if (root) {
    const resolve = root[info.fieldName];
    if (!resolve) throw new GraphQLError(`The local Shopify does not implement ${parent}.${info.fieldName} yet.`);
    if (parent === "Mutation") {
      const fault = mutationFieldFault(ctx, info.fieldName);
      if (fault) return fault.payload;
    }
    return resolve(source, args, ctx, info);
  }
  const resolve = typeResolvers[parent]?.[info.fieldName];
  if (resolve) return (resolve as Resolver<unknown>)(source, args, ctx, info);
  const record = source as Record<string, unknown>;
  // A field the local model lacks fails loudly rather than answering a null Shopify would not.
  if (!(info.fieldName in record)) {
    throw new GraphQLError(`The local Shopify does not implement ${parent}.${info.fieldName} yet.`);
  }
  return record[info.fieldName];
};

interface Prepared {
  document?: DocumentNode;
  errors?: ShopifyError[];
  fragments?: Record<string, FragmentDefinitionNode>;
}

/** Parsing and validation depend only on the text and version: cached, as apps send a few operations often. */
const prepared = new Map<string, Prepared>();

function prepare(version: ApiVersion, query: string): Prepared {
  const cacheKey = `${version}\n${query}`;
  const cached = prepared.get(cacheKey);
  if (cached) return cached;
  let result: Prepared;
  try {
    const document = parse(query);
    const schema = adminSchema(version);
    const errors = validate(schema, document);
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
    result =
      errors.length > 0 ? { errors: shopifyValidationErrors(schema, document, errors) } : { document, fragments };
  } catch (error) {
    result = { errors: [shopifySyntaxError(error as GraphQLError)] };
  }
  if (prepared.size > 1000) prepared.clear();
  prepared.set(cacheKey, result);
  return result;
}

function formatExecutionError(error: GraphQLError): ShopifyError {
  return {
    message: error.message,
    ...(error.locations ? { locations: error.locations.map((l) => ({ line: l.line, column: l.column })) } : {}),
    ...(error.path ? { path: [...error.path] } : {}),
    ...(error.extensions && Object.keys(error.extensions).length > 0 ? { extensions: error.extensions } : {}),
  };
}

export interface GraphqlBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export interface GraphqlAnswer {
  status: number;
  body: unknown;
  /** The operation's root fields, answer key (alias) → field name; empty when no operation was found. */
  fields?: Record<string, string>;
}

/** Root fields by answer key, through fragments: what the request asked for, so the log can say which mutation. */
function rootFields(
  selectionSet: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  into: Record<string, string> = {},
): Record<string, string> {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) into[selection.alias?.value ?? selection.name.value] = selection.name.value;
    else if (selection.kind === Kind.INLINE_FRAGMENT) rootFields(selection.selectionSet, fragments, into);
    else {
      const fragment = fragments[selection.name.value];
      if (fragment) rootFields(fragment.selectionSet, fragments, into);
    }
  }
  return into;
}

/** One Admin GraphQL request: validate, price, throttle, execute, refund, answer as Shopify does. */
export async function answerGraphql(
  ctx: RequestContext,
  bucket: LeakyBucket,
  body: GraphqlBody,
): Promise<GraphqlAnswer> {
  if (typeof body.query !== "string" || body.query.trim() === "") {
    return { status: 400, body: { errors: { query: "Required parameter missing or invalid" } } };
  }
  const variables = (body.variables ?? {}) as Record<string, unknown>;
  const operationName = typeof body.operationName === "string" ? body.operationName : null;
  const ready = prepare(ctx.version, body.query);
  if (ready.errors) return { status: 200, body: { errors: ready.errors } };
  const operation = getOperationAST(ready.document!, operationName);
  if (!operation) {
    return {
      status: 200,
      body: {
        errors: [
          { message: operationName ? `No operation named "${operationName}"` : "An operation name is required" },
        ],
      },
    };
  }
  const answer = await answerOperation(ctx, bucket, ready, operation, variables, operationName);
  return { ...answer, fields: rootFields(operation.selectionSet, ready.fragments!) };
}

async function answerOperation(
  ctx: RequestContext,
  bucket: LeakyBucket,
  ready: Prepared,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  operationName: string | null,
): Promise<GraphqlAnswer> {
  const document = ready.document!;
  const unidempotent = idempotencyProblem(ctx.version, operation);
  if (unidempotent) return { status: 200, body: { errors: [formatExecutionError(unidempotent)] } };

  const schema = adminSchema(ctx.version);
  const requested = queryCost(schema, operation, ready.fragments!, variables);
  if (requested > MAX_QUERY_COST) {
    return {
      status: 200,
      body: {
        errors: [
          {
            message: `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_QUERY_COST}).\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/api/usage/bulk-operations/queries for usage details.\n`,
            extensions: {
              code: "MAX_COST_EXCEEDED",
              cost: requested,
              maxCost: MAX_QUERY_COST,
              documentation: RATE_LIMITS_DOC,
            },
          },
        ],
      },
    };
  }
  if (!bucket.take(requested)) {
    return {
      status: 200,
      body: {
        errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: RATE_LIMITS_DOC } }],
        extensions: { cost: costExtension(requested, null, bucket.status()) },
      },
    };
  }
  const result = (await execute({
    schema,
    document,
    variableValues: variables,
    operationName,
    contextValue: ctx,
    fieldResolver,
  })) as ExecutionResult;
  if (result.data === undefined) {
    // Variables that do not coerce: nothing ran, the points come back.
    bucket.refund(requested);
    return {
      status: 200,
      body: { errors: (result.errors ?? []).map((e) => shopifyVariableError(e, variables, operation)) },
    };
  }
  const internal = result.errors?.find((e) => e.originalError instanceof InjectedInternalError);
  if (internal) {
    // As graphql-ruby on an unhandled error: the whole answer is the error, whatever ran before it.
    return { status: 200, body: { errors: [{ message: internal.message, extensions: internal.extensions }] } };
  }
  const actual = queryCost(schema, operation, ready.fragments!, variables, result.data as Record<string, unknown>);
  bucket.refund(Math.max(0, requested - actual));
  return {
    status: 200,
    body: {
      ...(result.errors?.length ? { errors: result.errors.map(formatExecutionError) } : {}),
      data: result.data,
      extensions: { cost: costExtension(requested, actual, bucket.status()) },
    },
  };
}

function costExtension(requested: number, actual: number | null, throttleStatus: ThrottleStatus) {
  return { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus };
}

/** Runs an operation without cost or throttle (bulk operations run server-side at Shopify too). */
export async function executeOperation(
  ctx: RequestContext,
  query: string,
  variables: Record<string, unknown>,
): Promise<ExecutionResult> {
  const ready = prepare(ctx.version, query);
  if (ready.errors) return { errors: ready.errors.map((e) => new GraphQLError(e.message)) };
  return (await execute({
    schema: adminSchema(ctx.version),
    document: ready.document!,
    variableValues: variables,
    contextValue: ctx,
    fieldResolver,
  })) as ExecutionResult;
}
