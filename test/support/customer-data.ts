import { readFileSync } from "node:fs";

/**
 * Every text column of the schema, classified: those that can hold a customer's data are checked after
 * customers/redact (test/pipeline/redaction.test.ts in process, test/live/production-intake.test.ts against the
 * built app); a new column fails the redaction test until it is classified here.
 */
export const CUSTOMER_DATA = [
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
  "CustomerMessage.recipient",
  "CustomerMessage.error",
] as const;
/** The merchant's own staff (online sessions), not their customers. */
export const STAFF_DATA = ["Session.firstName", "Session.lastName", "Session.email"];

export function textColumns(): string[] {
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

/** Reads one column's values for one shop: the test's own Prisma client, or a client on the app's SQLite file. */
export type ColumnReader = (sql: string, shop: string) => Promise<{ value: string | null }[]>;

/** The customer-data columns of `shop` in which any of `needles` appears (case-insensitive), each named once. */
export async function columnsNaming(read: ColumnReader, shop: string, needles: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const column of CUSTOMER_DATA) {
    const [model, field] = column.split(".");
    const rows = await read(`SELECT "${field}" AS value FROM "${model}" WHERE "shop" = ?`, shop);
    const text = rows.map((row) => (row.value ?? "").toLowerCase());
    if (needles.some((needle) => text.some((value) => value.includes(needle.toLowerCase())))) found.push(column);
  }
  return found;
}

/** Ids, statuses, settings, product data and sums: none of it is about a customer. */
export const NO_CUSTOMER_DATA: readonly string[] = [
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
  // The customer's page: an order id, a random nonce, the form's action and a token's hash.
  "OrderAccess.shop",
  "OrderAccess.orderId",
  "OrderAccess.nonce",
  "FormToken.id",
  "FormToken.shop",
  "FormToken.orderId",
  "FormToken.action",
  "FormToken.tokenHash",
  // The shop's own mail server, not its customers'.
  "MailSettings.shop",
  "MailSettings.host",
  "MailSettings.username",
  "MailSettings.passwordSealed",
  "MailSettings.fromAddress",
  "CustomerMessage.id",
  "CustomerMessage.shop",
  "CustomerMessage.key",
  "CustomerMessage.orderId",
  "CustomerMessage.kind",
  // Products, units, dates and amounts: no one named (app/services/messages/render.ts).
  "CustomerMessage.facts",
  "CustomerMessage.status",
  "CustomerMessage.locale",
  "CustomerMessage.messageId",
  // What a delay notice said: ids and its kind (first | renewed); its dates and flags are not text.
  "DelayNotice.id",
  "DelayNotice.shop",
  "DelayNotice.orderId",
  "DelayNotice.backorderLineId",
  "DelayNotice.kind",
];
