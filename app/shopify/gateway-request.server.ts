import { GraphQLClient } from "graphql-request";

import { failureOf, readAnswer, type Outcome } from "./admin-answer";
import { API_VERSION } from "./api-version";

export function adminApiUrl(shop: string, origin?: string): string {
  return `${(origin ?? `https://${shop}`).replace(/\/+$/, "")}/admin/api/${API_VERSION}/graphql.json`;
}

export interface RequestOptions {
  shop: string;
  origin: string;
  accessToken: string;
  fetch: typeof fetch;
  timeoutMs: number;
  /** The jitter of a THROTTLED answer's wait. */
  random: () => number;
}

/** One attempt: a request to the Admin API, its answer (or its failure) read as an `Outcome`; it never throws. */
export type SendOnce = (query: string, variables: Record<string, unknown>) => Promise<Outcome>;

export function requestSender(options: RequestOptions): SendOnce {
  const { fetch: fetchImpl, timeoutMs, random } = options;
  const client = new GraphQLClient(adminApiUrl(options.shop, options.origin), {
    headers: { "X-Shopify-Access-Token": options.accessToken },
    fetch: (input, init) => fetchImpl(input, init),
    // Keep data, errors and extensions together: THROTTLED comes back as HTTP 200 with errors.
    errorPolicy: "all",
  });
  return async (query, variables) => {
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
  };
}
