import type { ActionFunctionArgs } from "@remix-run/node";

import db from "../db.server";
import { receiveWebhook } from "../services/intake.server";
import { verifyWebhook } from "../shopify/webhook-request.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  // 401 to a bad HMAC, before anything is written; the raw body keeps ids above 2^53 intact.
  const { webhook, rawPayload } = await verifyWebhook(request);
  await receiveWebhook(db, "orders/create", webhook, rawPayload);
  return new Response();
};
