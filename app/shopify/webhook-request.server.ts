import { createHmac, timingSafeEqual } from "node:crypto";

import { env } from "../env.server";
import { authenticate } from "../shopify.server";

/** What authenticate.webhook hands over, plus the raw body read before it. */
export interface VerifiedWebhook {
  shop: string;
  topic: string;
  webhookId: string;
  apiVersion: string;
  triggeredAt?: string;
  eventId?: string;
  /** The body as the library parsed it (ids above 2^53 are rounded there: only strings are taken from it). */
  payload?: unknown;
}

const REQUIRED_HEADERS = [
  "x-shopify-topic",
  "x-shopify-shop-domain",
  "x-shopify-api-version",
  "x-shopify-webhook-id",
] as const;

/**
 * Verifies a webhook for the high-volume intake topics and returns it with its body exactly as sent.
 *
 * It accepts and refuses what `authenticate.webhook` does, with the same answers (405 not a POST, 400 no body,
 * no HMAC or a missing Shopify header, 401 a wrong HMAC; test/webhooks/verify-parity.test.ts runs both on the
 * same requests), but computes the HMAC with node:crypto. The library imports the secret into WebCrypto and
 * signs on every request, and canonicalises every header name on every lookup: doing without it took the
 * bench's app server from 1.27 to 0.84 ms of CPU per delivery, about a third, on the way to acknowledging
 * 500 deliveries a second on two cores (docs/decisions/0010-webhook-intake-path.md). Deliveries in the newer
 * Events format (`shopify-*` headers) still go through `authenticate.webhook`.
 */
export async function verifyWebhook(request: Request): Promise<{ webhook: VerifiedWebhook; rawPayload: string }> {
  const header = (name: string) => request.headers.get(name) ?? "";
  if (!header("x-shopify-hmac-sha256") && header("shopify-hmac-sha256")) return viaLibrary(request);
  if (request.method !== "POST") throw new Response(undefined, { status: 405, statusText: "Method not allowed" });
  const rawPayload = await request.text();
  const hmac = header("x-shopify-hmac-sha256");
  if (rawPayload.length === 0 || !hmac) throw badRequest();
  if (!sameSignature(hmac, createHmac("sha256", env.SHOPIFY_API_SECRET).update(rawPayload, "utf8").digest()))
    throw new Response(undefined, { status: 401, statusText: "Unauthorized" });
  if (REQUIRED_HEADERS.some((name) => !header(name))) throw badRequest();
  const webhook: VerifiedWebhook = {
    shop: header("x-shopify-shop-domain"),
    topic: header("x-shopify-topic").toUpperCase().replace(/[/.]/g, "_"),
    webhookId: header("x-shopify-webhook-id"),
    apiVersion: header("x-shopify-api-version"),
    ...(header("x-shopify-triggered-at") ? { triggeredAt: header("x-shopify-triggered-at") } : {}),
    ...(header("x-shopify-event-id") ? { eventId: header("x-shopify-event-id") } : {}),
  };
  // Parsed only if read, as the library parses it (ids above 2^53 rounded); the intake reads rawPayload.
  Object.defineProperty(webhook, "payload", { enumerable: true, get: () => JSON.parse(rawPayload) as unknown });
  return { webhook, rawPayload };
}

/** Constant-time comparison of the header's base64 signature with the expected digest. */
function sameSignature(header: string, expected: Buffer): boolean {
  const given = Buffer.from(header, "base64");
  // Buffer.from ignores characters outside base64: the header must be exactly the digest's encoding.
  return given.length === expected.length && given.toString("base64") === header && timingSafeEqual(given, expected);
}

const badRequest = () => new Response(undefined, { status: 400, statusText: "Bad Request" });

async function viaLibrary(request: Request) {
  const rawPayload = await request.clone().text();
  try {
    return { webhook: await authenticate.webhook(request), rawPayload };
  } catch (thrown) {
    // The library parses the body after checking the HMAC: a signed body that isn't JSON is a bad request.
    if (thrown instanceof Response) throw thrown;
    throw new Response("webhook body is not JSON", { status: 400 });
  }
}
