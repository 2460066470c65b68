import { createHmac, randomUUID } from "node:crypto";

import type { ActionFunctionArgs } from "@remix-run/node";
import { beforeEach, describe, expect, it } from "vitest";

import db from "~/db.server";
import { env } from "~/env.server";
import { action as scopesUpdate } from "~/routes/webhooks.app.scopes_update";
import { action as uninstalled } from "~/routes/webhooks.app.uninstalled";
import { action as customersDataRequest } from "~/routes/webhooks.customers.data_request";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { action as fulfillmentRequestAccepted } from "~/routes/webhooks.fulfillment_orders.fulfillment_request_accepted";
import { action as holdReleased } from "~/routes/webhooks.fulfillment_orders.hold_released";
import { action as orderRoutingComplete } from "~/routes/webhooks.fulfillment_orders.order_routing_complete";
import { action as inventoryLevelsUpdate } from "~/routes/webhooks.inventory_levels.update";
import { action as ordersCancelled } from "~/routes/webhooks.orders.cancelled";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as ordersUpdated } from "~/routes/webhooks.orders.updated";
import { action as productsUpdate } from "~/routes/webhooks.products.update";
import { action as shopRedact } from "~/routes/webhooks.shop.redact";
import { MAX_WEBHOOK_BYTES } from "~/services/delivery-checks.server";

import { callAction, MINIMAL_BODIES, TEST_SECRET } from "../support/webhooks";

const SHOP = "north-star.myshopify.com";
type Action = (args: ActionFunctionArgs) => Promise<Response>;

/** A delivery signed with the app's secret, whatever its body and headers say. */
function signed(path: string, raw: string, headers: Record<string, string> = {}): Request {
  return new Request(`https://backorder-keeper.test${path}`, {
    method: "POST",
    body: raw,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Hmac-Sha256": createHmac("sha256", TEST_SECRET).update(raw, "utf8").digest("base64"),
      "X-Shopify-Shop-Domain": SHOP,
      "X-Shopify-API-Version": "2026-10",
      "X-Shopify-Webhook-Id": randomUUID(),
      ...headers,
    },
  });
}

async function everything() {
  return {
    sessions: await db.session.count(),
    deliveries: await db.webhookDelivery.count(),
    jobs: await db.job.count(),
    compliance: await db.complianceRequest.count(),
    settings: await db.shopSettings.count(),
  };
}

beforeEach(async () => {
  for (const table of ["Job", "WebhookDelivery", "Session", "ComplianceRequest", "ShopSettings"])
    await db.$executeRawUnsafe(`DELETE FROM "${table}"`);
  await db.session.create({
    data: { id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: "t", scope: "read_orders" },
  });
  await db.shopSettings.create({ data: { shop: SHOP } });
});

const LIBRARY_ROUTES: [topic: string, action: Action][] = [
  ["app/uninstalled", uninstalled],
  ["app/scopes_update", scopesUpdate],
  ["customers/data_request", customersDataRequest],
  ["customers/redact", customersRedact],
  ["shop/redact", shopRedact],
];

describe("every route takes only its own topic", () => {
  it.each(LIBRARY_ROUTES)(
    "GIVEN a signed orders/create sent to /webhooks/%s THEN 400 naming both topics, and nothing changed",
    async (route, action) => {
      const before = await everything();

      const response = await callAction(
        action,
        signed(`/webhooks/${route}`, JSON.stringify(MINIMAL_BODIES["orders/create"]), {
          "X-Shopify-Topic": "orders/create",
        }),
      );

      expect(response.status).toBe(400);
      expect(await response.text()).toBe(`X-Shopify-Topic orders/create does not belong on the ${route} route`);
      expect(await everything()).toEqual(before);
    },
  );

  it("GIVEN a signed orders/updated sent to the orders/create route THEN 400, not 500, and nothing is recorded", async () => {
    const response = await callAction(
      ordersCreate,
      signed("/webhooks/orders/create", JSON.stringify(MINIMAL_BODIES["orders/updated"]), {
        "X-Shopify-Topic": "orders/updated",
      }),
    );

    expect(response.status).toBe(400);
    expect(await response.text()).toBe("X-Shopify-Topic orders/updated does not belong on the orders/create route");
    expect((await everything()).deliveries).toBe(0);
  });
});

const INTAKE_ROUTES: [topic: string, action: Action][] = [
  ["orders/create", ordersCreate],
  ["orders/updated", ordersUpdated],
  ["orders/cancelled", ordersCancelled],
  ["fulfillment_orders/order_routing_complete", orderRoutingComplete],
  ["fulfillment_orders/hold_released", holdReleased],
  ["fulfillment_orders/fulfillment_request_accepted", fulfillmentRequestAccepted],
  ["inventory_levels/update", inventoryLevelsUpdate],
  ["products/update", productsUpdate],
];

