import { createHmac, timingSafeEqual } from "node:crypto";

import { env } from "../env.server";
import { authenticate } from "../shopify.server";

export interface VerifiedWebhook {
  shop: string;
  topic: string;
  webhookId: string;
  apiVersion: string;
  triggeredAt?: string;
  eventId?: string;
  /** Ids above 2^53 are rounded here: only strings are taken from it. */
  payload?: unknown;
}

const REQUIRED_HEADERS = [
  "x-shopify-topic",
  "x-shopify-shop-domain",
  "x-shopify-api-version",
  "x-shopify-webhook-id",
] as const;

/**
 * Accepts and refuses what `authenticate.webhook` does (test/webhooks/verify-parity.test.ts), with the HMAC on
 * node:crypto: docs/decisions/0010-webhook-intake-path.md. Events-format deliveries still go through the library.
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

/** Constant-time. */
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
