import { ClientError } from "graphql-request";

import type { ThrottleStatus } from "./cost-bucket";

/** Shopify reports business failures with HTTP 200 in a mutation payload. */
export interface UserError {
  field: string[] | null;
  message: string;
  code: string | null;
}

/** `graphql` and `http` (a 4xx other than 429, e.g. a revoked token) are not retried; the rest are. */
export type AdminFailure = "throttled" | "http" | "timeout" | "network" | "response" | "graphql";

export interface GraphQLErrorShape {
  message: string;
  path?: readonly (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

export type Outcome =
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

/** A timeout, a dropped connection, a 5xx or an internal error may come after Shopify applied some or all of it. */
export function outcomeMayHaveApplied(outcome: Extract<Outcome, { kind: "failure" }>): boolean {
  if (outcome.notSent || outcome.failure === "throttled") return false;
  return outcome.failure !== "http" || (outcome.status ?? 500) >= 500;
}

export interface RawAnswer {
  status: number;
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLErrorShape[];
  extensions?: unknown;
}

/** `jitter` in [0, 1) spreads the retries of a THROTTLED answer. */
export function readAnswer({ status, data = null, errors, extensions }: RawAnswer, jitter: number): Outcome {
  const cost = readCost(extensions);
  const base = { status, throttleStatus: cost?.throttleStatus, requestedCost: cost?.requestedQueryCost };
  if (errors && errors.length > 0 && data && errors.every(isWithheldCustomerData)) {
    return { kind: "data", data, ...base };
  }
  if (errors && errors.length > 0) {
    const list = errors.map((e) => ({ message: e.message, extensions: e.extensions }));
    const codes = list.map((e) => e.extensions?.code);
    if (codes.includes("THROTTLED")) return throttled(list, cost, jitter, base);
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

export function failureOf(error: unknown, timedOutAfterMs: number | null): Outcome {
  if (error instanceof ClientError) return httpFailure(error);
  if (timedOutAfterMs !== null) {
    return { kind: "failure", failure: "timeout", retryable: true, message: `no answer within ${timedOutAfterMs} ms` };
  }
  if (error instanceof SyntaxError) {
    return { kind: "failure", failure: "response", retryable: true, message: `unreadable body: ${error.message}` };
  }
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  return {
    kind: "failure",
    failure: "network",
    retryable: true,
    message: describeNetworkError(error, cause),
    notSent: cause?.code === "ECONNREFUSED",
  };
}

function describeNetworkError(error: unknown, cause: { code?: string; message?: string } | undefined): string {
  if (!(error instanceof Error)) return String(error);
  return cause ? `${error.message} (${cause.code ?? cause.message ?? "unknown cause"})` : error.message;
}

function httpFailure(error: ClientError): Outcome {
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

function throttled(
  errors: GraphQLErrorShape[],
  cost: ReturnType<typeof readCost>,
  jitter: number,
  base: Pick<Outcome, "status" | "throttleStatus" | "requestedCost">,
): Outcome {
  const throttle = cost?.throttleStatus;
  const requested = cost?.requestedQueryCost ?? 0;
  // Wait exactly until the bucket holds the query's cost again, when Shopify tells us enough to know.
  const retryAfterMs =
    throttle && throttle.restoreRate > 0
      ? Math.ceil((Math.max(0, requested - throttle.currentlyAvailable) / throttle.restoreRate) * 1000) +
        Math.round(jitter * 100)
      : undefined;
  return {
    kind: "failure",
    failure: "throttled",
    retryable: true,
    message: "THROTTLED",
    errors,
    retryAfterMs,
    ...base,
  };
}

/** Protected customer data withheld without approval: ACCESS_DENIED and nulls in the data; callers treat the nulls. */
function isWithheldCustomerData(error: GraphQLErrorShape): boolean {
  const path = error.path ?? [];
  // Order.email is the order's own contact field, withheld like the customer's (level 2).
  return error.extensions?.code === "ACCESS_DENIED" && (path.includes("customer") || path.at(-1) === "email");
}

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
