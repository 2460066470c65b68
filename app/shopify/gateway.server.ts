import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { getOperationAST, Kind, print, type DocumentNode } from "graphql";
import { ClientError, GraphQLClient } from "graphql-request";

import type { Db } from "../db.server";
import { env } from "../env.server";
import { findOfflineSession } from "../models/sessions.server";
import { API_VERSION } from "./api-version";
import { CostBucket, type ThrottleStatus } from "./cost-bucket";

/** A business failure Shopify reports with HTTP 200 in a mutation payload. */
export interface UserError {
  field: string[] | null;
  message: string;
  code: string | null;
}

/** On failure `data` is what Shopify answered: the other fields of a combined mutation may have succeeded. */
export type MutationResult<T> = { ok: true; data: T } | { ok: false; userErrors: UserError[]; data?: T };

export interface MutateOptions {
  /**
   * False when the mutation carries an effect Shopify cannot recognise when it comes again (flowTriggerReceive
   * takes no idempotency key): a failure after which Shopify may have applied it (a timeout, a 5xx, an internal
   * error) is then thrown at once, with `mayHaveApplied`, instead of being sent again. Default true.
   */
  repeatable?: boolean;
}

/**
 * Why a call failed for good. `graphql` (the document or its variables were rejected) and `http` (a 4xx
 * other than 429, e.g. a revoked token) are not retried; the rest are retried until maxAttempts.
 */
export type AdminFailure = "throttled" | "http" | "timeout" | "network" | "response" | "graphql";

export interface GraphQLErrorShape {
  message: string;
  path?: readonly (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

/**
 * Protected customer data Shopify withholds from an app without approval: ACCESS_DENIED on the Customer object
 * or one of its fields, or on an order's e-mail, which Shopify answers as null. The data is still the answer; callers treat the nulls.
 */
function isWithheldCustomerData(error: GraphQLErrorShape): boolean {
  const path = error.path ?? [];
  // Order.email is the order's own contact field, withheld like the customer's (level 2).
  return error.extensions?.code === "ACCESS_DENIED" && (path.includes("customer") || path.at(-1) === "email");
}

export class AdminApiError extends Error {
  override readonly name = "AdminApiError";
  constructor(
    readonly failure: AdminFailure,
    message: string,
    readonly detail: {
      shop: string;
      operation: string;
      attempts: number;
      status?: number;
      errors?: GraphQLErrorShape[];
      /** A mutation Shopify may have applied (in part) although no answer says so: never false for a timeout. */
      mayHaveApplied?: boolean;
    },
  ) {
    super(`${detail.operation} on ${detail.shop} failed after ${detail.attempts} attempt(s) (${failure}): ${message}`);
  }
}

/** The shop has no offline session: the app was uninstalled, or never finished installing. */
export class NoOfflineSessionError extends Error {
  override readonly name = "NoOfflineSessionError";
  constructor(readonly shop: string) {
    super(`No offline session for ${shop}: the app is not installed there`);
  }
}

export interface AdminGateway {
  readonly shop: string;
  query<R, V extends Record<string, unknown>>(document: TypedDocumentNode<R, V>, variables: V): Promise<R>;
  /** Runs a mutation and collects the userErrors of every top-level field (aliases included). */
  mutate<R, V extends Record<string, unknown>>(
    document: TypedDocumentNode<R, V>,
    variables: V,
    options?: MutateOptions,
  ): Promise<MutationResult<R>>;
  /** Runs a document built at run time (see batch.server.ts); `estimatedCost` feeds the throttle. */
  execute(
    document: DocumentNode,
    variables: Record<string, unknown>,
    estimatedCost?: number,
    options?: MutateOptions,
  ): Promise<Record<string, unknown>>;
}

export interface AdminGatewayOptions {
  shop: string;
  accessToken: string;
  /** Where the Admin API lives; https://{shop} when unset (Local Shopify's origin in tests and the demo). */
  origin?: string;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  maxAttempts?: number;
  timeoutMs?: number;
  /** Shared per shop by default, so every gateway of the process sees the same bucket. */
  bucket?: CostBucket;
}

const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 30_000;
/** Shopify's documented cost of one mutation field; queries are estimated from the last response. */
export const MUTATION_FIELD_COST = 10;

const sharedBuckets = new Map<string, CostBucket>();
function bucketFor(origin: string, shop: string): CostBucket {
  const key = `${origin}|${shop}`;
  let bucket = sharedBuckets.get(key);
  if (!bucket) sharedBuckets.set(key, (bucket = new CostBucket()));
  return bucket;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function adminApiUrl(shop: string, origin?: string): string {
  return `${(origin ?? `https://${shop}`).replace(/\/+$/, "")}/admin/api/${API_VERSION}/graphql.json`;
}

export function createAdminGateway(options: AdminGatewayOptions): AdminGateway {
  const { shop } = options;
  if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(shop)) {
    throw new Error(`shop must be a *.myshopify.com domain, got ${JSON.stringify(shop)}`);
  }
  if (!options.accessToken) throw new Error(`accessToken for ${shop} is empty`);
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const maxAttempts = options.maxAttempts ?? 6;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const origin = options.origin ?? `https://${shop}`;
  const bucket = options.bucket ?? bucketFor(origin, shop);
  const learnedCost = new Map<string, number>();

  const client = new GraphQLClient(adminApiUrl(shop, origin), {
    headers: { "X-Shopify-Access-Token": options.accessToken },
    fetch: (input, init) => fetchImpl(input, init),
    // Keep data, errors and extensions together: THROTTLED comes back as HTTP 200 with errors.
    errorPolicy: "all",
  });

  function backoff(attempt: number): number {
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
  }

  async function send(
    document: DocumentNode,
    variables: Record<string, unknown>,
    estimatedCost?: number,
    options: MutateOptions = {},
  ): Promise<Record<string, unknown>> {
    const operation = operationName(document);
    const query = printed(document);
    const cost = estimatedCost ?? learnedCost.get(operation) ?? defaultCost(document);
    const isMutation = getOperationAST(document)?.operation === "mutation";

    for (let attempt = 1; ; attempt++) {
      const wait = bucket.reserve(cost, now());
      if (wait > 0) await sleep(wait);

      const outcome = await attemptOnce(query, variables);
      bucket.answered(cost, outcome.throttleStatus, now());
      if (outcome.requestedCost !== undefined) learnedCost.set(operation, outcome.requestedCost);
      if (outcome.kind === "data") return outcome.data;

      const mayHaveApplied = isMutation && outcomeMayHaveApplied(outcome);
      const fail = (message: string) =>
        new AdminApiError(outcome.failure, message, {
          shop,
          operation,
          attempts: attempt,
          status: outcome.status,
          errors: outcome.errors,
          mayHaveApplied,
        });
      if (!outcome.retryable) throw fail(outcome.message);
      if (mayHaveApplied && options.repeatable === false) throw fail(outcome.message);
      if (attempt >= maxAttempts) throw fail(outcome.message);
      await sleep(outcome.retryAfterMs ?? backoff(attempt));
    }
  }

  async function attemptOnce(query: string, variables: Record<string, unknown>): Promise<Outcome> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await client.rawRequest<Record<string, unknown>>({
        query,
        variables,
        signal: controller.signal,
      });
      return interpret(response.status, response.data ?? null, response.errors, response.extensions);
    } catch (error) {
      if (error instanceof ClientError) return interpretHttpError(error);
      if (controller.signal.aborted) {
        return { kind: "failure", failure: "timeout", retryable: true, message: `no answer within ${timeoutMs} ms` };
      }
      if (error instanceof SyntaxError) {
        return { kind: "failure", failure: "response", retryable: true, message: `unreadable body: ${error.message}` };
      }
      return {
        kind: "failure",
        failure: "network",
        retryable: true,
        message: describeNetworkError(error),
        notSent: networkCode(error) === "ECONNREFUSED",
      };
    } finally {
      clearTimeout(timer);
    }
  }

