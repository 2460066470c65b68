import type { ActionFunctionArgs } from "@remix-run/node";

import db from "../db.server";
import { verifyWebhook } from "../shopify/webhook-request.server";
import { receiveWebhook, type IntakeTopic } from "./intake.server";

/**
 * The action of an intake topic's route: verify the delivery (401 to a bad HMAC, before anything is written),
 * record it with its job (the raw body keeps ids above 2^53 intact), answer 200.
 */
export function intakeAction(topic: IntakeTopic) {
  return async ({ request }: ActionFunctionArgs): Promise<Response> => {
    const { webhook, rawPayload } = await verifyWebhook(request);
    await receiveWebhook(db, topic, webhook, rawPayload);
    return new Response();
  };
}
