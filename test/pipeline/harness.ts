/**
 * The whole pipeline over real HTTP: Local Shopify sends signed webhooks to the app's real intake routes
 * (served here by a small HTTP server), the app's job runner runs the app's real handlers, and the handlers
 * call Local Shopify through the app's real Admin gateway. Only the wiring lives here.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import type { ActionFunctionArgs } from "@remix-run/node";

import { syncClock } from "~/clock.server";
import db from "~/db.server";
import { env } from "~/env.server";
import { createHandlers } from "~/jobs/handlers.server";
import { createJobQueue } from "~/jobs/queue.server";
import { createJobRunner, type JobRunner } from "~/jobs/runner.server";
import { saveSettings, DEFAULT_SETTINGS, type Settings } from "~/models/settings.server";
import { action as fulfillmentRequestAccepted } from "~/routes/webhooks.fulfillment_orders.fulfillment_request_accepted";
import { action as holdReleased } from "~/routes/webhooks.fulfillment_orders.hold_released";
import { action as fulfillmentOrdersCancelled } from "~/routes/webhooks.fulfillment_orders.cancelled";
import { action as fulfillmentOrdersMerged } from "~/routes/webhooks.fulfillment_orders.merged";
import { action as fulfillmentOrdersMoved } from "~/routes/webhooks.fulfillment_orders.moved";
import { action as placedOnHold } from "~/routes/webhooks.fulfillment_orders.placed_on_hold";
import { action as fulfillmentOrdersSplit } from "~/routes/webhooks.fulfillment_orders.split";
import { action as orderRoutingComplete } from "~/routes/webhooks.fulfillment_orders.order_routing_complete";
import { action as inventoryLevelsUpdate } from "~/routes/webhooks.inventory_levels.update";
import { action as shipmentDelete } from "~/routes/webhooks.inventory_shipments.delete";
import { action as shipmentInTransit } from "~/routes/webhooks.inventory_shipments.mark_in_transit";
import { action as shipmentReceived } from "~/routes/webhooks.inventory_shipments.receive_items";
import { action as shipmentTracking } from "~/routes/webhooks.inventory_shipments.update_tracking";
import { action as transferCancel } from "~/routes/webhooks.inventory_transfers.cancel";
import { action as ordersCancelled } from "~/routes/webhooks.orders.cancelled";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as ordersUpdated } from "~/routes/webhooks.orders.updated";
import { action as productsUpdate } from "~/routes/webhooks.products.update";
import { action as flowLifecycle } from "~/routes/flow.lifecycle";
import { action as customerPageAction, loader as customerPageLoader } from "~/routes/apps.backorders.$";
import { action as customersDataRequest } from "~/routes/webhooks.customers.data_request";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { FLOW_TRIGGERS, type FlowTriggerHandle } from "~/services/flow-triggers";
import { shopLockKey } from "~/services/intake.server";
import { createAdminGateway, NoOfflineSessionError } from "~/shopify/gateway.server";

import { startLocalShopify, type LocalShopify, type LocalShopifyOptions } from "../shopify-local/server";
import { TEST_SECRET } from "../support/webhooks";

type Action = (args: ActionFunctionArgs) => Promise<Response>;

const ROUTES: Record<string, Action> = {
  "/webhooks/orders/create": ordersCreate,
  "/webhooks/orders/updated": ordersUpdated,
  "/webhooks/orders/cancelled": ordersCancelled,
  "/webhooks/fulfillment_orders/order_routing_complete": orderRoutingComplete,
  "/webhooks/fulfillment_orders/hold_released": holdReleased,
  "/webhooks/fulfillment_orders/moved": fulfillmentOrdersMoved,
  "/webhooks/fulfillment_orders/split": fulfillmentOrdersSplit,
  "/webhooks/fulfillment_orders/merged": fulfillmentOrdersMerged,
  "/webhooks/fulfillment_orders/cancelled": fulfillmentOrdersCancelled,
  "/webhooks/fulfillment_orders/placed_on_hold": placedOnHold,
  "/webhooks/fulfillment_orders/fulfillment_request_accepted": fulfillmentRequestAccepted,
  "/webhooks/inventory_levels/update": inventoryLevelsUpdate,
  "/webhooks/products/update": productsUpdate,
  "/webhooks/inventory_shipments/mark_in_transit": shipmentInTransit,
  "/webhooks/inventory_shipments/update_tracking": shipmentTracking,
  "/webhooks/inventory_shipments/receive_items": shipmentReceived,
  "/webhooks/inventory_shipments/delete": shipmentDelete,
  "/webhooks/inventory_transfers/cancel": transferCancel,
  "/webhooks/customers/data_request": customersDataRequest,
  "/webhooks/customers/redact": customersRedact,
  // extensions/flow-trigger-lifecycle: Shopify Flow's callback when a workflow is turned on or off.
  "/flow/lifecycle": flowLifecycle,
};

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Serves the intake routes; topics the app does not subscribe to answer 404 as they would in production. */
async function startApp(): Promise<{
  url: string;
  server: Server;
  intake: { open: boolean; refused: ReadonlySet<string> };
}> {
  const intake = { open: true, refused: new Set<string>() as ReadonlySet<string> };
  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      if (!intake.open || intake.refused.has(String(request.headers["x-shopify-topic"]))) {
        // As an app that is down: Shopify retries the delivery later.
        response.writeHead(503).end();
        return;
      }
      const pathname = new URL(request.url ?? "/", "http://app").pathname;
      if (pathname === "/apps/backorders" || pathname.startsWith("/apps/backorders/")) {
        await serveCustomerPage(request, body, pathname, response);
        return;
      }
      const action = ROUTES[pathname];
      if (!action) {
        response.writeHead(404).end();
        return;
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers))
        if (typeof value === "string") headers.set(name, value);
      const fetchRequest = new Request(`https://backorder-keeper.test${request.url}`, {
        method: "POST",
        headers,
        body,
      });
      let answer: Response;
      try {
        answer = await action({ request: fetchRequest, params: {}, context: {} });
      } catch (thrown) {
        answer = thrown instanceof Response ? thrown : new Response(String(thrown), { status: 500 });
      }
      response.writeHead(answer.status).end(await answer.text());
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, intake };
}

