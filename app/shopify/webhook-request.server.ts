import { authenticate } from "../shopify.server";

/**
 * `authenticate.webhook` for the high-volume topics, given only the headers it reads.
 *
 * The library canonicalises the name of every request header on every header lookup (a regular expression
 * per name, about ten lookups per webhook), so each unrelated header (a proxy's forwarding headers, tracing,
 * user agent) costs CPU on every delivery: with 17 headers it took 0.65–0.95 ms per webhook, with Shopify's
 * own 8 headers 0.38–0.43 ms (docs/decisions/0010-webhook-intake-path.md). The body is read once, as text:
 * it is stored as sent, because `JSON.parse` rounds ids above 2^53.
 */
export async function authenticateWebhook(request: Request) {
  const rawPayload = await request.text();
  const headers = new Headers();
  request.headers.forEach((value, name) => {
    if (name === "content-type" || name.startsWith("x-shopify-") || name.startsWith("shopify-")) {
      headers.set(name, value);
    }
  });
  const body = request.method === "GET" || request.method === "HEAD" ? undefined : rawPayload;
  const webhook = await authenticate.webhook(new Request(request.url, { method: request.method, headers, body }));
  return { webhook, rawPayload };
}
