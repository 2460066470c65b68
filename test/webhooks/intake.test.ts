import type { ActionFunctionArgs } from "@remix-run/node";
import { beforeEach, describe, expect, it } from "vitest";

import db from "~/db.server";
import { claimNextJob } from "~/models/jobs.server";
import { action as fulfillmentRequestAccepted } from "~/routes/webhooks.fulfillment_orders.fulfillment_request_accepted";
import { action as holdReleased } from "~/routes/webhooks.fulfillment_orders.hold_released";
import { action as orderRoutingComplete } from "~/routes/webhooks.fulfillment_orders.order_routing_complete";
import { action as inventoryLevelsUpdate } from "~/routes/webhooks.inventory_levels.update";
import { action as ordersCancelled } from "~/routes/webhooks.orders.cancelled";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as ordersUpdated } from "~/routes/webhooks.orders.updated";
import { action as productsUpdate } from "~/routes/webhooks.products.update";
import { action as shipmentDelete } from "~/routes/webhooks.inventory_shipments.delete";
import { action as shipmentInTransit } from "~/routes/webhooks.inventory_shipments.mark_in_transit";
import { action as shipmentReceived } from "~/routes/webhooks.inventory_shipments.receive_items";
import { action as shipmentTracking } from "~/routes/webhooks.inventory_shipments.update_tracking";
import { action as transferCancel } from "~/routes/webhooks.inventory_transfers.cancel";
import { action as uninstalled } from "~/routes/webhooks.app.uninstalled";

import { callAction, MINIMAL_BODIES, signedWebhookRequest } from "../support/webhooks";

const SHOP = "north-star.myshopify.com";
const OTHER = "other-shop.myshopify.com";

type Action = (args: ActionFunctionArgs) => Promise<Response>;

const ROUTES: [topic: string, action: Action][] = [
  ["orders/create", ordersCreate],
  ["orders/updated", ordersUpdated],
  ["orders/cancelled", ordersCancelled],
  ["fulfillment_orders/order_routing_complete", orderRoutingComplete],
  ["fulfillment_orders/hold_released", holdReleased],
  ["fulfillment_orders/fulfillment_request_accepted", fulfillmentRequestAccepted],
  ["inventory_levels/update", inventoryLevelsUpdate],
  ["products/update", productsUpdate],
  ["inventory_shipments/mark_in_transit", shipmentInTransit],
  ["inventory_shipments/update_tracking", shipmentTracking],
  ["inventory_shipments/receive_items", shipmentReceived],
  ["inventory_shipments/delete", shipmentDelete],
  ["inventory_transfers/cancel", transferCancel],
];

function deliver(
  action: Action,
  topic: string,
  options: { shop?: string; webhookId?: string; eventId?: string; body?: unknown; secret?: string } = {},
) {
  return callAction(
    action,
    signedWebhookRequest({
      topic,
      shop: options.shop ?? SHOP,
      webhookId: options.webhookId,
      eventId: options.eventId,
      body: options.body ?? MINIMAL_BODIES[topic],
      secret: options.secret,
      path: `/webhooks/${topic}`,
    }),
  );
}

async function rows() {
  const deliveries = await db.webhookDelivery.findMany({ orderBy: { receivedAt: "asc" } });
  const jobs = await db.job.findMany({ orderBy: { createdAt: "asc" } });
  return { deliveries, jobs };
}

beforeEach(async () => {
  await db.$executeRawUnsafe('DELETE FROM "Job"');
  await db.$executeRawUnsafe('DELETE FROM "WebhookDelivery"');
  await db.$executeRawUnsafe('DELETE FROM "Session"');
});

