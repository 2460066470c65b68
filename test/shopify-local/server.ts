/**
 * Local Shopify: a plain node:http server answering the Admin GraphQL API
 * (`POST /admin/api/{version}/graphql.json`, shop chosen by `X-Shopify-Access-Token`), sending the
 * app's subscribed webhooks, and a control API under `/_local/`.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { adminFrame } from "./admin-frame";
import { ControlClient } from "./control/client";
import { answerControl, NotFound, type AdminLogEntry } from "./control/routes";
import { readFlowExtensions } from "./flow/lifecycle";
import type { RequestContext } from "./graphql/context";
import { answerGraphql } from "./graphql/execute";
import { takeLateAnswer, type LateAnswer, type MutationFieldFailure } from "./graphql/field-faults";
import { answerTokenExchange } from "./oauth";
import { readAppProxy } from "./storefront/app-proxy";
import { answerStorefront } from "./storefront/preview";
import { isApiVersion } from "./graphql/schema";
import { LeakyBucket, STANDARD_PLAN, type Plan } from "./graphql/throttle";
import { Runtime, VirtualClock } from "./store/runtime";
import { InputError } from "./store/shops";
import { seededRandom, WebhookDeliverer, type WebhookFaults } from "./webhooks/deliverer";
import { readSubscriptions } from "./webhooks/subscriptions";

export interface ApiFaults {
  /**
   * Real milliseconds every Admin API request waits before it is handled (default 0): Shopify's own round trip,
   * which Local Shopify otherwise answers in about a millisecond. Not drawn at random, so a run's faults replay.
   */
  latencyMs?: number;
  /** Share of Admin API requests answered 502/503 (0–1). */
  serverErrorRate?: number;
  /** Share answered 429 with `Retry-After`. */
  tooManyRequestsRate?: number;
  retryAfterSeconds?: number;
  /** Share answered after `slowMs` real milliseconds. */
  slowRate?: number;
  slowMs?: number;
  /** Share whose connection is destroyed without an answer. */
  dropRate?: number;
  /** Root mutation fields that fail, each rule for its next `count` matching fields (graphql/field-faults.ts). */
  mutationFieldFailures?: MutationFieldFailure[];
  /**
   * Answers held back after the operation was applied: after `skip`, the next `count` (default 1) requests of
   * `operation` are answered `ms` real milliseconds late, a window in which the client can time out or die.
   */
  lateAnswers?: LateAnswer[];
}

export interface LocalShopifyOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Where webhooks go: relative subscription URIs resolve against it. Without it nothing is sent. */
  appUrl?: string;
  /** The app's API secret: webhook HMACs are keyed with it. */
  apiSecret: string;
  apiKey?: string;
  /** The app's shopify.app.toml (default: the repository's). */
  appToml?: string;
  /** The app's extensions directory, for its Flow triggers and lifecycle callback (default: the repository's). */
  extensionsDir?: string;
  /** Real milliseconds per Shopify millisecond for routing, jobs and webhook retries (default 1). */
  timeScale?: number;
  /** `frozen` moves time only through the control API's clock advance (default `real`). */
  clock?: "real" | "frozen";
  startAt?: Date;
  plan?: Plan;
  faults?: { api?: ApiFaults; webhooks?: WebhookFaults; seed?: number };
}

export interface LocalShopify {
  origin: string;
  control: ControlClient;
  runtime: Runtime;
  stop(): Promise<void>;
}

const DEFAULT_TOML = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "shopify.app.toml");
const DEFAULT_EXTENSIONS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "extensions");
const INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)";

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  contentType = "application/json; charset=utf-8",
  headers: Record<string, string> = {},
): void {
  const text = typeof body === "string" && !contentType.startsWith("application/json;") ? body : JSON.stringify(body);
  response.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(text), ...headers });
  response.end(text);
}

/** The operation's name: `operationName`, else the first named operation in the document. */
function operationNameOf(body: Record<string, unknown>): string | null {
  if (typeof body.operationName === "string") return body.operationName;
  if (typeof body.query !== "string") return null;
  return /\b(?:query|mutation)\s+([_A-Za-z]\w*)/.exec(body.query)?.[1] ?? null;
}

