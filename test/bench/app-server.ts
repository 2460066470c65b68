/**
 * The app's webhook routes behind a plain node:http server, for `npm run bench:webhooks`. Each request is
 * turned into a Fetch Request and handed to the route module's action, as Remix would after matching the
 * route (Remix's own request handler would need a production build first). Also serves the baseline:
 * `/baseline/orders/create` verifies the same HMAC but does Admin work inside the request, before answering:
 * the pipeline's detection read of a routed fulfillment order (BENCH_FULFILLMENT_ORDER) and one write to its
 * order (BENCH_ORDER: the app's tag and an order metafield), through the gateway. That is two calls and
 * fewer points than the pipeline spends per backordered order (docs/decisions/0008-backorder-processing.md),
 * so the baseline is, if anything, favoured.
 *
 * Environment: DATABASE_URL, SHOPIFY_API_SECRET, SHOPIFY_ADMIN_API_ORIGIN (Local Shopify), BENCH_SHOP and
 * BENCH_TOKEN (stored as the shop's offline session). Prints `{"port": n}` once listening. The in-process job
 * runner drains the queued jobs with a handler that loads each delivery and marks it processed (the database
 * work every real handler starts with). POST /bench/floor reads the body and answers 200 with no app code (the
 * harness's floor). GET /bench/stats reports the queue and the baseline's Admin calls
 * and cost points as Local Shopify charged them, so the driver never opens the database itself.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

import type { ActionFunctionArgs } from "@remix-run/node";

process.env.SHOPIFY_API_KEY ??= "bench-api-key";
process.env.SHOPIFY_APP_URL ??= "https://backorder-keeper.bench";
process.env.SCOPES ??= "read_orders,write_orders";
process.env.NODE_ENV ??= "production";

const { default: db } = await import("../../app/db.server");
const { verifyWebhook } = await import("../../app/shopify/webhook-request.server");
const { gatewayForShop } = await import("../../app/shopify/gateway.server");
const { BackorderOrderUpdateDocument, BackorderRoutedOrderDocument } =
  await import("../../app/shopify/generated/operations");
const { receiveWebhook, INTAKE_TOPICS, jobTypeFor } = await import("../../app/services/intake.server");
const { createJobRunner } = await import("../../app/jobs/runner.server");
const { intakeBusy, loadDelivery, markDeliveryProcessed } = await import("../../app/models/deliveries.server");

type Action = (args: ActionFunctionArgs) => Promise<Response>;

const shop = process.env.BENCH_SHOP ?? "";
const token = process.env.BENCH_TOKEN ?? "";
await db.session.upsert({
  where: { id: `offline_${shop}` },
  create: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: token, scope: "read_orders" },
  update: { accessToken: token },
});

const routes = new Map<string, Action>();
for (const topic of INTAKE_TOPICS) {
  const module = (await import(`../../app/routes/webhooks.${topic.replace("/", ".")}.tsx`)) as { action: Action };
  routes.set(`/webhooks/${topic}`, module.action);
}

const baselineCost = { calls: 0, points: 0, throttled: 0 };
/** Counts what Local Shopify charged each baseline call (`extensions.cost.actualQueryCost`). */
const countingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const json = (await response.clone().json()) as {
    extensions?: { cost?: { actualQueryCost?: number | null } };
    errors?: { extensions?: { code?: string } }[];
  };
  baselineCost.calls++;
  baselineCost.points += json.extensions?.cost?.actualQueryCost ?? 0;
  if (json.errors?.some((error) => error.extensions?.code === "THROTTLED")) baselineCost.throttled++;
  return response;
};

