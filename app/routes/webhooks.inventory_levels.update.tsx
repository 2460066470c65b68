import type { ActionFunctionArgs } from "@remix-run/node";

import db from "../db.server";
import { receiveWebhook } from "../services/intake.server";
import { authenticate } from "../shopify.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  // The raw body keeps ids above 2^53 intact; authenticate.webhook answers 401 to a bad HMAC.
  const rawPayload = await request.clone().text();
  const webhook = await authenticate.webhook(request);
  await receiveWebhook(db, "inventory_levels/update", webhook, rawPayload);
  return new Response();
};
