import type { Db } from "../db.server";
import {
  deleteShopData,
  findCustomerData,
  recordComplianceRequest,
  redactCustomer,
  type CustomerRef,
} from "../models/privacy.server";
import { CustomerPayload } from "./webhook-payloads";

function customerRef(payload: unknown): CustomerRef {
  const parsed = CustomerPayload.parse(payload);
  return {
    customerId: parsed.customer.id ? `gid://shopify/Customer/${parsed.customer.id}` : null,
    email: parsed.customer.email ?? null,
    orderIds: (parsed.orders_to_redact ?? parsed.orders_requested ?? []).map((id) => `gid://shopify/Order/${id}`),
  };
}

export interface ComplianceDelivery {
  shop: string;
  topic: string;
  webhookId: string;
  payload: unknown;
}

/** customers/data_request: assemble what the app holds on the customer, for the merchant to send on. */
export async function handleCustomerDataRequest(db: Db, delivery: ComplianceDelivery) {
  const data = await findCustomerData(db, delivery.shop, customerRef(delivery.payload));
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
  };
  await recordComplianceRequest(db, { ...delivery, result });
  return result;
}

export async function handleCustomerRedact(db: Db, delivery: ComplianceDelivery) {
  const redactedLines = await redactCustomer(db, delivery.shop, customerRef(delivery.payload));
  const result = { redactedLines };
  await recordComplianceRequest(db, { ...delivery, result });
  return result;
}

export async function handleShopRedact(db: Db, delivery: ComplianceDelivery) {
  const result = await deleteShopData(db, delivery.shop);
  // The request itself is recorded after the wipe: it is the proof that the shop was redacted.
  await recordComplianceRequest(db, { ...delivery, result });
  return result;
}
