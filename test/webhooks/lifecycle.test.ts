import { beforeEach, describe, expect, it } from "vitest";

import db from "~/db.server";
import { action as customersDataRequest } from "~/routes/webhooks.customers.data_request";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { action as scopesUpdate } from "~/routes/webhooks.app.scopes_update";
import { action as shopRedact } from "~/routes/webhooks.shop.redact";
import { action as uninstalled } from "~/routes/webhooks.app.uninstalled";
import { sessionStorage } from "~/shopify.server";

import { callAction, signedWebhookRequest } from "../support/webhooks";

const SHOP = "north-star.myshopify.com";
const OTHER = "other-shop.myshopify.com";

async function seedShop(shop: string) {
  await db.session.create({
    data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: "token", scope: "read_orders" },
  });
  await db.shopSettings.create({ data: { shop } });
  await db.backorderLine.create({
    data: {
      shop,
      orderId: "gid://shopify/Order/1001",
      orderName: "#1001",
      orderedAt: new Date("2026-11-02T09:00:00Z"),
      lineItemId: `gid://shopify/LineItem/${shop.length}01`,
      title: "Trail shoe",
      quantity: 3,
      backorderedQty: 3,
      customerId: "gid://shopify/Customer/77",
      customerName: "Ada Lovelace",
      customerEmail: "ada@example.com",
    },
  });
  await db.flowTriggerUsage.create({
    data: { shop, trigger: "backorder-created", enabled: true, observedAt: new Date("2026-11-01T09:00:00Z") },
  });
  await db.lostSale.create({
    data: {
      shop,
      orderId: "gid://shopify/Order/1001",
      orderName: "#1001",
      title: "Trail shoe",
      quantity: 1,
      reason: "deadline",
    },
  });
}

async function countRows(shop: string) {
  return {
    sessions: await db.session.count({ where: { shop } }),
    settings: await db.shopSettings.count({ where: { shop } }),
    lines: await db.backorderLine.count({ where: { shop } }),
    lostSales: await db.lostSale.count({ where: { shop } }),
    compliance: await db.complianceRequest.count({ where: { shop } }),
    flowUsage: await db.flowTriggerUsage.count({ where: { shop } }),
  };
}

beforeEach(async () => {
  await db.$executeRawUnsafe('DELETE FROM "BackorderLine"');
  await db.$executeRawUnsafe('DELETE FROM "LostSale"');
  await db.$executeRawUnsafe('DELETE FROM "Session"');
  await db.$executeRawUnsafe('DELETE FROM "ShopSettings"');
  await db.$executeRawUnsafe('DELETE FROM "ComplianceRequest"');
  await db.$executeRawUnsafe('DELETE FROM "FlowTriggerUsage"');
  await seedShop(SHOP);
  await seedShop(OTHER);
});

const customerPayload = {
  shop_id: 954889,
  shop_domain: SHOP,
  customer: { id: 77, email: "ada@example.com", phone: null },
  orders_to_redact: [1001],
};

describe("app/uninstalled", () => {
  it("GIVEN a signed delivery WHEN it arrives THEN the shop's sessions are deleted and nothing else", async () => {
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
    expect(await countRows(SHOP)).toEqual({
      sessions: 0,
      settings: 1,
      lines: 1,
      lostSales: 1,
      compliance: 0,
      flowUsage: 1,
    });
    expect(await countRows(OTHER)).toEqual({
      sessions: 1,
      settings: 1,
      lines: 1,
      lostSales: 1,
      compliance: 0,
      flowUsage: 1,
    });
  });

  it("GIVEN the offline session was just loaded (kept briefly) WHEN the app is uninstalled THEN it is gone at once", async () => {
    expect((await sessionStorage.loadSession(`offline_${SHOP}`))?.accessToken).toBe("token");
    await db.session.update({ where: { id: `offline_${SHOP}` }, data: { accessToken: "rotated" } });
    // Within its short lifetime the kept session answers without a read.
    expect((await sessionStorage.loadSession(`offline_${SHOP}`))?.accessToken).toBe("token");

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
    expect(await sessionStorage.loadSession(`offline_${SHOP}`)).toBeUndefined();
    expect((await sessionStorage.loadSession(`offline_${OTHER}`))?.accessToken).toBe("token");
  });

  it("GIVEN a forged HMAC THEN 401 and the sessions stay", async () => {
    const response = await callAction(
      uninstalled,
      signedWebhookRequest({
        topic: "app/uninstalled",
        shop: SHOP,
        body: { id: 1 },
        secret: "forged",
        path: "/webhooks/app/uninstalled",
      }),
    );

    expect(response.status).toBe(401);
    expect((await countRows(SHOP)).sessions).toBe(1);
  });
});