  function interpret(
    status: number,
    data: Record<string, unknown> | null,
    errors: readonly GraphQLErrorShape[] | undefined,
    extensions: unknown,
  ): Outcome {
    const cost = readCost(extensions);
    const base = { status, throttleStatus: cost?.throttleStatus, requestedCost: cost?.requestedQueryCost };
    if (errors && errors.length > 0 && data && errors.every(isWithheldCustomerData)) {
      return { kind: "data", data, ...base };
    }
    if (errors && errors.length > 0) {
      const list = errors.map((e) => ({ message: e.message, extensions: e.extensions }));
      const codes = list.map((e) => e.extensions?.code);
      if (codes.includes("THROTTLED")) {
        const throttle = cost?.throttleStatus;
        const requested = cost?.requestedQueryCost ?? 0;
        // Wait exactly until the bucket holds the query's cost again, when Shopify tells us enough to know.
        const retryAfterMs =
          throttle && throttle.restoreRate > 0
            ? Math.ceil((Math.max(0, requested - throttle.currentlyAvailable) / throttle.restoreRate) * 1000) +
              Math.round(random() * 100)
            : undefined;
        return {
          kind: "failure",
          failure: "throttled",
          retryable: true,
          message: "THROTTLED",
          errors: list,
          retryAfterMs,
          ...base,
        };
      }
      // Shopify's own hiccup, not the document's fault.
      const internal = codes.every((code) => code === "INTERNAL_SERVER_ERROR");
      return {
        kind: "failure",
        failure: internal ? "response" : "graphql",
        retryable: internal,
        message: list.map((e) => e.message).join("; "),
        errors: list,
        // Field errors beside data: the operation ran. Without data, a document Shopify refused ran nothing.
        notSent: !internal && !data,
        ...base,
      };
    }
    if (!data)
      return { kind: "failure", failure: "response", retryable: true, message: "no data in the response", ...base };
    return { kind: "data", data, ...base };
  }

