import type { LoaderFunctionArgs } from "@remix-run/node";

import { clockSpreadMs, isLocalClock, syncClock } from "../clock.server";
import db from "../db.server";
import { shopActivity } from "../services/local-idle.server";

/**
 * Local mode only (404 anywhere else): replay:live and the demo wait for this. It first reads Local Shopify's clock,
 * so the answer is about the time Shopify now shows. `nextRunAt`: when the app next works on its own; `nextRetryAt`:
 * when a failed job is retried (unfinished work, though idle).
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  if (!isLocalClock()) return new Response("Not Found", { status: 404 });
  const shop = new URL(request.url).searchParams.get("shop");
  if (!shop) return Response.json({ error: "shop: required, e.g. ?shop=demo.myshopify.com" }, { status: 400 });
  const now = await syncClock();
  const activity = await shopActivity(db, shop, now, clockSpreadMs());
  return Response.json({
    now: now.toISOString(),
    idle: activity.idle,
    running: activity.running,
    due: activity.due,
    nextRunAt: activity.nextRunAt?.toISOString() ?? null,
    nextRetryAt: activity.nextRetryAt?.toISOString() ?? null,
  });
};
