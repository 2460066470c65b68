import type { Db } from "../db.server";
import { rawDeliveriesMentioning, reduceDeliveryPayloads, reduceExpiredPayloads } from "../models/deliveries.server";
import {
  complianceRequestsOf,
  deleteShopData,
  findCustomerData,
  recordComplianceRequest,
  redactCustomer,
  rewriteComplianceRequest,
  type CustomerRef,
} from "../models/privacy.server";
import { CustomerPayload, customerOfPayload, reducedPayload } from "./webhook-payloads";

function customerRef(payload: unknown): CustomerRef {
  const parsed = CustomerPayload.parse(payload);
  return {
    customerId: parsed.customer.id ? `gid://shopify/Customer/${parsed.customer.id}` : null,
    email: parsed.customer.email ?? null,
    orderIds: (parsed.orders_to_redact ?? parsed.orders_requested ?? []).map((id) => `gid://shopify/Order/${id}`),
  };
}

function withoutCustomer(payload: unknown): Record<string, unknown> {
  const source = payload && typeof payload === "object" ? (payload as Record<string, unknown>) : {};
  const kept: Record<string, unknown> = {};
  for (const key of ["shop_id", "shop_domain", "orders_to_redact", "orders_requested", "data_request"]) {
    if (key in source) kept[key] = source[key];
  }
  return kept;
}

const numericId = (gid: string | null) => (gid ? (/(\d+)$/.exec(gid)?.[1] ?? null) : null);

/** The raw payloads about the customer, each checked exactly (the query is a coarse filter). */
async function customerDeliveries(db: Db, shop: string, customer: CustomerRef, orderIds: readonly string[]) {
  const id = numericId(customer.customerId);
  const email = customer.email?.toLowerCase() ?? null;
  const candidates = await rawDeliveriesMentioning(db, shop, {
    orderIds,
    needles: [...(email ? [email] : []), ...(id ? [id] : [])],
  });
  const orders = new Set(orderIds);
  return candidates.filter((row) => {
    const named = customerOfPayload(row.payload);
    return (
      (id !== null && named.customerIds.includes(id)) ||
      (email !== null && named.emails.includes(email)) ||
      (row.resourceId !== null && orders.has(row.resourceId)) ||
      (named.orderId !== null && orders.has(named.orderId))
    );
  });
}

function sameCustomer(payload: string, customer: CustomerRef): boolean {
  const named = customerOfPayload(payload);
  const id = numericId(customer.customerId);
  const email = customer.email?.toLowerCase() ?? null;
  return (id !== null && named.customerIds.includes(id)) || (email !== null && named.emails.includes(email));
}

/** The topic as the webhook's verification reports it. */
const DATA_REQUEST_TOPIC = "CUSTOMERS_DATA_REQUEST";

export interface ComplianceDelivery {
  shop: string;
  topic: string;
  webhookId: string;
  payload: unknown;
}

/** Every place that can hold the customer, for the merchant to send on. */
export async function handleCustomerDataRequest(db: Db, delivery: ComplianceDelivery) {
  const customer = customerRef(delivery.payload);
  const data = await findCustomerData(db, delivery.shop, customer);
  const deliveries = await customerDeliveries(db, delivery.shop, customer, data.orderIds);
  const earlier = (await complianceRequestsOf(db, delivery.shop, DATA_REQUEST_TOPIC)).filter(
    (request) => request.webhookId !== delivery.webhookId && sameCustomer(request.payload, customer),
  );
  const result = {
    backorderLines: data.lines.map((line) => ({
      orderName: line.orderName,
      title: line.title,
      quantity: line.quantity,
      status: line.status,
      promisedAt: line.promisedAt?.toISOString() ?? null,
      customerName: line.customerName,
      customerEmail: line.customerEmail,
    })),
    lostSales: data.lostSales.map((sale) => ({
      orderName: sale.orderName,
      title: sale.title,
      quantity: sale.quantity,
      reason: sale.reason,
      at: sale.at.toISOString(),
    })),
    timeline: data.timeline.map((event) => ({
      orderId: event.orderId,
      kind: event.kind,
      quantity: event.quantity,
      detail: JSON.parse(event.detail) as unknown,
      at: event.at.toISOString(),
    })),
    // The e-mails the app sent about their orders (docs/decisions/0023-customer-email.md).
    messages: data.messages.map((message) => ({
      orderId: message.orderId,
      kind: message.kind,
      status: message.status,
      to: message.recipient,
      locale: message.locale,
      at: (message.sentAt ?? message.createdAt).toISOString(),
    })),
    // Shopify's own payloads as received, until their job has run (then only ids and timestamps are kept).
    webhookPayloads: deliveries.map((row) => ({
      topic: row.topic,
      receivedAt: row.receivedAt.toISOString(),
      payload: row.payload,
    })),
    earlierDataRequests: earlier.map((request) => ({ receivedAt: request.receivedAt.toISOString() })),
  };
  await recordComplianceRequest(db, { ...delivery, result });
  return result;
}

/** Raw payloads of their orders are reduced to what processing reads: pending jobs still run. */
export async function handleCustomerRedact(db: Db, delivery: ComplianceDelivery, now: Date = new Date()) {
  const customer = customerRef(delivery.payload);
  const { orderIds } = await findCustomerData(db, delivery.shop, customer);
  const redactedLines = await redactCustomer(db, delivery.shop, customer);
  const deliveries = await customerDeliveries(db, delivery.shop, customer, orderIds);
  const reducedPayloads = await reduceDeliveryPayloads(db, delivery.shop, deliveries, now, reducedPayload);
  let redactedRequests = 0;
  for (const request of await complianceRequestsOf(db, delivery.shop, DATA_REQUEST_TOPIC)) {
    if (!sameCustomer(request.payload, customer)) continue;
    await rewriteComplianceRequest(db, delivery.shop, request.id, {
      payload: withoutCustomer(JSON.parse(request.payload)),
      result: { redacted: now.toISOString(), by: delivery.webhookId },
    });
    redactedRequests++;
  }
  const result = { redactedLines, reducedPayloads, redactedRequests };
  await recordComplianceRequest(db, { ...delivery, payload: withoutCustomer(delivery.payload), result });
  return result;
}

export async function handleShopRedact(db: Db, delivery: ComplianceDelivery) {
  const result = await deleteShopData(db, delivery.shop);
  // The request itself is recorded after the wipe: it is the proof that the shop was redacted.
  await recordComplianceRequest(db, { ...delivery, result });
  return result;
}

export async function runPayloadRetention(db: Db, shop: string, now: Date) {
  return { kind: "payloads_reduced", count: await reduceExpiredPayloads(db, shop, now, reducedPayload) };
}
