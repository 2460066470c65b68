import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { getOperationAST, Kind, print, type DocumentNode } from "graphql";
import { GraphQLClient } from "graphql-request";

import type { Db } from "../db.server";
import { env } from "../env.server";
import { findOfflineSession } from "../models/sessions.server";
import {
  collectUserErrors,
  failureOf,
  outcomeMayHaveApplied,
  readAnswer,
  type AdminFailure,
  type GraphQLErrorShape,
  type Outcome,
  type UserError,
} from "./admin-answer";
import { API_VERSION } from "./api-version";
import { CostBucket } from "./cost-bucket";

export type { AdminFailure, GraphQLErrorShape, UserError } from "./admin-answer";
export { collectUserErrors, userErrorsOf } from "./admin-answer";

/** On failure `data` is what Shopify answered: the other fields of a combined mutation may have succeeded. */
export type MutationResult<T> = { ok: true; data: T } | { ok: false; userErrors: UserError[]; data?: T };

export interface MutateOptions {
  /**
   * False when Shopify cannot recognise the mutation coming again (flowTriggerReceive takes no idempotency key):
   * a failure after which it may have applied is then thrown at once, with `mayHaveApplied`, instead of re-sent.
   */
  repeatable?: boolean;
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

/** The app was uninstalled, or never finished installing: a normal case, not a failure. */
export class NoOfflineSessionError extends Error {
  override readonly name = "NoOfflineSessionError";
  constructor(readonly shop: string) {
    super(`No offline session for ${shop}: the app is not installed there`);
  }
}

export interface AdminGateway {
  readonly shop: string;
  /** With `shop`, the key of what the process keeps per shop (bucket, location hint). */
  readonly origin: string;
  query<R, V extends Record<string, unknown>>(document: TypedDocumentNode<R, V>, variables: V): Promise<R>;
  /** Collects the userErrors of every top-level field (aliases included). */
  mutate<R, V extends Record<string, unknown>>(
    document: TypedDocumentNode<R, V>,
    variables: V,
    options?: MutateOptions,
  ): Promise<MutationResult<R>>;
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
      return readAnswer(response, random());
    } catch (error) {
      return failureOf(error, controller.signal.aborted ? timeoutMs : null);
    } finally {
      clearTimeout(timer);
    }
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

  return { shop, origin, query, mutate, execute: send };
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
