import { createHmac } from "node:crypto";

import { describe, expect, it } from "vitest";

import { signedWebhookRequest } from "../../test/support/webhooks";
import { verifyWebhook } from "./webhook-request.server";

const SHOP = "north-star.myshopify.com";
// Ids above 2^53 are why the body must come back as sent.
const RAW = '{"id":271878346596884015,"available":-2}';

/** A signed delivery as it reaches the app behind a proxy: Shopify's headers plus unrelated ones. */
function delivery(options: { body?: string; without?: string } = {}): Request {
  const signed = signedWebhookRequest({
    topic: "inventory_levels/update",
    shop: SHOP,
    body: JSON.parse(RAW),
    webhookId: "wh-1",
    path: "/webhooks/inventory_levels/update",
  });
  const headers = new Headers(signed.headers);
  headers.set("X-Shopify-Hmac-Sha256", createHmac("sha256", "test-api-secret").update(RAW).digest("base64"));
  headers.set("X-Forwarded-For", "203.0.113.7");
  headers.set("X-Forwarded-Proto", "https");
  headers.set("Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  headers.set("User-Agent", "Shopify-Captain-Hook");
  if (options.without) headers.delete(options.without);
  return new Request(signed.url, { method: "POST", headers, body: options.body ?? RAW });
}

async function thrownStatus(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
  throw new Error("expected a Response to be thrown");
}

describe("verifyWebhook", () => {
  it("GIVEN a signed delivery with unrelated headers THEN it is verified and its body comes back byte for byte", async () => {
    const { webhook, rawPayload } = await verifyWebhook(delivery());

    expect(rawPayload).toBe(RAW);
    expect({ shop: webhook.shop, topic: webhook.topic, webhookId: webhook.webhookId }).toEqual({
      shop: SHOP,
      topic: "INVENTORY_LEVELS_UPDATE",
      webhookId: "wh-1",
    });
  });

  it("GIVEN a body changed after signing THEN 401", async () => {
    expect(await thrownStatus(verifyWebhook(delivery({ body: RAW.replace("-2", "-3") })))).toBe(401);
  });

  it("GIVEN no X-Shopify-Webhook-Id THEN 400, as the library answers", async () => {
    expect(await thrownStatus(verifyWebhook(delivery({ without: "X-Shopify-Webhook-Id" })))).toBe(400);
  });
});
