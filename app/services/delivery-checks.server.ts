import type { z } from "zod";

import type { VerifiedWebhook } from "../shopify/webhook-request.server";
import { resourceIdOf } from "./intake.server";
import { TOPIC_PAYLOADS } from "./webhook-payloads";

// A signed delivery can still be wrong: each is answered 4xx with the reason, never 500, so nothing is stored that
// could only fail later (docs/decisions/0012-strict-intake.md).

/** Shopify's largest payloads (orders with hundreds of lines) stay far below this; anything above is refused. */
export const MAX_WEBHOOK_BYTES = 1024 * 1024;

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
const SHOP_NAME = /^[a-z0-9][a-z0-9-]*$/;

/** SHOP_CUSTOM_DOMAIN is a domain shops live under (Shopify's spin and dev domains), not one shop. */
export function isShopDomain(shop: string, customDomain?: string): boolean {
  if (SHOP_DOMAIN.test(shop)) return true;
  const suffix = customDomain ? `.${customDomain.toLowerCase()}` : null;
  return !!suffix && shop.endsWith(suffix) && SHOP_NAME.test(shop.slice(0, -suffix.length));
}

const NEEDS: Record<string, z.ZodType | undefined> = TOPIC_PAYLOADS;

export function refusal(status: number, reason: string): Response {
  return new Response(reason, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

export function checkDeclaredSize(request: Request): void {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_WEBHOOK_BYTES) throw tooLarge(declared);
}

const tooLarge = (bytes: number) =>
  refusal(413, `webhook body of ${bytes} bytes is above the limit of ${MAX_WEBHOOK_BYTES} bytes`);

/** Throws the 4xx Response to answer. */
export function checkDelivery(
  route: string,
  webhook: VerifiedWebhook,
  rawPayload: string,
  options: { sentTopic?: string; customDomain?: string } = {},
): Record<string, unknown> {
  if (Buffer.byteLength(rawPayload, "utf8") > MAX_WEBHOOK_BYTES) throw tooLarge(Buffer.byteLength(rawPayload));
  if (enumName(webhook.topic) !== enumName(route)) {
    throw refusal(400, `X-Shopify-Topic ${options.sentTopic ?? webhook.topic} does not belong on the ${route} route`);
  }
  if (!isShopDomain(webhook.shop, options.customDomain)) {
    const allowed = options.customDomain ? ` or ${options.customDomain}` : "";
    throw refusal(400, `X-Shopify-Shop-Domain "${webhook.shop}" is not a myshopify.com${allowed} domain`);
  }
  const idType = ID_AT_TOP[route];
  if (idType) return checkWithoutParsing(route, rawPayload, idType);
  let payload: unknown;
  try {
    payload = JSON.parse(rawPayload);
  } catch {
    throw refusal(400, `${route} body is not JSON`);
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    throw refusal(400, `${route} body is not a JSON object`);
  }
  const needs = NEEDS[route];
  const result = needs?.safeParse(payload);
  if (result && !result.success) {
    const issue = result.error.issues[0]!;
    throw refusal(422, `${route} payload: ${issue.path.join(".") || "body"} ${issue.message}`);
  }
  if (route === "inventory_levels/update" && !/"inventory_item_id"\s*:\s*"?\d/.test(rawPayload)) {
    throw refusal(422, "inventory_levels/update payload: inventory_item_id is missing");
  }
  return payload as Record<string, unknown>;
}

/** Not parsed at the door: their job reads only the top-level `admin_graphql_api_id` (docs/decisions/0012). */
const ID_AT_TOP: Record<string, string | undefined> = {
  "orders/create": "Order",
  "orders/updated": "Order",
  "orders/cancelled": "Order",
  "products/update": "Product",
};

function checkWithoutParsing(route: string, raw: string, idType: string): Record<string, unknown> {
  const body = raw.trim();
  if (!body.startsWith("{") || !body.endsWith("}")) {
    throw refusal(400, body.startsWith("[") ? `${route} body is not a JSON object` : `${route} body is not JSON`);
  }
  const id = resourceIdOf(body);
  if (!id?.startsWith(`gid://shopify/${idType}/`)) {
    throw refusal(422, `${route} payload: admin_graphql_api_id is missing or not a gid://shopify/${idType}/ id`);
  }
  return { admin_graphql_api_id: id };
}

function enumName(topic: string): string {
  return topic.toUpperCase().replace(/[/.]/g, "_");
}
