/**
 * `npm run bench:shopify-local`: Admin GraphQL requests per second and latency percentiles of Local
 * Shopify under concurrent keep-alive clients. The server runs in a child process, as it does beside the
 * app's load tests, so the load generator does not compete with it for the event loop.
 * Env: REQUESTS (default 20000 per query), CONCURRENCY (default 32).
 * The bucket is made limitless here so the figure measures the server, not the rate limit.
 */
import { fork } from "node:child_process";
import { Agent, request } from "node:http";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { startLocalShopify } from "../shopify-local/server";

interface Target {
  origin: string;
  token: string;
  variant: string;
}

if (process.argv.includes("--serve")) {
  const local = await startLocalShopify({ apiSecret: "bench", plan: { maximumAvailable: 1e12, restoreRate: 1e12 } });
  const shop = await local.control.createShop({ domain: "bench.myshopify.com" });
  const product = await local.control.createProduct(shop.domain, {
    title: "Bench",
    variants: [{ inventoryPolicy: "CONTINUE", available: { [shop.locations[0]!.id]: 10 } }],
  });
  const target: Target = { origin: local.origin, token: shop.accessToken, variant: product.variants[0]!.gid };
  process.send!(target);
  process.on("disconnect", () => void local.stop().then(() => process.exit(0)));
} else {
  await measure();
}

async function measure(): Promise<void> {
  const REQUESTS = Number(process.env.REQUESTS ?? 20_000);
  const CONCURRENCY = Number(process.env.CONCURRENCY ?? 32);
  const QUERIES = {
    "shop { name }": "query ShopName { shop { name } }",
    "variant with inventory": `query Variant($id: ID!) { productVariant(id: $id) { id inventoryPolicy inventoryQuantity
      inventoryItem { tracked inventoryLevels(first: 5) { nodes { quantities(names: ["available", "committed"]) { name quantity } } } } } }`,
  };

  const server = fork(fileURLToPath(import.meta.url), ["--serve"]);
  const target = await new Promise<Target>((resolve) => server.once("message", (m) => resolve(m as Target)));
  const { hostname, port } = new URL(target.origin);
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

  const post = (body: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          agent,
          hostname,
          port,
          method: "POST",
          path: "/admin/api/2026-10/graphql.json",
          headers: {
            "Content-Type": "application/json",
            "Content-Length": Buffer.byteLength(body),
            "X-Shopify-Access-Token": target.token,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
        },
      );
      req.on("error", reject);
      req.end(body);
    });

  console.info(
    `Local Shopify Admin GraphQL, ${REQUESTS} requests per query, concurrency ${CONCURRENCY}, Node ${process.version}`,
  );
  for (const [name, query] of Object.entries(QUERIES)) {
    const body = JSON.stringify({ query, variables: { id: target.variant } });
    // Warm-up: the first request loads the schema and the JIT has not settled yet.
    for (let i = 0; i < 500; i++) await post(body);
    const latencies: number[] = [];
    let next = 0;
    let failures = 0;
    const worker = async () => {
      while (next < REQUESTS) {
        next++;
        const started = performance.now();
        const response = await post(body);
        const json = JSON.parse(response.text) as { errors?: unknown };
        if (response.status !== 200 || json.errors) failures++;
        latencies.push(performance.now() - started);
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const pct = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(2);
    console.info(
      `${name.padEnd(24)} ${String(latencies.length).padStart(6)} req  ${(latencies.length / seconds).toFixed(0).padStart(6)} req/s  ` +
        `p50 ${pct(50)} ms  p99 ${pct(99)} ms  failures ${failures}`,
    );
  }
  agent.destroy();
  server.disconnect();
}
