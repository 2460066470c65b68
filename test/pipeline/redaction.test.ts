import { afterAll, beforeAll, describe, expect, it } from "vitest";

import db from "~/db.server";
import { saveShopSmtp } from "~/services/admin/mail-settings.server";

import {
  columnsNaming,
  CUSTOMER_DATA,
  NO_CUSTOMER_DATA,
  STAFF_DATA,
  textColumns,
  type ColumnReader,
} from "../support/customer-data";
import { startSmtp, type TestSmtp } from "../support/smtp";
import { TEST_SECRET } from "../support/webhooks";
import { startPipeline, type Pipeline } from "./harness";

const SHOP = "redaction.myshopify.com";
const ADA = { email: "augusta.lovelace@example.com", firstName: "Augusta", lastName: "Lovelace" };
const BEN = { email: "benedict.cumber@example.com", firstName: "Benedict", lastName: "Cumber" };

const readColumn: ColumnReader = (sql, shop) => db.$queryRawUnsafe(sql, shop);

const names = (person: typeof ADA, customerId: number) => [
  person.email,
  person.firstName,
  person.lastName,
  `gid://shopify/Customer/${customerId}`,
];

describe("customers/redact leaves nothing of the customer", () => {
  let pipeline: Pipeline;
  let smtp: TestSmtp;
  let answered: { messages: unknown[] } = { messages: [] };
  let ada = 0;
  let ben = 0;

  beforeAll(async () => {
    pipeline = await startPipeline();
    smtp = await startSmtp();
    // The customers are e-mailed too: each message records its address.
    const { locationId } = await pipeline.install(SHOP, { allocationPolicy: "fifo", emailEnabled: true });
    const mail = { host: "127.0.0.1", port: smtp.port, secure: false, username: smtp.user, password: smtp.password };
    await saveShopSmtp({ db, secret: TEST_SECRET }, SHOP, { ...mail, fromAddress: "shop@example.com" });
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
    const [request] = await db.complianceRequest.findMany({ where: { shop: SHOP, topic: "CUSTOMERS_DATA_REQUEST" } });
    answered = JSON.parse(request!.result) as { messages: unknown[] };
    await pipeline.shopify.control.customerCompliance(SHOP, ada, "redact");
    await pipeline.drain();
  });

  afterAll(async () => {
    await pipeline.stop();
    await smtp.stop();
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
    expect(await columnsNaming(readColumn, SHOP, names(ADA, ada))).toEqual([]);
  });

  it("the data request before it listed the e-mails sent to the customer", () => {
    expect(answered.messages).toEqual([
      {
        orderId: expect.any(String),
        kind: "confirmation",
        status: "sent",
        to: ADA.email,
        locale: "en",
        at: expect.any(String),
      },
    ]);
  });

  it("keeps the other customer's data", async () => {
    const lines = await db.backorderLine.findMany({ where: { shop: SHOP }, orderBy: { orderName: "asc" } });
    expect(lines.map((line) => line.customerName)).toEqual([null, `${BEN.firstName} ${BEN.lastName}`]);
    expect(lines[1]!.customerId).toBe(`gid://shopify/Customer/${ben}`);
    const messages = await db.customerMessage.findMany({ where: { shop: SHOP }, orderBy: { createdAt: "asc" } });
    expect(messages.map((message) => [message.status, message.recipient])).toEqual([
      ["sent", null],
      ["sent", BEN.email],
    ]);
    expect(smtp.received).toHaveLength(2);
  });

  it("recorded the redaction without the customer in it", async () => {
    const requests = await db.complianceRequest.findMany({ where: { shop: SHOP }, orderBy: { receivedAt: "asc" } });
    expect(requests.map((request) => request.topic)).toEqual(["CUSTOMERS_DATA_REQUEST", "CUSTOMERS_REDACT"]);
    expect(JSON.parse(requests[1]!.result)).toMatchObject({ redactedLines: 1, redactedRequests: 1 });
  });
});

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
