import type { ActionFunctionArgs } from "@remix-run/node";

import db from "../db.server";
import { acceptDelivery } from "../services/intake-action.server";
import { handleAppUninstalled } from "../services/lifecycle.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  // The session may already be gone when Shopify redelivers: that is a normal case, not an error.
  const { webhook } = await acceptDelivery(request, "app/uninstalled");
  await handleAppUninstalled(db, webhook.shop);
  return new Response();
};
