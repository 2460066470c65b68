import type { ActionFunctionArgs } from "@remix-run/node";

import db from "../db.server";
import { handleCustomerDataRequest } from "../services/compliance.server";
import { authenticate } from "../shopify.server";

// Compliance topic: a bad HMAC is answered 401 by authenticate.webhook before anything is read.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, topic, webhookId, payload } = await authenticate.webhook(request);
  await handleCustomerDataRequest(db, { shop, topic, webhookId, payload });
  return new Response();
};