function costOf(answer: unknown): number | null {
  const cost = (answer as { extensions?: { cost?: { actualQueryCost?: unknown } } } | null)?.extensions?.cost;
  return typeof cost?.actualQueryCost === "number" ? cost.actualQueryCost : null;
}

export async function startLocalShopify(options: LocalShopifyOptions): Promise<LocalShopify> {
  const clock = new VirtualClock(options.clock ?? "real", (options.startAt ?? new Date()).getTime());
  const rt = new Runtime(
    { id: 4_000_001, apiKey: options.apiKey ?? "local-api-key", handle: "backorder-keeper", title: "Backorder Keeper" },
    clock,
    options.timeScale ?? 1,
  );
  const random = seededRandom(options.faults?.seed ?? 1);
  const faults = { api: { ...options.faults?.api }, webhooks: { ...options.faults?.webhooks } };
  const subscriptions = options.appUrl
    ? readSubscriptions(options.appToml ?? DEFAULT_TOML)
    : { apiVersion: "2026-10", byTopic: new Map<string, string[]>() };
  const deliverer = new WebhookDeliverer(rt, {
    appUrl: options.appUrl ?? "http://127.0.0.1",
    apiSecret: options.apiSecret,
    subscriptions,
    faults: faults.webhooks,
    random,
  });
  rt.emit = (shop, topic, payload) => deliverer.emit(shop, topic, payload);
  const flow = {
    rt,
    extensions: readFlowExtensions(options.extensionsDir ?? DEFAULT_EXTENSIONS),
    appUrl: options.appUrl,
    apiSecret: options.apiSecret,
  };
  const buckets = new Map<number, LeakyBucket>();
  const plan = options.plan ?? STANDARD_PLAN;
  const bucketOf = (shopId: number): LeakyBucket => {
    let bucket = buckets.get(shopId);
    if (!bucket) {
      bucket = new LeakyBucket(plan, () => clock.nowMs());
      buckets.set(shopId, bucket);
    }
    return bucket;
  };
  let origin = "";
  const adminLog: AdminLogEntry[] = [];
  const storefrontApp = {
    proxy: readAppProxy(options.appToml ?? DEFAULT_TOML, options.appUrl),
    apiSecret: options.apiSecret,
  };

  async function admin(request: IncomingMessage, response: ServerResponse, version: string): Promise<void> {
    const api = faults.api;
    if ((api.latencyMs ?? 0) > 0) await new Promise((resolve) => setTimeout(resolve, api.latencyMs));
    if (random() < (api.dropRate ?? 0)) {
      request.socket.destroy();
      return;
    }
    const token = request.headers["x-shopify-access-token"];
    const shop = typeof token === "string" ? rt.shopsByToken.get(token) : undefined;
    let raw: string | null = null;
    try {
      raw = await readBody(request);
    } catch {
      // A body cut short answers 400 below, as one that does not parse.
    }
    let body: unknown;
    let parsed = raw !== null;
    try {
      // Shopify also takes the bare operation as `application/graphql`.
      body = request.headers["content-type"]?.startsWith("application/graphql") ? { query: raw } : JSON.parse(raw!);
    } catch {
      parsed = false;
    }
    const request_ = (body ?? {}) as Record<string, unknown>;
    const operation = operationNameOf(request_);
    const log = (answer: { status: number; body: unknown; fields?: Record<string, string> }) => {
      if (!shop) return;
      adminLog.push({
        at: rt.clock.iso(),
        atMs: rt.clock.nowMs(),
        shop: shop.domain,
        operation,
        fields: answer.fields ?? {},
        variables: request_.variables ?? {},
        status: answer.status,
        answer: answer.body,
        cost: costOf(answer.body),
      });
    };
    if (random() < (api.slowRate ?? 0)) await new Promise((r) => setTimeout(r, api.slowMs ?? 2_000));
    if (random() < (api.serverErrorRate ?? 0)) {
      const answer = { status: 503, body: { errors: "Service Unavailable" } };
      log(answer);
      send(response, answer.status, answer.body);
      return;
    }
    if (random() < (api.tooManyRequestsRate ?? 0)) {
      const answer = {
        status: 429,
        body: {
          errors: "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.",
        },
      };
      log(answer);
      send(response, answer.status, answer.body, undefined, {
        "Retry-After": (api.retryAfterSeconds ?? 2).toFixed(1),
      });
      return;
    }
    if (!isApiVersion(version)) {
      send(response, 404, { errors: "Not Found" });
      return;
    }
    if (!shop) {
      send(response, 401, { errors: INVALID_TOKEN });
      return;
    }
    if (!parsed) {
      send(response, 400, { errors: { query: "Required parameter missing or invalid" } });
      return;
    }
    const bucket = bucketOf(shop.id);
    const ctx: RequestContext = { rt, shop, version, origin, bulk: false, operation, faults: api };
    const answer = await answerGraphql(ctx, bucket, request_);
    log(answer);
    const late = takeLateAnswer(api, operation);
    if (late > 0) await new Promise((resolve) => setTimeout(resolve, late));
    send(response, answer.status, answer.body, undefined, {
      "X-Request-Id": randomUUID(),
      "X-Shopify-API-Version": version,
    });
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", origin);
    if (url.pathname === "/admin/oauth/access_token" && request.method === "POST") {
      let body: unknown = {};
      try {
        body = JSON.parse(await readBody(request));
      } catch {
        send(response, 400, { error: "invalid_request", error_description: "body: not JSON" });
        return;
      }
      const answer = answerTokenExchange(rt, { apiKey: rt.app.apiKey, apiSecret: options.apiSecret }, body ?? {});
      send(response, answer.status, answer.body);
      return;
    }
    const frameMatch = /^\/admin\/([^/]+)\/apps\/([^/]+)(\/.*)?$/.exec(url.pathname);
    if (frameMatch && request.method === "GET") {
      const frameApp = { appUrl: options.appUrl, apiSecret: options.apiSecret };
      const answer = adminFrame(rt, frameApp, frameMatch[1]!, frameMatch[2]!, frameMatch[3] ?? "", url.searchParams);
      send(response, answer.status, answer.body, "text/html; charset=utf-8");
      return;
    }
    if (url.pathname.startsWith("/storefront/") && (request.method === "GET" || request.method === "POST")) {
      const answer = await answerStorefront(
        rt,
        {
          method: request.method,
          pathname: url.pathname,
          query: url.searchParams,
          cookie: request.headers.cookie,
          body: request.method === "POST" ? await readBody(request) : "",
          headers: request.headers,
        },
        storefrontApp,
      );
      send(response, answer.status, answer.body, answer.contentType, answer.headers);
      return;
    }
    const adminMatch = /^\/admin\/api\/([^/]+)\/graphql\.json$/.exec(url.pathname);
    if (adminMatch && request.method === "POST") return admin(request, response, adminMatch[1]!);
    if (url.pathname.startsWith("/_local/")) {
      const text = request.method === "POST" ? await readBody(request) : "";
      let body: unknown = {};
      if (text.trim() !== "") {
        try {
          body = JSON.parse(text);
        } catch {
          send(response, 400, { error: "body: not JSON" });
          return;
        }
      }
      try {
        const answer = await answerControl(
          { rt, deliverer, faults, flow, bucketOf, adminLog },
          request.method ?? "GET",
          url.pathname,
          url.searchParams,
          body,
        );
        send(response, answer.status, answer.body, answer.contentType);
      } catch (error) {
        if (error instanceof InputError) send(response, 422, { error: error.message, field: error.field });
        else if (error instanceof NotFound) send(response, 404, { error: error.message });
        else throw error;
      }
      return;
    }
    send(response, 404, { errors: "Not Found" });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      send(response, 500, {
        errors: `Internal error in the local Shopify: ${(error as Error).stack ?? String(error)}`,
      });
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  origin = `http://${options.host ?? "127.0.0.1"}:${address.port}`;

  return {
    origin,
    control: new ControlClient(origin),
    runtime: rt,
    async stop() {
      rt.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}
