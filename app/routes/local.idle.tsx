import type { LoaderFunctionArgs } from "@remix-run/node";

import { isLocalClock, syncClock } from "../clock.server";
import db from "../db.server";
import { shopActivity } from "../services/local-idle.server";

/**
 * Local mode only (LOCAL_CLOCK_URL set, which boot allows only against Local Shopify): the idle signal that
 * replay:live and the demo wait for. `GET /local/idle?shop=` first reads Local Shopify's clock, so the answer
 * is about the time Shopify now shows; `idle` is true when none of the shop's jobs runs and none is due, and
 * `nextRunAt` is when the app next works on its own (a job due later, or the sweep of a line's next notice), and
 * `nextRetryAt` when a job that failed (a throttled or failed Admin call) is retried: unfinished work, though idle.
 * Anywhere else the route does not exist (404).
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  if (!isLocalClock()) return new Response("Not Found", { status: 404 });
  const shop = new URL(request.url).searchParams.get("shop");
  if (!shop) return Response.json({ error: "shop: required, e.g. ?shop=demo.myshopify.com" }, { status: 400 });
  const now = await syncClock();
  const activity = await shopActivity(db, shop, now);
  return Response.json({
    now: now.toISOString(),
    idle: activity.idle,
    running: activity.running,
    due: activity.due,
    nextRunAt: activity.nextRunAt?.toISOString() ?? null,
    nextRetryAt: activity.nextRetryAt?.toISOString() ?? null,
  });
};
