import type { ActionFunctionArgs } from "@remix-run/node";

import db from "../db.server";
import { handleAppUninstalled } from "../services/lifecycle.server";
import { authenticate } from "../shopify.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  // The session may already be gone when Shopify redelivers: that is a normal case, not an error.
  const { shop } = await authenticate.webhook(request);
  await handleAppUninstalled(db, shop);
  return new Response();
};