describe("webhook intake", () => {
  it.each(ROUTES)(
    "GIVEN a signed %s delivery WHEN it arrives THEN it is recorded and one job of its type is queued",
    async (topic, action) => {
      const response = await deliver(action, topic, { webhookId: `wh-${topic}` });

      expect(response.status).toBe(200);
      const { deliveries, jobs } = await rows();
      expect(deliveries).toEqual([
        {
          id: expect.any(String),
          shop: SHOP,
          webhookId: `wh-${topic}`,
          topic,
          apiVersion: "2026-10",
          eventId: expect.any(String),
          triggeredAt: new Date(0),
          payload: JSON.stringify(MINIMAL_BODIES[topic]),
          // The payload's own top-level id, so routing can find an order's payload in the inbox.
          resourceId: (MINIMAL_BODIES[topic] as { admin_graphql_api_id?: string }).admin_graphql_api_id ?? null,
          receivedAt: expect.any(Date),
          processedAt: null,
          payloadReducedAt: null,
        },
      ]);
      expect(
        jobs.map(({ shop, type, payload, lockKey, dedupeKey, status, attempts, maxAttempts, lockedAt }) => ({
          shop,
          type,
          payload: JSON.parse(payload),
          lockKey,
          dedupeKey,
          status,
          attempts,
          maxAttempts,
          lockedAt,
        })),
      ).toEqual([
        {
          shop: SHOP,
          type: `webhook:${topic}`,
          payload: { deliveryId: deliveries[0]!.id },
          lockKey: `stock:${SHOP}`,
          dedupeKey: null,
          status: "queued",
          attempts: 0,
          maxAttempts: 8,
          lockedAt: null,
        },
      ]);
    },
  );

  it("GIVEN the same delivery twice THEN both answer 200 and only one delivery and one job exist", async () => {
    const first = await deliver(ordersCreate, "orders/create", { webhookId: "wh-dup" });
    const second = await deliver(ordersCreate, "orders/create", { webhookId: "wh-dup" });

    expect([first.status, second.status]).toEqual([200, 200]);
    const { deliveries, jobs } = await rows();
    expect(deliveries).toHaveLength(1);
    expect(jobs).toHaveLength(1);
  });

  it("GIVEN one event delivered again under a new webhook id THEN both answer 200 and only the first is kept", async () => {
    const first = await deliver(ordersUpdated, "orders/updated", { webhookId: "wh-a", eventId: "ev-1" });
    const second = await deliver(ordersUpdated, "orders/updated", { webhookId: "wh-b", eventId: "ev-1" });

    expect([first.status, second.status]).toEqual([200, 200]);
    const { deliveries, jobs } = await rows();
    expect(deliveries.map((d) => d.webhookId)).toEqual(["wh-a"]);
    expect(jobs).toHaveLength(1);
  });

  it("GIVEN one event under several webhook ids at once THEN exactly one job is queued", async () => {
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        deliver(ordersUpdated, "orders/updated", { webhookId: `wh-event-race-${i}`, eventId: "ev-race" }),
      ),
    );

    expect(responses.map((r) => r.status)).toEqual(Array(6).fill(200));
    const { deliveries, jobs } = await rows();
    expect([deliveries.length, jobs.length]).toEqual([1, 1]);
  });

  it("GIVEN one event id on two topics THEN each topic's delivery is kept: only a repeat of one topic is a duplicate", async () => {
    await deliver(ordersUpdated, "orders/updated", { webhookId: "wh-u", eventId: "ev-shared" });
    await deliver(ordersCancelled, "orders/cancelled", { webhookId: "wh-c", eventId: "ev-shared" });
    await deliver(ordersUpdated, "orders/updated", { webhookId: "wh-a", eventId: "ev-shared", shop: OTHER });

    const { deliveries, jobs } = await rows();
    expect(deliveries.map((d) => [d.shop, d.topic]).sort()).toEqual(
      [
        [SHOP, "orders/updated"],
        [SHOP, "orders/cancelled"],
        [OTHER, "orders/updated"],
      ].sort(),
    );
    expect(jobs).toHaveLength(3);
  });

  it("GIVEN concurrent redeliveries THEN exactly one job is queued", async () => {
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => deliver(ordersUpdated, "orders/updated", { webhookId: "wh-race" })),
    );

    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
    const { deliveries, jobs } = await rows();
    expect([deliveries.length, jobs.length]).toEqual([1, 1]);
  });

  it("GIVEN the same webhook id from two shops THEN each shop gets its own delivery and job", async () => {
    await deliver(ordersCreate, "orders/create", { webhookId: "wh-shared" });
    await deliver(ordersCreate, "orders/create", { webhookId: "wh-shared", shop: OTHER });

    const { deliveries, jobs } = await rows();
    expect(deliveries.map((d) => d.shop).sort()).toEqual([SHOP, OTHER].sort());
    expect(jobs.map((j) => [j.shop, j.lockKey]).sort()).toEqual(
      [
        [SHOP, `stock:${SHOP}`],
        [OTHER, `stock:${OTHER}`],
      ].sort(),
    );
  });

  it.each(ROUTES)("GIVEN a forged HMAC on %s THEN 401 and nothing is written", async (topic, action) => {
    const response = await deliver(action, topic, { secret: "forged" });

    expect(response.status).toBe(401);
    expect(await rows()).toEqual({ deliveries: [], jobs: [] });
  });

  it("GIVEN a recorded delivery WHEN a worker looks for work THEN its job is due at once and names the delivery", async () => {
    await deliver(ordersCreate, "orders/create", { webhookId: "wh-due" });
    const [delivery] = (await rows()).deliveries;

    const claimed = await claimNextJob(db, {
      workerId: "intake-test",
      now: new Date(),
      leaseMs: 60_000,
      types: ["webhook:orders/create"],
    });

    expect(claimed).toEqual({
      id: expect.any(String),
      shop: SHOP,
      type: "webhook:orders/create",
      payload: { deliveryId: delivery!.id },
      attempt: 1,
    });
  });

  it("keeps the body byte for byte, so ids above 2^53 survive", async () => {
    const raw = '{"id":271878346596884015,"inventory_item_id":271878346596884015,"available":-2}';
    const request = signedWebhookRequest({
      topic: "inventory_levels/update",
      shop: SHOP,
      body: JSON.parse(raw),
      path: "/webhooks/inventory_levels/update",
    });
    // Re-sign the exact raw text (JSON.parse above already rounded the id in `body`).
    const { createHmac } = await import("node:crypto");
    const headers = new Headers(request.headers);
    headers.set("X-Shopify-Hmac-Sha256", createHmac("sha256", "test-api-secret").update(raw).digest("base64"));

    const response = await callAction(
      inventoryLevelsUpdate,
      new Request(request.url, { method: "POST", headers, body: raw }),
    );

    expect(response.status).toBe(200);
    expect((await rows()).deliveries.map((d) => d.payload)).toEqual([raw]);
  });
});

describe("app/uninstalled stops the shop's jobs", () => {
  it("GIVEN queued jobs of two shops WHEN one uninstalls THEN only its jobs become dead and stay visible", async () => {
    await deliver(ordersCreate, "orders/create", { webhookId: "a" });
    await deliver(ordersCreate, "orders/create", { webhookId: "b", shop: OTHER });

    const response = await callAction(
      uninstalled,
      signedWebhookRequest({
        topic: "app/uninstalled",
        shop: SHOP,
        body: { id: 1 },
        path: "/webhooks/app/uninstalled",
      }),
    );

    expect(response.status).toBe(200);
    const jobs = await db.job.findMany({
      select: { shop: true, status: true, lastError: true },
      orderBy: { shop: "asc" },
    });
    expect(jobs).toEqual(
      [
        { shop: SHOP, status: "dead", lastError: "stopped: the app was uninstalled" },
        { shop: OTHER, status: "queued", lastError: null },
      ].sort((a, b) => a.shop.localeCompare(b.shop)),
    );
  });
});
