import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import { clock } from "../clock.server";
import db from "../db.server";
import { createJobQueue } from "../jobs/queue.server";
import { loadProductDates, saveProductDate } from "../services/admin/product-dates.server";
import { authenticate } from "../shopify.server";
import { gatewayForShop } from "../shopify/gateway.server";

// A resource route for the restock date block on Shopify's product page (extensions/restock-date-block). The
// block's fetch carries the merchant's ID token as a Bearer token; its origin is Shopify's extension host, so
// every answer (and the preflight, which authenticate.admin answers itself) carries CORS headers.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session, cors } = await authenticate.admin(request);
  const productId = new URL(request.url).searchParams.get("productId");
  const answer = await loadProductDates({ db, admin: await gatewayForShop(db, session.shop) }, session.shop, productId);
  return cors(Response.json(answer.body, { status: answer.status }));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, cors } = await authenticate.admin(request);
  if (request.method !== "POST") return cors(Response.json({ errors: { method: "POST only" } }, { status: 405 }));
  const input = await request.json().catch(() => null);
  const deps = { db, queue: createJobQueue(db), admin: await gatewayForShop(db, session.shop) };
  const answer = await saveProductDate(deps, session.shop, input, clock.now().toISOString().slice(0, 10));
  return cors(Response.json(answer.body, { status: answer.status }));
};
