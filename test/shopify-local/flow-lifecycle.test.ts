import { createHmac } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ControlError } from "./control/client";
import { startLocalShopify, type LocalShopify } from "./server";
import { adminGraphql, startWebhookSink } from "./testing";

/**
 * Parity row L1: Shopify Flow's trigger lifecycle callback
 * (https://shopify.dev/docs/apps/build/flow/track-lifecycle-events) — sent when a merchant turns on or off a
 * workflow that starts from one of the app's triggers, to the URL of the app's flow_trigger_lifecycle_callback
 * extension, HMAC-signed with the client secret; without a 2xx the workflow cannot be turned on.
 */
const SECRET = "flow-secret";
const START = new Date("2026-11-20T10:00:00Z");

describe("Flow trigger lifecycle callbacks (parity row L1)", () => {
  let local: LocalShopify;
  let sink: Awaited<ReturnType<typeof startWebhookSink>>;
  let domain: string;
  let token: string;
  let shopId: number;
  let counter = 0;

  const callbacks = () => sink.received.filter((request) => request.path === "/flow/lifecycle");

  beforeAll(async () => {
    sink = await startWebhookSink();
    local = await startLocalShopify({ apiSecret: SECRET, appUrl: sink.url, clock: "frozen", startAt: START });
  });

  afterAll(async () => {
    await local.stop();
    await sink.stop();
  });

  async function freshShop() {
    const shop = await local.control.createShop({ domain: `flow-${++counter}.myshopify.com` });
    domain = shop.domain;
    token = shop.accessToken;
    shopId = shop.id;
    sink.received.length = 0;
  }

  it("turning a workflow on POSTs the documented body to the extension's URL, signed with the client secret", async () => {
    await freshShop();
    const workflow = await local.control.createWorkflow(domain, { trigger: "backorder-created" });

    expect(workflow).toEqual({ id: expect.any(Number), trigger: "backorder-created", enabled: true });
    const [callback, ...more] = callbacks();
    expect(more).toEqual([]);
    expect(callback!.body).toEqual({
      flow_trigger_definition_id: "Backorder created",
      has_enabled_flow: true,
      shop_id: shopId,
      shopify_domain: domain,
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    expect(callback!.headers["content-type"]).toBe("application/json");
    expect(callback!.headers["x-shopify-hmac-sha256"]).toBe(
      createHmac("sha256", SECRET).update(callback!.rawBody, "utf8").digest("base64"),
    );
  });

  it("says whether any turned-on workflow still uses the trigger, with ever later timestamps", async () => {
    await freshShop();
    const first = await local.control.createWorkflow(domain, { trigger: "backorder-allocated" });
    const second = await local.control.createWorkflow(domain, { trigger: "backorder-allocated" });
    await local.control.setWorkflowEnabled(domain, first.id, false);
    await local.control.setWorkflowEnabled(domain, second.id, false);

    const sent = callbacks().map((c) => c.body as { has_enabled_flow: boolean; timestamp: string });
    expect(sent.map((c) => c.has_enabled_flow)).toEqual([true, true, true, false]);
    const times = sent.map((c) => Date.parse(c.timestamp));
    expect(times.every((time, i) => i === 0 || time > times[i - 1]!)).toBe(true);
  });

  it("cannot turn a workflow on when the app does not answer 2xx; turning it on later works", async () => {
    await freshShop();
    sink.statuses.push(500);
    const refused = await local.control
      .createWorkflow(domain, { trigger: "backorder-cancelled" })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ControlError);
    expect((refused as ControlError).status).toBe(422);
    expect((refused as ControlError).message).toContain("the app answered 500");
    const [workflow] = await local.control.workflows(domain);
    expect(workflow).toMatchObject({ trigger: "backorder-cancelled", enabled: false });

    expect(await local.control.setWorkflowEnabled(domain, workflow!.id, true)).toMatchObject({ enabled: true });
  });

  it("refuses a trigger the app does not declare", async () => {
    await freshShop();
    await expect(local.control.createWorkflow(domain, { trigger: "nope" })).rejects.toThrow(
      'the app declares no Flow trigger "nope"',
    );
    expect(callbacks()).toEqual([]);
  });

  it("flowTriggerReceive records how many turned-on workflows it started", async () => {
    await freshShop();
    await local.control.createWorkflow(domain, { trigger: "backorder-created" });
    const send = (handle: string) =>
      adminGraphql(
        local.origin,
        token,
        `mutation { flowTriggerReceive(handle: "${handle}", payload: { order_id: 1 }) { userErrors { message } } }`,
      );
    await send("backorder-created");
    await send("backorder-allocated");
    expect((await local.control.flowTriggers(domain)).map((t) => [t.handle, t.startedWorkflows])).toEqual([
      ["backorder-created", 1],
      ["backorder-allocated", 0],
    ]);
  });
});
