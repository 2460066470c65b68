import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import { clock } from "../clock.server";
import db from "../db.server";
import { env } from "../env.server";
import { createJobQueue } from "../jobs/queue.server";
import { getSettings } from "../models/settings.server";
import { DEFAULT_PROXY_PATH } from "../services/customer-page/links.server";
import { answerCustomerPage, notFoundPage } from "../services/customer-page/page.server";
import { authenticate } from "../shopify.server";
import { gatewayForShop } from "../shopify/gateway.server";

// The customer's page on the shop's own domain, through the app proxy of shopify.app.toml ([app_proxy]):
// https://{shop}/apps/backorders/… arrives here signed by Shopify. authenticate.public.appProxy checks the
// signature (a bad one is answered 400 by the library, before anything is read); only then are `shop`,
// `logged_in_customer_id` and `path_prefix` Shopify's word. The answer is Liquid, so the shop's theme wraps it.
async function customerPage(request: Request, path: string): Promise<Response> {
  const { session, liquid } = await authenticate.public.appProxy(request);
  if (!session) return liquid(notFoundPage(), 404);
  const query = new URL(request.url).searchParams;
  const customer = query.get("logged_in_customer_id");
  const form = request.method === "POST" ? new URLSearchParams(await request.text()) : null;
  const page = await answerCustomerPage(
    {
      db,
      queue: createJobQueue(db),
      shop: session.shop,
      customerId: customer && /^\d+$/.test(customer) ? `gid://shopify/Customer/${customer}` : null,
      pathPrefix: query.get("path_prefix") ?? DEFAULT_PROXY_PATH,
      secret: env.SHOPIFY_API_SECRET,
      settings: await getSettings(db, session.shop),
      now: clock.now(),
      admin: () => gatewayForShop(db, session.shop),
    },
    { method: request.method, path, query, form, fetchSite: request.headers.get("Sec-Fetch-Site") },
  );
  // Personal pages: neither Shopify's edge nor the browser keeps them.
  return liquid(page.liquid, { status: page.status, headers: { "Cache-Control": "private, no-store" } });
}

export const loader = ({ request, params }: LoaderFunctionArgs) => customerPage(request, params["*"] ?? "");
export const action = ({ request, params }: ActionFunctionArgs) => customerPage(request, params["*"] ?? "");
