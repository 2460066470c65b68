import { z } from "zod";

import type { Pipeline } from "../pipeline.server";
import { shipOrders } from "../shipping.server";
import { payloadOf } from "./work";

const ShipReadyPayload = z.object({ orderId: z.string().startsWith("gid://shopify/Order/") });

/** Planned as under "ship what is available", through the release path; never-split products still ship complete. */
export async function runShipReady(p: Pipeline, payload: unknown) {
  const { orderId } = payloadOf(ShipReadyPayload, "ship_ready", payload);
  if (!p.settings.shipReadyOnRequest) return { kind: "not_allowed" as const };
  const released = await shipOrders(
    { ...p, settings: { ...p.settings, partialShipment: "ship_available" } },
    [orderId],
    new Map(),
  );
  return { kind: "released" as const, units: released };
}
