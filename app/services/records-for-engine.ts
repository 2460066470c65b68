import type { BackorderLine as EngineLine, NoticeKind, RecordedLine, Settings as EngineSettings } from "../domain";
import type { BackorderLineRow } from "../models/backorders.server";
import type { Settings } from "../models/settings.server";

import { numericId } from "./shopify-values";

export { lineStatus } from "../domain";

/** The pipeline uses the variant GID as the engine's item, so per-variant caps apply as they are stored. */
export function engineSettings(settings: Settings): EngineSettings {
  return {
    allocationPolicy: settings.allocationPolicy,
    priorityTags: settings.priorityTags,
    allocationWindow: settings.allocationWindow,
    partialShipment: settings.partialShipment,
    thresholdPercent: settings.thresholdPercent,
    neverSplitProductIds: settings.neverSplitProducts,
    leadDays: settings.leadDays,
    reminderDays: settings.reminderDays,
    deadlineDays: settings.deadlineDays,
    consentRecorded: settings.consentRecorded,
    expiryAction: settings.expiryAction,
    backorderCap: settings.backorderCap,
    variantCaps: settings.variantCaps,
  };
}

/** `arrival` is its position among the lines being planned. */
export function engineLine(row: BackorderLineRow, arrival: number): EngineLine {
  const notices: NoticeKind[] = [];
  if (row.remindedAt) notices.push("reminder");
  if (row.delayNoticeAt) notices.push("delay_notice");
  if (row.expiredAt) notices.push("expire");
  return {
    lineId: row.lineItemId,
    orderId: row.orderId,
    itemId: row.variantId ?? row.lineItemId,
    productId: row.productId ?? "",
    price: row.unitPriceCents,
    orderedAt: row.orderedAt.getTime(),
    arrival,
    tags: JSON.parse(row.tags) as string[],
    shipBy: row.shipBy?.getTime() ?? null,
    ordered: row.quantity,
    shipped: row.shippedQty,
    reserved: row.reservedQty,
    backordered: row.backorderedQty,
    lost: row.lostQty,
    lostReason: (row.lostReason as EngineLine["lostReason"]) ?? null,
    losses: [],
    promisedAt: row.promisedAt?.getTime() ?? null,
    consent: row.consentUntil ? { recordedAt: row.consentUntil.getTime(), until: row.consentUntil.getTime() } : null,
    notices,
    lastShippedAt: null,
  };
}

export function recordedLine(row: BackorderLineRow): RecordedLine {
  return {
    recordId: row.id,
    lineItemId: row.lineItemId,
    ordered: row.quantity,
    shipped: row.shippedQty,
    reserved: row.reservedQty,
    backordered: row.backorderedQty,
    lost: row.lostQty,
    lostReason: (row.lostReason as RecordedLine["lostReason"]) ?? null,
    fulfillmentOrderId: row.fulfillmentOrderId,
    holdId: row.holdId,
    holdHandle: row.holdHandle,
  };
}

/**
 * Shopify's order times are to the second, so orders placed together tie; their ids grow with placement,
 * so ties go to the order (and line) Shopify created first, never to the order the app happened to see first.
 */
export function byPlacement(a: BackorderLineRow, b: BackorderLineRow): number {
  return (
    a.orderedAt.getTime() - b.orderedAt.getTime() ||
    compareIds(a.orderId, b.orderId) ||
    compareIds(a.lineItemId, b.lineItemId)
  );
}

function compareIds(a: string, b: string): number {
  const x = BigInt(numericId(a));
  const y = BigInt(numericId(b));
  return x < y ? -1 : x > y ? 1 : 0;
}
