import type { ActionFunctionArgs } from "@remix-run/node";

import db from "../db.server";
import { handleCustomerDataRequest } from "../services/compliance.server";
import { acceptDelivery } from "../services/intake-action.server";

// Compliance topic: a bad HMAC (401), another topic or a body that isn't JSON (400) is refused before anything is read.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { webhook, payload } = await acceptDelivery(request, "customers/data_request");
  await handleCustomerDataRequest(db, {
    shop: webhook.shop,
    topic: webhook.topic,
    webhookId: webhook.webhookId,
    payload,
  });
  return new Response();
};