/** The app proxy's route (app/routes/apps.backorders.$.tsx): loader for GET, action for POST, as Remix calls them. */
async function serveCustomerPage(request: IncomingMessage, body: string, pathname: string, response: ServerResponse) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) if (typeof value === "string") headers.set(name, value);
  const method = request.method ?? "GET";
  const fetchRequest = new Request(`https://backorder-keeper.test${request.url}`, {
    method,
    headers,
    body: method === "GET" || method === "HEAD" ? undefined : body,
  });
  const params = { "*": pathname.replace(/^\/apps\/backorders\/?/, "") };
  let answer: Response;
  try {
    const handler = method === "GET" ? customerPageLoader : customerPageAction;
    answer = await handler({ request: fetchRequest, params, context: {} });
  } catch (thrown) {
    answer = thrown instanceof Response ? thrown : new Response(String(thrown), { status: 500 });
  }
  const out: Record<string, string> = {};
  answer.headers.forEach((value, name) => (out[name] = value));
  response.writeHead(answer.status, out).end(await answer.text());
}

/** Every Admin call the app made, with Shopify's reported cost. */
export interface AdminCall {
  shop: string;
  operation: string;
  status: number;
  actualCost: number | null;
  /** What the query asked the bucket for up front (its `first:` sizes), before the refund to the actual cost. */
  requestedCost: number | null;
  throttled: boolean;
}

/** Runs before an Admin request is sent: the shop, the operation's name and its variables. */
export type AdminCallHook = (shop: string, operation: string, variables: Record<string, unknown>) => Promise<void>;