  function interpretHttpError(error: ClientError): Outcome {
    const { status } = error.response;
    const headers = error.response.headers as Headers | undefined;
    if (status === 429) {
      const retryAfter = Number(headers?.get("retry-after"));
      return {
        kind: "failure",
        failure: "throttled",
        retryable: true,
        status,
        message: "HTTP 429",
        retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
      };
    }
    const retryable = status >= 500;
    return {
      kind: "failure",
      failure: "http",
      retryable,
      status,
      message: `HTTP ${status}`,
      errors: error.response.errors as GraphQLErrorShape[] | undefined,
    };
  }

  async function query<R, V extends Record<string, unknown>>(document: TypedDocumentNode<R, V>, variables: V) {
    return (await send(document, variables)) as R;
  }

  async function mutate<R, V extends Record<string, unknown>>(
    document: TypedDocumentNode<R, V>,
    variables: V,
    options?: MutateOptions,
  ): Promise<MutationResult<R>> {
    const data = await send(document, variables, undefined, options);
    const userErrors = collectUserErrors(data);
    return userErrors.length > 0 ? { ok: false, userErrors, data: data as R } : { ok: true, data: data as R };
  }

  return { shop, query, mutate, execute: send };
}

type Outcome =
  | {
      kind: "data";
      data: Record<string, unknown>;
      status?: number;
      throttleStatus?: ThrottleStatus;
      requestedCost?: number;
    }
  | {
      kind: "failure";
      failure: AdminFailure;
      retryable: boolean;
      message: string;
      status?: number;
      errors?: GraphQLErrorShape[];
      retryAfterMs?: number;
      throttleStatus?: ThrottleStatus;
      requestedCost?: number;
      /** The request certainly ran nothing on Shopify (refused before execution, or never sent). */
      notSent?: boolean;
    };

/**
 * Whether a failed mutation may have been applied. Only an answer that says nothing ran (throttled, a 429 or
 * another 4xx, a document refused whole, a connection refused) rules it out; a timeout, a dropped connection,
 * a 5xx or an internal error may come after Shopify applied some or all of it.
 */
function outcomeMayHaveApplied(outcome: Extract<Outcome, { kind: "failure" }>): boolean {
  if (outcome.notSent || outcome.failure === "throttled") return false;
  return outcome.failure !== "http" || (outcome.status ?? 500) >= 500;
}

/** The userErrors of every top-level field of a mutation's data, in field order. */
export function collectUserErrors(data: Record<string, unknown>): UserError[] {
  return Object.values(data).flatMap((payload) => userErrorsOf(payload));
}

export function userErrorsOf(payload: unknown): UserError[] {
  if (typeof payload !== "object" || payload === null) return [];
  const list = (payload as { userErrors?: unknown }).userErrors;
  if (!Array.isArray(list)) return [];
  return list.map((raw: { field?: unknown; message?: unknown; code?: unknown }) => ({
    field: Array.isArray(raw.field) ? raw.field.map(String) : null,
    message: String(raw.message ?? ""),
    code: typeof raw.code === "string" ? raw.code : null,
  }));
}

function readCost(extensions: unknown): { requestedQueryCost?: number; throttleStatus?: ThrottleStatus } | null {
  const cost = (extensions as { cost?: Record<string, unknown> } | undefined)?.cost;
  if (!cost) return null;
  const status = cost.throttleStatus as Partial<ThrottleStatus> | undefined;
  const throttleStatus =
    status &&
    typeof status.maximumAvailable === "number" &&
    typeof status.currentlyAvailable === "number" &&
    typeof status.restoreRate === "number"
      ? (status as ThrottleStatus)
      : undefined;
  const requested = typeof cost.requestedQueryCost === "number" ? cost.requestedQueryCost : undefined;
  return { requestedQueryCost: requested, throttleStatus };
}

function networkCode(error: unknown): string | undefined {
  return (error as { cause?: { code?: string } } | null)?.cause?.code;
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause ? `${error.message} (${cause.code ?? cause.message ?? "unknown cause"})` : error.message;
}

function operationName(document: DocumentNode): string {
  const name = getOperationAST(document)?.name?.value;
  if (!name) throw new Error("Admin operations must be named (see app/shopify/operations)");
  return name;
}

function defaultCost(document: DocumentNode): number {
  const operation = getOperationAST(document);
  if (operation?.operation !== "mutation") return 1;
  return MUTATION_FIELD_COST * operation.selectionSet.selections.filter((s) => s.kind === Kind.FIELD).length;
}

const printedDocuments = new WeakMap<DocumentNode, string>();
function printed(document: DocumentNode): string {
  let text = printedDocuments.get(document);
  if (!text) printedDocuments.set(document, (text = print(document)));
  return text;
}

/** The shop's Admin gateway from its offline session, pointed at SHOPIFY_ADMIN_API_ORIGIN when set. */
export async function gatewayForShop(
  db: Db,
  shop: string,
  options: Omit<AdminGatewayOptions, "shop" | "accessToken"> = {},
): Promise<AdminGateway> {
  const session = await findOfflineSession(db, shop);
  if (!session) throw new NoOfflineSessionError(shop);
  return createAdminGateway({
    shop,
    accessToken: session.accessToken,
    origin: env.SHOPIFY_ADMIN_API_ORIGIN,
    ...options,
  });
}
