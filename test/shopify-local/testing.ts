/** Helpers for tests that drive Local Shopify over real HTTP. */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll } from "vitest";

import { startLocalShopify, type LocalShopify } from "./server";

/**
 * A parsed JSON body. Tests assert bodies by value (toEqual), so they read them without static types.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface AdminAnswer {
  status: number;
  headers: Headers;
  json: { data?: Json; errors?: Json; extensions?: Json };
}

/** What the app's gateway does: POST the operation with the shop's access token. */
export async function adminGraphql(
  origin: string,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
  version = "2026-10",
): Promise<AdminAnswer> {
  const response = await fetch(`${origin}/admin/api/${version}/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, json: (await response.json()) as AdminAnswer["json"] };
}

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: Json;
}

/**
 * A stand-in for the app's webhook endpoints: records every POST and answers with `respond`
 * (default 200). `onRequest` may inspect the raw request (e.g. HMAC validation by Shopify's library).
 */
export async function startWebhookSink(
  onRequest?: (request: IncomingMessage, response: ServerResponse, rawBody: string) => Promise<number | void>,
) {
  const received: ReceivedWebhook[] = [];
  const sink = {
    url: "",
    received,
    /** Status answered to the next deliveries, in order; then 200. */
    statuses: [] as number[],
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      received.push({ path: request.url ?? "", headers: request.headers, rawBody, body: JSON.parse(rawBody) });
      void (async () => {
        const fromHandler = onRequest ? await onRequest(request, response, rawBody) : undefined;
        const status = sink.statuses.shift() ?? fromHandler ?? 200;
        response.writeHead(status).end();
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  sink.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return sink;
}

/** A shopify.app.toml subscribing to every topic Local Shopify sends. */
export const EVERY_TOPIC_TOML = new URL("./fixtures/every-topic.app.toml", import.meta.url).pathname;

export type WebhookSink = Awaited<ReturnType<typeof startWebhookSink>>;

/**
 * Local Shopify on a frozen clock, sending every topic to a webhook sink: started before the file's tests and
 * stopped after them. Read `local` and `sink` inside tests and hooks, once they have started.
 */
export function frozenLocalShopify(options: { startAt: Date; timeScale: number }) {
  const stack = {} as { local: LocalShopify; sink: WebhookSink };
  beforeAll(async () => {
    stack.sink = await startWebhookSink();
    stack.local = await startLocalShopify({
      apiSecret: "test-secret",
      appUrl: stack.sink.url,
      appToml: EVERY_TOPIC_TOML,
      clock: "frozen",
      ...options,
    });
  });
  afterAll(async () => {
    await stack.local.stop();
    await stack.sink.stop();
  });
  return stack;
}