/** The design the intake replaces: Admin calls inside the request, then the same durable record. */
const baseline: Action = async ({ request }) => {
  const { webhook, rawPayload } = await verifyWebhook(request);
  const gateway = await gatewayForShop(db, webhook.shop, { fetch: countingFetch });
  await gateway.query(BackorderRoutedOrderDocument, {
    id: process.env.BENCH_FULFILLMENT_ORDER ?? "",
    learnLocations: false,
  });
  // The baseline keeps its one orderUpdate (10 points); the pipeline now adds its tag with tagsAdd.
  const written = await gateway.mutate(BackorderOrderUpdateDocument, {
    orderId: process.env.BENCH_ORDER ?? "",
    addTags: [],
    tagOrder: false,
    order: {
      id: process.env.BENCH_ORDER ?? "",
      tags: ["backordered"],
      metafields: [{ namespace: "$app", key: "backorder", type: "json", value: '{"lines":[]}' }],
    },
  });
  if (!written.ok) throw new Error(`baseline write refused: ${JSON.stringify(written.userErrors)}`);
  await receiveWebhook(db, "orders/create", webhook, rawPayload);
  return new Response();
};
routes.set("/baseline/orders/create", baseline);

async function toRequest(incoming: IncomingMessage): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (typeof value === "string") headers.set(name, value);
  }
  return new Request(`http://${incoming.headers.host ?? "localhost"}${incoming.url ?? "/"}`, {
    method: incoming.method,
    headers,
    body: incoming.method === "POST" ? Buffer.concat(chunks) : undefined,
  });
}

async function stats(): Promise<Response> {
  const [deliveries, processed, queued, running, succeeded, dead] = await Promise.all([
    db.webhookDelivery.count(),
    db.webhookDelivery.count({ where: { processedAt: { not: null } } }),
    db.job.count({ where: { status: "queued" } }),
    db.job.count({ where: { status: "running" } }),
    db.job.count({ where: { status: "succeeded" } }),
    db.job.count({ where: { status: "dead" } }),
  ]);
  return Response.json({ deliveries, processed, queued, running, succeeded, dead, baseline: baselineCost });
}

/** Server-side time of each delivery, from its headers parsed to its answer written; read and reset per step. */
let serverTimes: number[] = [];
function takeServerTimes(): Response {
  const times = serverTimes.sort((a, b) => a - b);
  serverTimes = [];
  const at = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)] ?? null;
  return Response.json({ count: times.length, p50: at(50), p99: at(99) });
}

const server = createServer((incoming, outgoing) => {
  const startedAt = performance.now();
  void (async () => {
    if (incoming.url === "/bench/server-times") {
      const response = takeServerTimes();
      return outgoing.writeHead(200, { "Content-Type": "application/json" }).end(await response.text());
    }
    outgoing.once("finish", () => serverTimes.push(performance.now() - startedAt));
    if (incoming.url === "/bench/stats") {
      const response = await stats();
      return outgoing.writeHead(200, { "Content-Type": "application/json" }).end(await response.text());
    }
    if (incoming.url === "/bench/floor") {
      // The harness's own share of the latency: the same request read and answered, no app code.
      for await (const chunk of incoming) void chunk;
      return outgoing.writeHead(200).end();
    }
    const action = routes.get(new URL(incoming.url ?? "/", "http://x").pathname);
    if (!action) return outgoing.writeHead(404).end();
    let response: Response;
    try {
      response = await action({ request: await toRequest(incoming), params: {}, context: {} });
    } catch (thrown) {
      response = thrown instanceof Response ? thrown : new Response(String(thrown), { status: 500 });
    }
    outgoing.writeHead(response.status).end(Buffer.from(await response.arrayBuffer()));
  })().catch((error: unknown) => {
    console.error(error);
    outgoing.writeHead(500).end();
  });
});
server.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

if (process.env.BENCH_RUNNER !== "off") {
  const drain = async ({ job }: { job: { shop: string; payload: Record<string, unknown> } }) => {
    const deliveryId = String(job.payload.deliveryId);
    if (await loadDelivery(db, job.shop, deliveryId))
      await markDeliveryProcessed(db, job.shop, deliveryId, new Date(), "{}");
  };
  const runner = createJobRunner({
    db,
    handlers: Object.fromEntries(INTAKE_TOPICS.map((topic) => [jobTypeFor(topic), drain])),
    pollMs: 50,
    // As app/jobs/worker.server.ts does.
    yieldWhile: () => intakeBusy(db),
  });
  runner.start();
}

console.info(JSON.stringify({ port: (server.address() as AddressInfo).port }));