describe("app/scopes_update", () => {
  it("stores the granted scopes on the shop's sessions", async () => {
    const response = await callAction(
      scopesUpdate,
      signedWebhookRequest({
        topic: "app/scopes_update",
        shop: SHOP,
        body: {
          id: 1,
          previous: ["read_orders"],
          current: ["read_orders", "write_orders"],
          updated_at: "2026-11-26T00:00:00Z",
        },
        path: "/webhooks/app/scopes_update",
      }),
    );

    expect(response.status).toBe(200);
    expect(await db.session.findMany({ select: { shop: true, scope: true }, orderBy: { shop: "asc" } })).toEqual(
      [
        { shop: SHOP, scope: "read_orders,write_orders" },
        { shop: OTHER, scope: "read_orders" },
      ].sort((a, b) => a.shop.localeCompare(b.shop)),
    );
  });
});

describe("compliance topics", () => {
  it("customers/data_request assembles the customer's data and records the request", async () => {
    const response = await callAction(
      customersDataRequest,
      signedWebhookRequest({
        topic: "customers/data_request",
        shop: SHOP,
        webhookId: "dr-1",
        body: { ...customerPayload, orders_to_redact: undefined, orders_requested: [1001], data_request: { id: 9999 } },
        path: "/webhooks/customers/data_request",
      }),
    );

    expect(response.status).toBe(200);
    const recorded = await db.complianceRequest.findMany({ where: { shop: SHOP } });
    expect(recorded).toHaveLength(1);
    expect(JSON.parse(recorded[0]!.result)).toEqual({
      backorderLines: [
        {
          orderName: "#1001",
          title: "Trail shoe",
          quantity: 3,
          status: "waiting",
          promisedAt: null,
          customerName: "Ada Lovelace",
          customerEmail: "ada@example.com",
        },
      ],
      lostSales: [{ orderName: "#1001", title: "Trail shoe", quantity: 1, reason: "deadline", at: expect.any(String) }],
      timeline: [],
      messages: [],
      webhookPayloads: [],
      earlierDataRequests: [],
    });
  });

  it("customers/redact removes the customer's identity from this shop only", async () => {
    const response = await callAction(
      customersRedact,
      signedWebhookRequest({
        topic: "customers/redact",
        shop: SHOP,
        body: customerPayload,
        path: "/webhooks/customers/redact",
      }),
    );

    expect(response.status).toBe(200);
    const customers = await db.backorderLine.findMany({
      select: { shop: true, customerId: true, customerName: true, customerEmail: true },
      orderBy: { shop: "asc" },
    });
    expect(customers).toEqual(
      [
        { shop: SHOP, customerId: null, customerName: null, customerEmail: null },
        {
          shop: OTHER,
          customerId: "gid://shopify/Customer/77",
          customerName: "Ada Lovelace",
          customerEmail: "ada@example.com",
        },
      ].sort((a, b) => a.shop.localeCompare(b.shop)),
    );
  });

  it("shop/redact deletes every row of the shop and keeps other shops", async () => {
    const response = await callAction(
      shopRedact,
      signedWebhookRequest({
        topic: "shop/redact",
        shop: SHOP,
        body: { shop_id: 954889, shop_domain: SHOP },
        path: "/webhooks/shop/redact",
      }),
    );

    expect(response.status).toBe(200);
    expect(await countRows(SHOP)).toEqual({
      sessions: 0,
      settings: 0,
      lines: 0,
      lostSales: 0,
      compliance: 1,
      flowUsage: 0,
    });
    expect(await countRows(OTHER)).toEqual({
      sessions: 1,
      settings: 1,
      lines: 1,
      lostSales: 1,
      compliance: 0,
      flowUsage: 1,
    });
  });

  it.each([
    ["customers/data_request", customersDataRequest],
    ["customers/redact", customersRedact],
    ["shop/redact", shopRedact],
  ] as const)("%s with a forged HMAC answers 401 and writes nothing", async (topic, handler) => {
    const before = await countRows(SHOP);

    const response = await callAction(
      handler,
      signedWebhookRequest({ topic, shop: SHOP, body: customerPayload, secret: "forged", path: `/webhooks/${topic}` }),
    );

    expect(response.status).toBe(401);
    expect(await countRows(SHOP)).toEqual(before);
    expect(await db.complianceRequest.count()).toBe(0);
  });
});
