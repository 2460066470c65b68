import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import { clock } from "../clock.server";
import db from "../db.server";
import { env } from "../env.server";
import { getSettings } from "../models/settings.server";
import { answerOrderStatusBlock } from "../services/customer-page/order-status-block.server";
import { authenticate } from "../shopify.server";

// The order status block in customer accounts (extensions/order-status-block) asks here for one order:
// GET /api/customer/order-status/{numeric order id} with the customer account session token as Bearer.
// authenticate.public.customerAccount verifies the token (a missing, forged or expired one is a 401 from the
// library) and answers the preflight; the block runs on Shopify's origin, so every answer carries CORS headers.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { sessionToken, cors } = await authenticate.public.customerAccount(request);
  const answer = await answerOrderStatusBlock(
    {
      db,
      dest: sessionToken.dest,
      customerId: sessionToken.sub,
      secret: env.SHOPIFY_API_SECRET,
      customDomain: env.SHOP_CUSTOM_DOMAIN,
      settings: (shop) => getSettings(db, shop),
      now: clock.now(),
    },
    params.orderId ?? "",
  );
  return cors(Response.json(answer.body, { status: answer.status, headers: { "Cache-Control": "private, no-store" } }));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { cors } = await authenticate.public.customerAccount(request);
  return cors(Response.json({ error: "GET only" }, { status: 405 }));
};
