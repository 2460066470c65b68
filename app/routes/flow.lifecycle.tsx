import type { ActionFunctionArgs } from "@remix-run/node";

import db from "../db.server";
import { receiveFlowLifecycle } from "../services/flow-lifecycle.server";
import { authenticate } from "../shopify.server";

/**
 * Shopify Flow's trigger lifecycle callback (extensions/flow-trigger-lifecycle). Flow signs it like its other
 * requests to apps: `X-Shopify-Hmac-Sha256`, base64 HMAC-SHA256 of the raw body keyed with the client secret,
 * which authenticate.flow checks (400 when it does not match, or when the shop has no offline session).
 */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, payload } = await authenticate.flow(request);
  const outcome = await receiveFlowLifecycle(db, session.shop, payload);
  return new Response(null, { status: outcome.kind === "invalid" ? 400 : 200 });
};
