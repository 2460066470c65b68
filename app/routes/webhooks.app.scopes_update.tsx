import type { ActionFunctionArgs } from "@remix-run/node";

import db from "../db.server";
import { acceptDelivery } from "../services/intake-action.server";
import { handleScopesUpdate } from "../services/lifecycle.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { webhook, payload } = await acceptDelivery(request, "app/scopes_update");
  await handleScopesUpdate(db, webhook.shop, payload);
  return new Response();
};