describe("every route, with work already recorded, refuses another topic and keeps what it holds", () => {
  /** A recorded delivery with its job, and a compliance record: what a wrong delivery must not touch. */
  async function recordWork() {
    const recorded = await callAction(
      ordersCreate,
      signed("/webhooks/orders/create", JSON.stringify(MINIMAL_BODIES["orders/create"]), {
        "X-Shopify-Topic": "orders/create",
      }),
    );
    expect(recorded.status).toBe(200);
    await db.complianceRequest.create({
      data: { shop: SHOP, topic: "customers/data_request", webhookId: "dr-kept", payload: "{}", result: "{}" },
    });
  }

  // Each route gets a signed delivery of a topic that is valid elsewhere: shop/redact's body, or orders/create's.
  it.each([...LIBRARY_ROUTES, ...INTAKE_ROUTES])(
    "GIVEN recorded work WHEN /webhooks/%s gets another topic THEN 400 naming both, and every row is kept",
    async (route, action) => {
      await recordWork();
      const before = {
        counts: await everything(),
        deliveries: await db.webhookDelivery.findMany({ orderBy: { id: "asc" } }),
        sessions: await db.session.findMany({ orderBy: { id: "asc" } }),
      };
      const other = route === "shop/redact" ? "orders/create" : "shop/redact";
      const body = other === "shop/redact" ? { shop_id: 1, shop_domain: SHOP } : MINIMAL_BODIES[other];

      const response = await callAction(
        action,
        signed(`/webhooks/${route}`, JSON.stringify(body), { "X-Shopify-Topic": other }),
      );

      expect({ status: response.status, reason: await response.text() }).toEqual({
        status: 400,
        reason: `X-Shopify-Topic ${other} does not belong on the ${route} route`,
      });
      expect({
        counts: await everything(),
        deliveries: await db.webhookDelivery.findMany({ orderBy: { id: "asc" } }),
        sessions: await db.session.findMany({ orderBy: { id: "asc" } }),
      }).toEqual(before);
    },
  );
});

describe("bad bodies stop at the door", () => {
  const CASES: [name: string, action: Action, route: string, raw: string, status: number, reason: string][] = [
    [
      "a body that isn't JSON (intake)",
      ordersCreate,
      "orders/create",
      "<order/>",
      400,
      "orders/create body is not JSON",
    ],
    ["a body that isn't JSON (compliance)", shopRedact, "shop/redact", "{oops", 400, "shop/redact body is not JSON"],
    ["a JSON array", ordersUpdated, "orders/updated", "[1,2]", 400, "orders/updated body is not a JSON object"],
    [
      "an order without its id",
      ordersUpdated,
      "orders/updated",
      '{"id":1,"updated_at":"2026-11-02T09:00:00-05:00"}',
      422,
      "orders/updated payload: admin_graphql_api_id is missing or not a gid://shopify/Order/ id",
    ],
    [
      "a level without its inventory item",
      inventoryLevelsUpdate,
      "inventory_levels/update",
      '{"location_id":1,"available":3}',
      422,
      "inventory_levels/update payload: inventory_item_id is missing",
    ],
    [
      "a customer redaction without the customer",
      customersRedact,
      "customers/redact",
      '{"shop_domain":"north-star.myshopify.com"}',
      422,
      "customers/redact payload: customer Invalid input: expected object, received undefined",
    ],
    [
      "a scopes update without its scopes",
      scopesUpdate,
      "app/scopes_update",
      '{"previous":[]}',
      422,
      "app/scopes_update payload: current Invalid input: expected array, received undefined",
    ],
  ];

  it.each(CASES)(
    "GIVEN %s THEN it is refused with the reason, and nothing is written",
    async (_, action, route, raw, status, reason) => {
      const before = await everything();

      const response = await callAction(action, signed(`/webhooks/${route}`, raw, { "X-Shopify-Topic": route }));

      expect({ status: response.status, reason: await response.text() }).toEqual({ status, reason });
      expect(await everything()).toEqual(before);
    },
  );

  it("GIVEN a shop domain that is not *.myshopify.com THEN 400 and nothing is stored", async () => {
    const response = await callAction(
      ordersCreate,
      signed("/webhooks/orders/create", JSON.stringify(MINIMAL_BODIES["orders/create"]), {
        "X-Shopify-Topic": "orders/create",
        "X-Shopify-Shop-Domain": "evil.example.com",
      }),
    );

    expect(response.status).toBe(400);
    expect(await response.text()).toBe('X-Shopify-Shop-Domain "evil.example.com" is not a myshopify.com domain');
    expect((await everything()).deliveries).toBe(0);
  });

  it("GIVEN SHOP_CUSTOM_DOMAIN THEN shops under that domain are accepted and look-alikes still refused", async () => {
    env.SHOP_CUSTOM_DOMAIN = "shop.dev";
    try {
      const deliver = (shop: string) =>
        callAction(
          ordersCreate,
          signed("/webhooks/orders/create", JSON.stringify(MINIMAL_BODIES["orders/create"]), {
            "X-Shopify-Topic": "orders/create",
            "X-Shopify-Shop-Domain": shop,
          }),
        );

      const statuses = [];
      for (const shop of ["north-star.shop.dev", "shop.dev.evil.com", "evil-shop.dev", "a.b.shop.dev"])
        statuses.push((await deliver(shop)).status);

      // As the library reads customShopDomains: a shop's name, then the domain (not the domain alone).
      expect(statuses).toEqual([200, 400, 400, 400]);
      expect(await db.webhookDelivery.findMany({ select: { shop: true } })).toEqual([{ shop: "north-star.shop.dev" }]);
    } finally {
      delete env.SHOP_CUSTOM_DOMAIN;
    }
  });

  it("GIVEN a body above the limit THEN 413, whether or not its length was declared", async () => {
    const big = JSON.stringify({ ...(MINIMAL_BODIES["orders/create"] as object), note: "x".repeat(MAX_WEBHOOK_BYTES) });
    const declared = signed("/webhooks/orders/create", big, { "X-Shopify-Topic": "orders/create" });
    const headers = new Headers(declared.headers);
    headers.set("Content-Length", String(Buffer.byteLength(big)));

    const withLength = await callAction(
      ordersCreate,
      new Request(declared.url, { method: "POST", headers, body: big }),
    );
    const withoutLength = await callAction(
      ordersCreate,
      signed("/webhooks/orders/create", big, { "X-Shopify-Topic": "orders/create" }),
    );

    expect([withLength.status, withoutLength.status]).toEqual([413, 413]);
    expect(await withoutLength.text()).toMatch(/above the limit of 1048576 bytes/);
    expect((await everything()).deliveries).toBe(0);
  });
});
