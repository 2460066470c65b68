import type { ActionFunctionArgs } from "@remix-run/node";

import db from "../db.server";
import { env } from "../env.server";
import { verifyWebhook, type VerifiedWebhook } from "../shopify/webhook-request.server";
import { checkDeclaredSize, checkDelivery, refusal } from "./delivery-checks.server";
import { receiveWebhook, type IntakeTopic } from "./intake.server";

export interface AcceptedDelivery {
  webhook: VerifiedWebhook;
  rawPayload: string;
  payload: Record<string, unknown>;
}

/** HMAC (401) before anything is read; each refusal is a 4xx with the reason. */
export async function acceptDelivery(request: Request, route: string): Promise<AcceptedDelivery> {
  checkDeclaredSize(request);
  const { webhook, rawPayload } = await verifyWebhook(request);
  const payload = checkDelivery(route, webhook, rawPayload, {
    sentTopic: request.headers.get("x-shopify-topic") ?? undefined,
    customDomain: env.SHOP_CUSTOM_DOMAIN,
  });
  return { webhook, rawPayload, payload };
}

/** The raw body keeps ids above 2^53 intact; a failure to record is answered 503, so Shopify delivers again. */
export function intakeAction(topic: IntakeTopic) {
  return async ({ request }: ActionFunctionArgs): Promise<Response> => {
    const { webhook, rawPayload } = await acceptDelivery(request, topic);
    try {
      await receiveWebhook(db, topic, webhook, rawPayload);
    } catch (error) {
      console.warn(`${topic} from ${webhook.shop} not recorded, Shopify will retry:`, error);
      return refusal(503, "the delivery could not be recorded; send it again later");
    }
    return new Response();
  };
}