export interface Pipeline {
  shopify: LocalShopify;
  runner: JobRunner;
  calls: AdminCall[];
  outcomes: { type: string; shop: string; outcome: unknown }[];
  /** Installs the app on a new shop: Local Shopify's shop, the offline session, the settings. */
  install(
    domain: string,
    settings?: Partial<Settings>,
  ): Promise<{ domain: string; token: string; locationId: number; shopGid: string }>;
  enqueue(shop: string, type: string, payload?: Record<string, unknown>): Promise<void>;
  /**
   * The merchant turns on a Flow workflow for each trigger (default: all four); Local Shopify's lifecycle
   * callback reaches the app's real route, which records the trigger as in use.
   */
  turnOnWorkflows(shop: string, triggers?: readonly FlowTriggerHandle[]): Promise<{ id: number; trigger: string }[]>;
  /** Runs `hook` before each Admin request the app sends (null: none), e.g. to change Shopify in between. */
  beforeAdminCall(hook: AdminCallHook | null): void;
  /** Closes (503) or reopens the app's webhook endpoints. */
  setIntake(open: boolean): void;
  /** Answers 503 to these topics only (Shopify retries them, then gives up); [] accepts every topic again. */
  refuseTopics(topics: readonly string[]): void;
  /** Runs Shopify's pending work and the app's jobs until neither has anything left. */
  drain(): Promise<void>;
  now(): Date;
  /**
   * Moves Local Shopify's clock (and the app's, where it follows it) on to the next `hour`:00 UTC, so that a story
   * whose dates are calendar days of fractional offsets reads the same whatever time of day the tests run.
   */
  advanceToHour(hour: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startPipeline(options: Partial<LocalShopifyOptions> = {}): Promise<Pipeline> {
  const app = await startApp();
  const shopify = await startLocalShopify({ apiSecret: TEST_SECRET, appUrl: app.url, timeScale: 0.001, ...options });
  const calls: AdminCall[] = [];
  const outcomes: Pipeline["outcomes"] = [];
  const now = () => new Date(shopify.runtime.clock.nowMs());
  if (options.startAt) {
    // A story on a clock of its own: the app's clock (what an enqueue without a runAt reads) follows it, or a
    // job stamped with the system's now would make `drain` jump Shopify's clock to today.
    env.LOCAL_CLOCK_URL = `${shopify.origin}/_local/clock`;
    await syncClock();
  }

  let beforeAdminCall: AdminCallHook | null = null;
  const countingFetch =
    (shop: string): typeof fetch =>
    async (input, init) => {
      let operation = "?";
      let variables: Record<string, unknown> = {};
      try {
        const body = JSON.parse(String(init?.body)) as { query?: unknown; variables?: Record<string, unknown> };
        operation = /(?:query|mutation)\s+(\w+)/.exec(String(body.query))?.[1] ?? "?";
        variables = body.variables ?? {};
      } catch {
        /* not JSON: counted as "?" */
      }
      await beforeAdminCall?.(shop, operation, variables);
      const response = await fetch(input, init);
      const text = await response.clone().text();
      let actualCost: number | null = null;
      let requestedCost: number | null = null;
      let throttled = false;
      try {
        const json = JSON.parse(text) as {
          extensions?: { cost?: { actualQueryCost?: number; requestedQueryCost?: number } };
          errors?: { extensions?: { code?: string } }[];
        };
        actualCost = json.extensions?.cost?.actualQueryCost ?? null;
        requestedCost = json.extensions?.cost?.requestedQueryCost ?? null;
        throttled = Array.isArray(json.errors) && json.errors.some((e) => e.extensions?.code === "THROTTLED");
      } catch {
        /* a 5xx page */
      }
      calls.push({ shop, operation, status: response.status, actualCost, requestedCost, throttled });
      return response;
    };

  const tokens = new Map<string, string>();
  const handlers = createHandlers({
    db,
    gatewayFor: async (shop) => {
      const session = await db.session.findUnique({ where: { id: `offline_${shop}` } });
      if (!session) throw new NoOfflineSessionError(shop);
      return createAdminGateway({
        shop,
        accessToken: session.accessToken,
        origin: shopify.origin,
        fetch: countingFetch(shop),
        // The gateway's waits for the bucket pass on Shopify's clock (which refills the bucket), not in real time.
        sleep: async (ms) => {
          shopify.runtime.clock.advance(ms);
          await new Promise((resolve) => setImmediate(resolve));
        },
        timeoutMs: 5_000,
      });
    },
    onOutcome: (job, outcome) => outcomes.push({ type: job.type, shop: job.shop, outcome }),
  });
  const runner = createJobRunner({
    db,
    handlers,
    concurrency: 2,
    pollMs: 5,
    backoff: { baseMs: 5, maxMs: 40 },
    now,
    logger: { warn: () => {}, error: (message: string) => console.warn(message) },
  });
  const queue = createJobQueue(db);

  async function pendingJobs(): Promise<{ queued: number; soonest: Date | null }> {
    const jobs = await db.job.findMany({ where: { status: { in: ["queued", "running"] } }, orderBy: { runAt: "asc" } });
    return { queued: jobs.length, soonest: jobs[0]?.runAt ?? null };
  }

  return {
    shopify,
    runner,
    calls,
    outcomes,
    async install(domain, settings = {}) {
      const shop = await shopify.control.createShop({ domain });
      tokens.set(domain, shop.accessToken);
      await db.session.create({
        data: {
          id: `offline_${domain}`,
          shop: domain,
          state: "installed",
          isOnline: false,
          accessToken: shop.accessToken,
          scope: "write_orders",
        },
      });
      await saveSettings(db, domain, { ...DEFAULT_SETTINGS, ...settings });
      return { domain, token: shop.accessToken, locationId: shop.locations[0]!.id, shopGid: shop.gid };
    },
    beforeAdminCall(hook) {
      beforeAdminCall = hook;
    },
    setIntake(open) {
      app.intake.open = open;
    },
    refuseTopics(topics) {
      app.intake.refused = new Set(topics);
    },
    async turnOnWorkflows(shop, triggers = Object.values(FLOW_TRIGGERS)) {
      const workflows = [];
      for (const trigger of triggers) workflows.push(await shopify.control.createWorkflow(shop, { trigger }));
      return workflows;
    },
    async enqueue(shop, type, payload = {}) {
      await queue.enqueue({ shop, type, payload, lockKey: shopLockKey(shop), runAt: now() });
    },
    async drain() {
      for (let round = 0; round < 200; round++) {
        await shopify.control.settle();
        const ran = await runner.runUntilIdle();
        const pending = await pendingJobs();
        if (ran === 0 && pending.queued === 0 && shopify.runtime.pendingTasks() === 0) return;
        if (ran === 0 && pending.soonest) {
          // Retries wait on the Shopify clock the runner reads: move it to the next due job.
          const wait = pending.soonest.getTime() - now().getTime();
          if (wait > 0) await shopify.control.advanceClock(wait + 1);
        }
      }
      throw new Error("the pipeline did not settle in 200 rounds");
    },
    now,
    async advanceToHour(hour) {
      const next = now();
      next.setUTCHours(hour, 0, 0, 0);
      if (next.getTime() <= now().getTime()) next.setUTCDate(next.getUTCDate() + 1);
      await shopify.control.advanceClock(next.getTime() - now().getTime());
      await syncClock();
    },
    async stop() {
      if (options.startAt) env.LOCAL_CLOCK_URL = undefined;
      await runner.stop();
      await shopify.stop();
      await new Promise<void>((resolve) => app.server.close(() => resolve()));
    },
  };
}
