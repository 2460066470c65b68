import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { getOperationAST, print, type DocumentNode } from "graphql";

import type { Db } from "../db.server";
import { env } from "../env.server";
import { findOfflineSession } from "../models/sessions.server";
import { collectUserErrors, type AdminFailure, type GraphQLErrorShape, type UserError } from "./admin-answer";
import type { CostBucket } from "./cost-bucket";
import { bucketFor, costAccount } from "./gateway-cost";
import { requestSender } from "./gateway-request.server";
import { afterFailure } from "./gateway-retry";

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

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface GatewaySettings {
  shop: string;
  origin: string;
  accessToken: string;
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  now: () => number;
  maxAttempts: number;
  timeoutMs: number;
  bucket: CostBucket;
}

function gatewaySettings(options: AdminGatewayOptions): GatewaySettings {
  const { shop } = options;
  if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(shop)) {
    throw new Error(`shop must be a *.myshopify.com domain, got ${JSON.stringify(shop)}`);
  }
  if (!options.accessToken) throw new Error(`accessToken for ${shop} is empty`);
  const origin = options.origin ?? `https://${shop}`;
  return {
    shop,
    origin,
    accessToken: options.accessToken,
    fetch: options.fetch ?? globalThis.fetch,
    sleep: options.sleep ?? defaultSleep,
    random: options.random ?? Math.random,
    now: options.now ?? Date.now,
    maxAttempts: options.maxAttempts ?? 6,
    timeoutMs: options.timeoutMs ?? 15_000,
    bucket: options.bucket ?? bucketFor(origin, shop),
  };
}

/** The request and its answer (`requestSender`), throttling (`costAccount`) and retries (`afterFailure`), composed. */
export function createAdminGateway(options: AdminGatewayOptions): AdminGateway {
  const settings = gatewaySettings(options);
  const { shop, sleep } = settings;
  const sendOnce = requestSender(settings);
  const costs = costAccount(settings.bucket, settings.now, sleep);

  async function send(
    document: DocumentNode,
    variables: Record<string, unknown>,
    estimatedCost?: number,
    options: MutateOptions = {},
  ): Promise<Record<string, unknown>> {
    const operation = operationName(document);
    const query = printed(document);
    const cost = costs.estimate(operation, document, estimatedCost);
    const policy = {
      maxAttempts: settings.maxAttempts,
      isMutation: getOperationAST(document)?.operation === "mutation",
      repeatable: options.repeatable,
      random: settings.random,
    };
    for (let attempt = 1; ; attempt++) {
      await costs.reserve(cost);
      const outcome = await sendOnce(query, variables);
      costs.answered(operation, cost, outcome);
      if (outcome.kind === "data") return outcome.data;

      const step = afterFailure(outcome, attempt, policy);
      if (step.kind === "give_up") {
        throw new AdminApiError(outcome.failure, outcome.message, {
          shop,
          operation,
          attempts: attempt,
          status: outcome.status,
          errors: outcome.errors,
          mayHaveApplied: step.mayHaveApplied,
        });
      }
      await sleep(step.waitMs);
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

  return { shop, origin: settings.origin, query, mutate, execute: send };
}

function operationName(document: DocumentNode): string {
  const name = getOperationAST(document)?.name?.value;
  if (!name) throw new Error("Admin operations must be named (see app/shopify/operations)");
  return name;
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
