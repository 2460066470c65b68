import { readFileSync } from "node:fs";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import db from "~/db.server";

import { startPipeline, type Pipeline } from "./harness";

/**
 * Every text column of the schema, classified: those that can hold a customer's data are checked after
 * customers/redact; a new column fails this test until it is classified here.
 */
const CUSTOMER_DATA = [
  "WebhookDelivery.payload",
  "Job.payload",
  "Job.lastError",
  "EffectLedger.result",
  "BackorderLine.customerId",
  "BackorderLine.customerName",
  "BackorderLine.customerEmail",
  "BackorderLine.tags",
  "TimelineEvent.detail",
  "ComplianceRequest.payload",
  "ComplianceRequest.result",
  "SyncRun.detail",
  "SyncRun.error",
] as const;
/** The merchant's own staff (online sessions), not their customers. */
const STAFF_DATA = ["Session.firstName", "Session.lastName", "Session.email"];

function textColumns(): string[] {
  const schema = readFileSync("prisma/schema.prisma", "utf8");
  const columns: string[] = [];
  let model = "";
  for (const line of schema.split("\n")) {
    const start = /^model (\w+) \{/.exec(line);
    if (start) model = start[1]!;
    const field = /^\s+(\w+)\s+(String|Json)\??(\s|$)/.exec(line);
    if (model && field) columns.push(`${model}.${field[1]}`);
    if (line.startsWith("}")) model = "";
  }
  return columns;
}

const SHOP = "redaction.myshopify.com";
const ADA = { email: "augusta.lovelace@example.com", firstName: "Augusta", lastName: "Lovelace" };
const BEN = { email: "benedict.cumber@example.com", firstName: "Benedict", lastName: "Cumber" };

async function values(column: string, shop: string): Promise<string[]> {
  const [model, field] = column.split(".");
  const rows = await db.$queryRawUnsafe<{ value: string | null }[]>(
    `SELECT "${field}" AS value FROM "${model}" WHERE "shop" = ?`,
    shop,
  );
  return rows.map((row) => row.value ?? "");
}

const names = (person: typeof ADA, customerId: number) => [
  person.email,
  person.firstName,
  person.lastName,
  `gid://shopify/Customer/${customerId}`,
];

describe("customers/redact leaves nothing of the customer", () => {
  let pipeline: Pipeline;
  let ada = 0;
  let ben = 0;

  beforeAll(async () => {
    pipeline = await startPipeline();
    const { locationId } = await pipeline.install(SHOP, { allocationPolicy: "fifo" });
    await pipeline.turnOnWorkflows(SHOP);
    const product = await pipeline.shopify.control.createProduct(SHOP, {
      title: "Wool throw",
      variants: [{ sku: "THROW", price: "90.00", inventoryPolicy: "CONTINUE", available: { [locationId]: 0 } }],
    });
    for (const person of [ADA, BEN]) {
      const order = await pipeline.shopify.control.placeOrder(SHOP, {
        customer: person,
        lines: [{ variantId: product.variants[0]!.id, quantity: 1 }],
      });
      if (person === ADA) ada = order.customerId!;
      else ben = order.customerId!;
    }
    await pipeline.drain();
    // A data request first: its recorded answer names the customer too.
    await pipeline.shopify.control.customerCompliance(SHOP, ada, "data-request");
    await pipeline.drain();
    await pipeline.shopify.control.customerCompliance(SHOP, ada, "redact");
    await pipeline.drain();
  });

  afterAll(async () => {
    await pipeline.stop();
  });

  it("classifies every text column of the schema", () => {
    const classified = new Set<string>([...CUSTOMER_DATA, ...STAFF_DATA]);
    const unclassified = textColumns().filter(
      (column) => !classified.has(column) && !NO_CUSTOMER_DATA.includes(column),
    );
    expect(unclassified).toEqual([]);
    expect([...classified, ...NO_CUSTOMER_DATA].filter((column) => !textColumns().includes(column))).toEqual([]);
  });

  it("GIVEN the customer's orders went through the pipeline THEN after customers/redact no column names them", async () => {
    const found: string[] = [];
    for (const column of CUSTOMER_DATA) {
      for (const value of await values(column, SHOP)) {
        for (const name of names(ADA, ada)) if (value.toLowerCase().includes(name.toLowerCase())) found.push(column);
      }
    }
    expect([...new Set(found)]).toEqual([]);
  });

  it("keeps the other customer's data", async () => {
    const lines = await db.backorderLine.findMany({ where: { shop: SHOP }, orderBy: { orderName: "asc" } });
    expect(lines.map((line) => line.customerName)).toEqual([null, `${BEN.firstName} ${BEN.lastName}`]);
    expect(lines[1]!.customerId).toBe(`gid://shopify/Customer/${ben}`);
  });

  it("recorded the redaction without the customer in it", async () => {
    const requests = await db.complianceRequest.findMany({ where: { shop: SHOP }, orderBy: { receivedAt: "asc" } });
    expect(requests.map((request) => request.topic)).toEqual(["CUSTOMERS_DATA_REQUEST", "CUSTOMERS_REDACT"]);
    expect(JSON.parse(requests[1]!.result)).toMatchObject({ redactedLines: 1, redactedRequests: 1 });
  });
});

/** Ids, statuses, settings, product data and sums: none of it is about a customer. */
const NO_CUSTOMER_DATA: readonly string[] = [
  "Session.id",
  "Session.shop",
  "Session.state",
  "Session.scope",
  "Session.accessToken",
  "Session.locale",
  "Session.refreshToken",
  "ShopSettings.shop",
  "ShopSettings.allocationPolicy",
  "ShopSettings.priorityTags",
  "ShopSettings.allocationWindow",
  "ShopSettings.cutoffTime",
  "ShopSettings.partialShipment",
  "ShopSettings.neverSplitProducts",
  "ShopSettings.expiryAction",
  "ShopSettings.variantCaps",
  "ShopSettings.orderTag",
  "ShopSettings.badgeText",
  "WebhookDelivery.id",
  "WebhookDelivery.shop",
  "WebhookDelivery.webhookId",
  "WebhookDelivery.topic",
  "WebhookDelivery.apiVersion",
  "WebhookDelivery.eventId",
  "WebhookDelivery.resourceId",
  "Job.id",
  "Job.shop",
  "Job.type",
  "Job.lockKey",
  "Job.dedupeKey",
  "Job.status",
  "Job.lockedBy",
  "EffectLedger.id",
  "EffectLedger.shop",
  "EffectLedger.key",
  "EffectLedger.kind",
  "BackorderLine.id",
  "BackorderLine.shop",
  "BackorderLine.orderId",
  "BackorderLine.orderName",
  "BackorderLine.lineItemId",
  "BackorderLine.variantId",
  "BackorderLine.productId",
  "BackorderLine.inventoryItemId",
  "BackorderLine.locationId",
  "BackorderLine.sku",
  "BackorderLine.title",
  "BackorderLine.currency",
  "BackorderLine.lostReason",
  "BackorderLine.status",
  "BackorderLine.fulfillmentOrderId",
  "BackorderLine.holdId",
  "BackorderLine.holdHandle",
  "BackorderLine.promisedBasis",
  "RestockDate.id",
  "RestockDate.shop",
  "RestockDate.ownerId",
  "RestockDate.productId",
  "RestockDate.sku",
  "IncomingStock.id",
  "IncomingStock.shop",
  "IncomingStock.inventoryItemId",
  "IncomingStock.variantId",
  "IncomingStock.locationId",
  "IncomingStock.sourceId",
  "IncomingStock.transferId",
  "SellingVariant.shop",
  "SellingVariant.variantId",
  "SellingVariant.productId",
  "SellingVariant.inventoryItemId",
  "SellingVariant.productTitle",
  "SellingVariant.title",
  "SellingVariant.sku",
  "SellingVariant.syncRun",
  "TimelineEvent.id",
  "TimelineEvent.shop",
  "TimelineEvent.orderId",
  "TimelineEvent.backorderLineId",
  "TimelineEvent.kind",
  "LostSale.id",
  "LostSale.shop",
  "LostSale.orderId",
  "LostSale.orderName",
  "LostSale.lineItemId",
  "LostSale.variantId",
  "LostSale.productId",
  "LostSale.sku",
  "LostSale.title",
  "LostSale.currency",
  "LostSale.reason",
  "LostSaleDay.shop",
  "LostSaleDay.day",
  "LostSaleDay.reason",
  "LostSaleProductDay.shop",
  "LostSaleProductDay.day",
  "LostSaleProductDay.productKey",
  "LostSaleProductDay.title",
  "LostSaleProductWeek.shop",
  "LostSaleProductWeek.week",
  "LostSaleProductWeek.productKey",
  "LostSaleProductWeek.title",
  "BackorderDay.shop",
  "BackorderDay.day",
  "OpenBackorders.shop",
  "AnalyticsLine.lineId",
  "AnalyticsLine.shop",
  "ComplianceRequest.id",
  "ComplianceRequest.shop",
  "ComplianceRequest.topic",
  "ComplianceRequest.webhookId",
  "SyncRun.id",
  "SyncRun.shop",
  "SyncRun.kind",
  "SyncRun.status",
  "SyncRun.bulkOperationId",
  "FlowTriggerUsage.id",
  "FlowTriggerUsage.shop",
  "FlowTriggerUsage.trigger",
  // Flow payloads name the order by id and carry units, a product title and dates (extensions/flow-*).
  "FlowTriggerEvent.id",
  "FlowTriggerEvent.shop",
  "FlowTriggerEvent.key",
  "FlowTriggerEvent.handle",
  "FlowTriggerEvent.payload",
  "FlowTriggerEvent.status",
  "FlowTriggerEvent.error",
  "PendingAllocation.id",
  "PendingAllocation.shop",
  "PendingAllocation.inventoryItemId",
  "PendingAllocation.grants",
];

describe("raw payloads of deliveries that never succeeded", () => {
  it("GIVEN one older than the retention and one newer THEN the daily retention reduces the older only", async () => {
    const { runPayloadRetention } = await import("~/services/compliance.server");
    const shop = "retention.myshopify.com";
    const now = new Date("2026-12-01T00:00:00Z");
    const raw = JSON.stringify({
      admin_graphql_api_id: "gid://shopify/Order/7",
      updated_at: "2026-11-01T00:00:00-05:00",
      email: ADA.email,
      customer: { id: 7, first_name: ADA.firstName },
      line_items: [],
    });
    for (const [webhookId, days] of [
      ["old", 15],
      ["new", 13],
    ] as const) {
      await db.webhookDelivery.create({
        data: {
          shop,
          webhookId,
          topic: "orders/create",
          payload: raw,
          receivedAt: new Date(now.getTime() - days * 86_400_000),
        },
      });
    }

    expect(await runPayloadRetention(db, shop, now)).toEqual({ kind: "payloads_reduced", count: 1 });

    const rows = await db.webhookDelivery.findMany({ where: { shop }, orderBy: { webhookId: "asc" } });
    expect(rows.map((row) => [row.webhookId, row.payload.includes(ADA.email)])).toEqual([
      ["new", true],
      ["old", false],
    ]);
    expect(JSON.parse(rows[1]!.payload)).toEqual({
      admin_graphql_api_id: "gid://shopify/Order/7",
      updated_at: "2026-11-01T00:00:00-05:00",
      line_items: [],
    });
  });
});
