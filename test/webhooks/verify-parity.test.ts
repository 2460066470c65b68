import { createHmac } from "node:crypto";

import { describe, expect, it } from "vitest";

import { authenticate } from "~/shopify.server";
import { verifyWebhook } from "~/shopify/webhook-request.server";

import { TEST_SECRET } from "../support/webhooks";

/**
 * The intake's own verification (app/shopify/webhook-request.server.ts) against `authenticate.webhook` on the
 * same requests: the same answer for every malformed or forged delivery, the same fields for a good one.
 */
const SHOP = "north-star.myshopify.com";
const BODY = '{"id":820982911946154508,"admin_graphql_api_id":"gid://shopify/Order/820982911946154508"}';
const sign = (body: string, secret = TEST_SECRET) => createHmac("sha256", secret).update(body, "utf8").digest("base64");

interface Case {
  name: string;
  method?: string;
  body?: string;
  headers?: Record<string, string | null>;
}

function request({ method = "POST", body = BODY, headers = {} }: Case): Request {
  const all: Record<string, string | null> = {
    "Content-Type": "application/json",
    "X-Shopify-Topic": "orders/create",
    "X-Shopify-Hmac-Sha256": sign(body),
    "X-Shopify-Shop-Domain": SHOP,
    "X-Shopify-API-Version": "2026-10",
    "X-Shopify-Webhook-Id": "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
    "X-Shopify-Event-Id": "98880550-7158-44d4-b7cd-2c97c8a091b5",
    "X-Shopify-Triggered-At": "2026-11-26T10:00:00.000Z",
    "X-Forwarded-For": "203.0.113.7",
    ...headers,
  };
  const init: RequestInit = {
    method,
    headers: Object.fromEntries(Object.entries(all).filter(([, v]) => v !== null)) as Record<string, string>,
  };
  if (method !== "GET" && method !== "HEAD") init.body = body;
  return new Request("https://backorder-keeper.test/webhooks/orders/create", init);
}

const CASES: Case[] = [
  { name: "a good delivery" },
  { name: "header names in lower case", headers: { "x-shopify-topic": "orders/create" } },
  { name: "no Event-Id nor Triggered-At", headers: { "X-Shopify-Event-Id": null, "X-Shopify-Triggered-At": null } },
  {
    name: "the body changed after signing",
    body: BODY.replace("508", "509"),
    headers: { "X-Shopify-Hmac-Sha256": sign(BODY) },
  },
  { name: "signed with another secret", headers: { "X-Shopify-Hmac-Sha256": sign(BODY, "someone-else") } },
  { name: "an HMAC that is not base64", headers: { "X-Shopify-Hmac-Sha256": "not a signature" } },
  {
    name: "the HMAC in hex",
    headers: { "X-Shopify-Hmac-Sha256": createHmac("sha256", TEST_SECRET).update(BODY).digest("hex") },
  },
  { name: "the HMAC with trailing garbage", headers: { "X-Shopify-Hmac-Sha256": `${sign(BODY)}!!` } },
  { name: "no HMAC", headers: { "X-Shopify-Hmac-Sha256": null } },
  { name: "an empty body", body: "", headers: { "X-Shopify-Hmac-Sha256": sign("") } },
  { name: "no topic", headers: { "X-Shopify-Topic": null } },
  { name: "no shop domain", headers: { "X-Shopify-Shop-Domain": null } },
  { name: "no API version", headers: { "X-Shopify-API-Version": null } },
  { name: "no webhook id", headers: { "X-Shopify-Webhook-Id": null } },
  { name: "a GET", method: "GET" },
  { name: "a PUT", method: "PUT" },
];

async function outcome(run: () => Promise<{ webhook: object }>) {
  try {
    const { webhook } = await run();
    const { shop, topic, webhookId, apiVersion, eventId, triggeredAt, payload } = webhook as Record<string, unknown>;
    return { status: 200, webhook: { shop, topic, webhookId, apiVersion, eventId, triggeredAt, payload } };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status };
    throw thrown;
  }
}

describe("verifyWebhook answers as authenticate.webhook does", () => {
  it.each(CASES)("$name", async (testCase) => {
    const library = await outcome(async () => ({ webhook: await authenticate.webhook(request(testCase)) }));
    const ours = await outcome(() => verifyWebhook(request(testCase)));

    expect(ours).toEqual(library);
  });

  it("covers acceptance and every refusal the library gives", async () => {
    const statuses = new Set<number>();
    for (const testCase of CASES) statuses.add((await outcome(() => verifyWebhook(request(testCase)))).status);
    expect([...statuses].sort()).toEqual([200, 400, 401, 405]);
  });

  it("keeps the body byte for byte", async () => {
    expect((await verifyWebhook(request({ name: "good" }))).rawPayload).toBe(BODY);
  });
});
