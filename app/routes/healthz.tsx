import db from "../db.server";
import { webHealth } from "../process/health.server";
import { isDraining } from "../process/web.server";

/** `GET /healthz` for a load balancer: 200 while this web process can serve, 503 while it stops or cannot. */
export const loader = async () => {
  const { ok, body } = await webHealth(db, isDraining());
  return Response.json(body, { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store" } });
};
