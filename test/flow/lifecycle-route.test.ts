import { beforeEach, describe, expect, it, vi } from "vitest";

import db from "~/db.server";
import { flowTriggerState, isFlowTriggerInUse } from "~/models/flow-usage.server";
import { action } from "~/routes/flow.lifecycle";

import { callAction, signedFlowRequest } from "../support/webhooks";

const SHOP = "lifecycle.myshopify.com";

const callback = (body: Record<string, unknown>, secret?: string) =>
  callAction(action, signedFlowRequest("/flow/lifecycle", body, secret));

const body = (over: Record<string, unknown> = {}) => ({
  flow_trigger_definition_id: "Backorder created",
  has_enabled_flow: true,
  shop_id: 690933842,
  shopify_domain: SHOP,
  timestamp: "2026-11-20T10:00:00.000Z",
  ...over,
});

const usage = () =>
  db.flowTriggerUsage.findMany({
    where: { shop: SHOP },
    select: { trigger: true, enabled: true, observedAt: true },
    orderBy: { trigger: "asc" },
  });

beforeEach(async () => {
  await db.$executeRawUnsafe('DELETE FROM "FlowTriggerUsage"');
  await db.$executeRawUnsafe('DELETE FROM "Session"');
  await db.session.create({
    data: { id: `offline_${SHOP}`, shop: SHOP, state: "installed", isOnline: false, accessToken: "shpat_x" },
  });
});

describe("Flow's trigger lifecycle callback", () => {
  it("GIVEN a signed callback WHEN a workflow is turned on THEN the trigger is in use for the shop", async () => {
    const response = await callback(body());

    expect(response.status).toBe(200);
    expect(await usage()).toEqual([
      { trigger: "backorder-created", enabled: true, observedAt: new Date("2026-11-20T10:00:00.000Z") },
    ]);
    expect(await flowTriggerState(db, SHOP, "backorder-created")).toBe("on");
    // No callback about them: unknown, and so still sent (a lost record must not silence a workflow).
    expect(await flowTriggerState(db, SHOP, "backorder-allocated")).toBe("unknown");
    expect(await flowTriggerState(db, "other.myshopify.com", "backorder-created")).toBe("unknown");
    expect(await isFlowTriggerInUse(db, SHOP, "backorder-allocated")).toBe(true);
  });

  it("GIVEN a workflow turned off THEN its trigger is off, the one state in which it is not sent", async () => {
    await callback(body({ has_enabled_flow: false }));
    expect(await flowTriggerState(db, SHOP, "backorder-created")).toBe("off");
    expect(await isFlowTriggerInUse(db, SHOP, "backorder-created")).toBe(false);
  });

  it("GIVEN callbacks out of order THEN the newest timestamp wins, whatever arrives last", async () => {
    await callback(body({ has_enabled_flow: false, timestamp: "2026-11-20T10:00:02.000Z" }));
    const older = await callback(body({ has_enabled_flow: true, timestamp: "2026-11-20T10:00:01.000Z" }));

    expect(older.status).toBe(200);
    expect(await isFlowTriggerInUse(db, SHOP, "backorder-created")).toBe(false);

    await callback(body({ has_enabled_flow: true, timestamp: "2026-11-20T10:00:03.000Z" }));
    expect(await isFlowTriggerInUse(db, SHOP, "backorder-created")).toBe(true);
  });

  it("GIVEN the trigger named by its handle THEN it is recorded the same", async () => {
    await callback(body({ flow_trigger_definition_id: "backorder-delay-notice-due" }));
    expect((await usage()).map((row) => row.trigger)).toEqual(["backorder-delay-notice-due"]);
  });

  it("GIVEN a trigger the app does not declare THEN 200 (Flow may turn the workflow on) and nothing recorded", async () => {
    expect((await callback(body({ flow_trigger_definition_id: "Add row to spreadsheet" }))).status).toBe(200);
    expect(await usage()).toEqual([]);
  });

  it("GIVEN a trigger id the app cannot match turned on THEN every trigger recorded off before it is sent again", async () => {
    await callback(body({ has_enabled_flow: false, timestamp: "2026-11-20T10:00:00.000Z" }));
    await callback(
      body({ flow_trigger_definition_id: "gid://shopify/FlowTrigger/77", timestamp: "2026-11-20T11:00:00.000Z" }),
    );
    expect(await flowTriggerState(db, SHOP, "backorder-created")).toBe("on");

    // A newer callback about the trigger itself still wins; one turning an unknown id off changes nothing.
    await callback(body({ has_enabled_flow: false, timestamp: "2026-11-20T12:00:00.000Z" }));
    await callback(
      body({
        flow_trigger_definition_id: "gid://shopify/FlowTrigger/77",
        has_enabled_flow: false,
        timestamp: "2026-11-20T13:00:00.000Z",
      }),
    );
    expect(await flowTriggerState(db, SHOP, "backorder-created")).toBe("off");
  });

  it("GIVEN a forged HMAC THEN 400, the library logs why, and nothing is recorded", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    expect((await callback(body(), "not-the-secret")).status).toBe(400);
    expect(logged.mock.calls.map((call) => call.join(" "))).toEqual([expect.stringContaining("invalid_hmac")]);
    logged.mockRestore();
    expect(await usage()).toEqual([]);
  });

  it("GIVEN a shop without an offline session THEN 400 and nothing is recorded", async () => {
    const response = await callback(body({ shopify_domain: "stranger.myshopify.com" }));
    expect(response.status).toBe(400);
    expect(await db.flowTriggerUsage.count()).toBe(0);
  });

  it("GIVEN a body without has_enabled_flow THEN 400 and nothing is recorded", async () => {
    const { has_enabled_flow: _dropped, ...rest } = body();
    expect((await callback(rest)).status).toBe(400);
    expect(await usage()).toEqual([]);
  });
});
