import type { ActionFunctionArgs } from "@remix-run/node";

import db from "../db.server";
import { handleScopesUpdate } from "../services/lifecycle.server";
import { authenticate } from "../shopify.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, payload } = await authenticate.webhook(request);
  await handleScopesUpdate(db, shop, payload);
  return new Response();
};
