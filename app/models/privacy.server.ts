import type { Db } from "../db.server";
import { forgetShopSessions } from "./session-cache.server";

// test/pipeline/privacy.test.ts classifies every text column of the schema as customer data or not.
export interface CustomerRef {
  customerId: string | null;
  email: string | null;
  orderIds: string[];
}

function customerWhere(shop: string, customer: CustomerRef) {
  const or: object[] = [];
  if (customer.customerId) or.push({ customerId: customer.customerId });
  if (customer.email) or.push({ customerEmail: customer.email });
  if (customer.orderIds.length > 0) or.push({ orderId: { in: customer.orderIds } });
  return { shop, OR: or.length > 0 ? or : [{ id: "" }] };
}

export async function findCustomerData(db: Db, shop: string, customer: CustomerRef) {
  const lines = await db.backorderLine.findMany({
    where: customerWhere(shop, customer),
    orderBy: { orderedAt: "asc" },
  });
  const orderIds = [...new Set([...customer.orderIds, ...lines.map((line) => line.orderId)])];
  const lostSales = await db.lostSale.findMany({
    where: { shop, orderId: { in: orderIds } },
    orderBy: { at: "asc" },
  });
  const timeline = await db.timelineEvent.findMany({
    where: { shop, orderId: { in: orderIds } },
    orderBy: [{ at: "asc" }, { id: "asc" }],
    select: { orderId: true, kind: true, quantity: true, detail: true, at: true },
  });
  const messages = await db.customerMessage.findMany({
    where: { shop, OR: [{ orderId: { in: orderIds } }, ...(customer.email ? [{ recipient: customer.email }] : [])] },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { orderId: true, kind: true, status: true, recipient: true, locale: true, createdAt: true, sentAt: true },
  });
  return { lines, lostSales, timeline, messages, orderIds };
}

export async function redactCustomer(db: Db, shop: string, customer: CustomerRef): Promise<number> {
  // The e-mails sent about the customer's orders keep what they said, not to whom (CustomerMessage).
  const lines = await db.backorderLine.findMany({ where: customerWhere(shop, customer), select: { orderId: true } });
  const orderIds = [...new Set([...customer.orderIds, ...lines.map((line) => line.orderId)])];
  await db.customerMessage.updateMany({
    where: { shop, OR: [{ orderId: { in: orderIds } }, ...(customer.email ? [{ recipient: customer.email }] : [])] },
    data: { recipient: null, error: null },
  });
  const { count } = await db.backorderLine.updateMany({
    where: customerWhere(shop, customer),
    data: { customerId: null, customerName: null, customerEmail: null },
  });
  return count;
}

/** shop/redact: 48 hours after uninstall Shopify asks for every row of the shop to go. */
export async function deleteShopData(db: Db, shop: string) {
  const { rollups, counted, uncounted } = shopDeletions(db, shop);
  const results = await db.$transaction([...rollups, ...Object.values(counted), ...uncounted]);
  forgetShopSessions(shop);
  return countsOf(counted, results.slice(rollups.length));
}

/** Each named deletion's count under its name; `results` are in the names' order. */
function countsOf<Name extends string>(named: Record<Name, unknown>, results: { count: number }[]) {
  const names = Object.keys(named) as Name[];
  return Object.fromEntries(names.map((name, index) => [name, results[index]!.count])) as Record<Name, number>;
}

/** Every table of the shop, in the order the wipe runs; `counted` names what the compliance record reports. */
function shopDeletions(db: Db, shop: string) {
  const where = { where: { shop } };
  return {
    // The Analytics rollups go first: then each raw row's trigger finds nothing left to change.
    rollups: [
      db.lostSaleDay.deleteMany(where),
      db.lostSaleProductDay.deleteMany(where),
      db.lostSaleProductWeek.deleteMany(where),
      db.backorderDay.deleteMany(where),
      db.openBackorders.deleteMany(where),
      db.analyticsLine.deleteMany(where),
    ],
    counted: {
      timelineEvents: db.timelineEvent.deleteMany(where),
      backorderLines: db.backorderLine.deleteMany(where),
      lostSales: db.lostSale.deleteMany(where),
      jobs: db.job.deleteMany(where),
      webhookDeliveries: db.webhookDelivery.deleteMany(where),
      effects: db.effectLedger.deleteMany(where),
      settings: db.shopSettings.deleteMany(where),
      sessions: db.session.deleteMany(where),
      syncRuns: db.syncRun.deleteMany(where),
      flowTriggerUsages: db.flowTriggerUsage.deleteMany(where),
      flowTriggerEvents: db.flowTriggerEvent.deleteMany(where),
      pendingAllocations: db.pendingAllocation.deleteMany(where),
      restockDates: db.restockDate.deleteMany(where),
      incomingStock: db.incomingStock.deleteMany(where),
      sellingVariants: db.sellingVariant.deleteMany(where),
    },
    uncounted: [
      db.orderAccess.deleteMany(where),
      db.formToken.deleteMany(where),
      db.customerMessage.deleteMany(where),
      db.mailSettings.deleteMany(where),
      // Also gone with their lines (cascade); named so that no table of the shop is left to chance.
      db.delayNotice.deleteMany(where),
    ],
  };
}

export async function complianceRequestsOf(db: Db, shop: string, topic: string) {
  return db.complianceRequest.findMany({
    where: { shop, topic },
    orderBy: { receivedAt: "asc" },
    select: { id: true, webhookId: true, payload: true, result: true, receivedAt: true },
  });
}

/** Rewrites what a compliance request recorded (customers/redact takes the customer out of earlier ones). */
export async function rewriteComplianceRequest(
  db: Db,
  shop: string,
  id: string,
  record: { payload: unknown; result: unknown },
): Promise<void> {
  await db.complianceRequest.updateMany({
    where: { id, shop },
    data: { payload: JSON.stringify(record.payload), result: JSON.stringify(record.result) },
  });
}

export async function recordComplianceRequest(
  db: Db,
  request: { shop: string; topic: string; webhookId: string; payload: unknown; result: unknown },
): Promise<void> {
  // A redelivered request (same webhook id) is answered again but recorded once.
  await db.complianceRequest.upsert({
    where: { shop_webhookId: { shop: request.shop, webhookId: request.webhookId } },
    create: {
      shop: request.shop,
      topic: request.topic,
      webhookId: request.webhookId,
      payload: JSON.stringify(request.payload),
      result: JSON.stringify(request.result),
    },
    update: {},
  });
}
