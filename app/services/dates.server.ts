import { createHash } from "node:crypto";

import {
  nextUnitDate,
  promisedDates,
  type DatedLine,
  type IncomingBatch,
  type LineDate,
  type MerchantDate,
} from "../domain";
import {
  applyLineChanges,
  findOpenLinesForItem,
  type BackorderLineRow,
  type LineUpdate,
  type NewTimelineEvent,
} from "../models/backorders.server";
import {
  findIncoming,
  findRestockDates,
  itemsOfIncomingSource,
  replaceIncoming,
  type IncomingRow,
} from "../models/dates.server";
import { queueCustomerMessages } from "../models/customer-messages.server";
import { queueFlowEvents } from "../models/flow-events.server";
import { latestEffect } from "../models/ledger.server";
import { BackorderIncomingDocument, BackorderShipmentItemsDocument } from "../shopify/generated/operations";
import type { Pipeline } from "./pipeline.server";
import { byPlacement, engineLine, engineSettings } from "./records-for-engine";
import { numericId } from "./shopify-values";
import {
  deleteMetafields,
  FLOW_TRIGGERS,
  flowEvent,
  sendQueuedFlows,
  setMetafields,
  variantDatesToWrite,
} from "./apply";
import { delayMessage } from "./messages/compose";
import { variantDateIdentifier, variantDateMetafield } from "./metafields";
import { orderStatusMetafield } from "./order-status.server";

// Promised dates kept true: docs/decisions/0019-promised-dates.md

export interface ItemRef {
  inventoryItemId: string;
  variantId: string;
  productId: string | null;
}

const day = (at: number | Date) => new Date(at).toISOString().slice(0, 10);

/** A variant's own row, else its product's; the shop's lead days are the engine's. */
export async function merchantDateFor(p: Pipeline, variantId: string, productId: string | null): Promise<MerchantDate> {
  const rows = await findRestockDates(p.db, p.shop, productId ? [variantId, productId] : [variantId]);
  const row = rows.find((r) => r.ownerId === variantId) ?? rows.find((r) => r.ownerId === productId);
  return { expectedAt: row?.expectedAt?.getTime() ?? null, leadDays: row?.leadDays ?? null };
}

export async function storedBatches(p: Pipeline, inventoryItemId: string): Promise<IncomingBatch[]> {
  return (await findIncoming(p.db, p.shop, [inventoryItemId])).map((row) => ({
    id: row.sourceId,
    locationId: row.locationId,
    quantity: row.quantity,
    arrivesAt: row.arrivesAt.getTime(),
  }));
}

export function datedLine(row: BackorderLineRow, arrival: number): DatedLine {
  const line = engineLine(row, arrival);
  return {
    ...line,
    remaining: row.backorderedQty,
    locationId: row.locationId,
    promised: row.promisedAt && row.promisedBasis ? { at: row.promisedAt.getTime(), basis: row.promisedBasis } : null,
  };
}

/** `extra`: lines not recorded yet (an order being detected). Reads only the database. */
export async function planItemDates(p: Pipeline, item: ItemRef, extra: readonly DatedLine[] = []) {
  const rows = (await findOpenLinesForItem(p.db, p.shop, item.inventoryItemId))
    .filter((row) => row.backorderedQty > 0)
    .sort(byPlacement);
  const lines = [...rows.map(datedLine), ...extra.map((line, i) => ({ ...line, arrival: rows.length + i }))];
  const batches = await storedBatches(p, item.inventoryItemId);
  const merchant = await merchantDateFor(p, item.variantId, item.productId);
  const settings = engineSettings(p.settings);
  const now = p.now().getTime();
  return {
    rows,
    dates: promisedDates(lines, batches, merchant, settings, now),
    storefront: nextUnitDate(lines, batches, merchant, settings, now),
    /** Whether anything besides the shop's lead days speaks for a storefront date without waiting lines. */
    grounded: batches.length > 0 || merchant.expectedAt !== null || merchant.leadDays !== null,
  };
}

export interface RedateOutcome {
  kind: "redated";
  lines: number;
  later: number;
  storefrontDate: string | null;
}

export async function redateItem(p: Pipeline, item: ItemRef, reason: string): Promise<RedateOutcome> {
  const { rows, dates, storefront, grounded } = await planItemDates(p, item);
  const changed = dates.flatMap((date) => {
    const row = rows.find((candidate) => candidate.lineItemId === date.lineId)!;
    const moved = row.promisedAt === null || day(row.promisedAt) !== day(date.promisedAt);
    return moved || row.promisedBasis !== date.basis ? [{ row, date, moved }] : [];
  });
  const now = p.now();
  const later = changed.filter(
    ({ row, date, moved }) => moved && row.promisedAt && date.promisedAt > row.promisedAt.getTime(),
  );
  if (changed.length > 0) {
    await applyLineChanges(
      p.db,
      p.shop,
      changed.map(({ row, date }): LineUpdate => ({
        id: row.id,
        change: { promisedAt: new Date(date.promisedAt), promisedBasis: date.basis },
      })),
      changed
        .filter(({ row, moved }) => moved && row.promisedAt)
        .map(({ row, date }) => redatedEvent(row, date, reason, now)),
    );
    await writeOrderDates(p, [...new Set(changed.filter((c) => c.moved).map((c) => c.row.orderId))]);
    await notifyLater(
      p,
      later.map(({ row, date }) => ({ row, date })),
    );
  }
  const storefrontDate = rows.length > 0 || grounded ? day(storefront.promisedAt) : null;
  await writeStorefrontDate(p, item.variantId, storefrontDate, reason);
  return { kind: "redated", lines: changed.filter((c) => c.moved).length, later: later.length, storefrontDate };
}

/** A date that moved later is a delay notice (the customer is told through Flow); sooner, a note. */
function redatedEvent(row: BackorderLineRow, date: LineDate, reason: string, now: Date): NewTimelineEvent {
  const later = date.promisedAt > row.promisedAt!.getTime();
  return {
    orderId: row.orderId,
    backorderLineId: row.id,
    kind: later ? "delay_notice" : "redated",
    quantity: row.backorderedQty,
    at: now,
    detail: {
      redated: true,
      reason,
      source: date.source,
      promisedAt: row.promisedAt!.toISOString(),
      revisedAt: new Date(date.promisedAt).toISOString(),
    },
  };
}

async function writeOrderDates(p: Pipeline, orderIds: readonly string[]): Promise<void> {
  const metafields = [];
  for (const orderId of orderIds) {
    const metafield = await orderStatusMetafield(p, orderId);
    if (metafield) metafields.push(metafield);
  }
  const digest = createHash("sha256").update(JSON.stringify(metafields)).digest("hex").slice(0, 16);
  await setMetafields(p, `order-metafields:redate:${digest}`, metafields);
}

async function notifyLater(p: Pipeline, moved: readonly { row: BackorderLineRow; date: LineDate }[]): Promise<void> {
  if (moved.length === 0) return;
  const events = await Promise.all(
    moved.map(({ row, date }) =>
      flowEvent(p, FLOW_TRIGGERS.delayNotice, `${row.lineItemId}:redated:${day(date.promisedAt)}`, {
        order_id: Number(numericId(row.orderId)),
        "Product title": row.title,
        "Backordered units": row.backorderedQty,
        "Revised date": day(date.promisedAt),
        // A re-dating tells the customer; only the deadline sweep's notices ask for consent (decision 0024).
        "Silence is consent": false,
        "Reply by": "",
        "Deadline passed": false,
        "Past legal ceiling": false,
      }),
    ),
  );
  await queueFlowEvents(p.db, p.shop, events.flat());
  const messages = moved.flatMap(({ row, date }) =>
    row.promisedAt
      ? delayMessage(
          p,
          row,
          row.promisedAt.getTime(),
          date.promisedAt,
          `${row.lineItemId}:redated:${day(date.promisedAt)}`,
        )
      : [],
  );
  await queueCustomerMessages(p.db, p.shop, messages);
  await sendQueuedFlows(p);
}

export async function writeStorefrontDate(p: Pipeline, variantId: string, date: string | null, reason: string) {
  if (date !== null) {
    const stale = await variantDatesToWrite(p, [variantDateMetafield(variantId, new Date(`${date}T00:00:00Z`))]);
    await setMetafields(p, `variant-date:${variantId}:set:${date}:${reason}:${p.now().toISOString()}`, stale);
    return;
  }
  const last = await latestEffect(p.db, p.shop, `variant-date:${variantId}:`);
  if (last?.key.startsWith(`variant-date:${variantId}:set:`)) {
    await deleteMetafields(p, `variant-date:${variantId}:cleared:${p.now().toISOString()}`, [
      variantDateIdentifier(variantId),
    ]);
  }
}

/** A scheduled change naming a shipment already counted is skipped; a shipment without `arrivesAt` dates nothing. */
export async function refreshIncoming(
  p: Pipeline,
  inventoryItemId: string,
  variantId: string,
): Promise<ItemRef | null> {
  const data = await p.admin.query(BackorderIncomingDocument, {
    itemId: inventoryItemId,
    transfers: `product_variant_id:${numericId(variantId)} status:in_progress`,
  });
  const item = data.inventoryItem;
  if (!item) return null;
  const rows: IncomingRow[] = [];
  for (const transfer of data.inventoryTransfers.nodes) {
    const locationId = transfer.destination?.location?.id;
    if (!locationId) continue;
    for (const shipment of transfer.shipments.nodes) {
      const arrivesAt = shipment.tracking?.arrivesAt;
      if (!arrivesAt || (shipment.status !== "IN_TRANSIT" && shipment.status !== "PARTIALLY_RECEIVED")) continue;
      const quantity = (shipment.lineItems?.nodes ?? [])
        .filter((line) => line.inventoryItem?.id === inventoryItemId)
        .reduce((n, line) => n + line.unreceivedQuantity, 0);
      if (quantity > 0)
        rows.push({
          inventoryItemId,
          variantId,
          locationId,
          sourceId: shipment.id,
          transferId: transfer.id,
          quantity,
          arrivesAt: new Date(arrivesAt),
        });
    }
  }
  const counted = new Set(rows.flatMap((row) => [row.sourceId, row.transferId]));
  for (const level of item.inventoryLevels.nodes) {
    for (const change of level.scheduledChanges.nodes) {
      if (change.toName !== "available" || change.quantity <= 0 || counted.has(change.ledgerDocumentUri)) continue;
      rows.push({
        inventoryItemId,
        variantId,
        locationId: level.location.id,
        sourceId: change.ledgerDocumentUri,
        transferId: null,
        quantity: change.quantity,
        arrivesAt: new Date(change.expectedAt),
      });
    }
  }
  await replaceIncoming(p.db, p.shop, inventoryItemId, rows, p.now());
  return { inventoryItemId, variantId: item.variant.id, productId: item.variant.product.id };
}

/** A webhook names only the shipment. */
export async function shipmentItems(p: Pipeline, shipmentId: string) {
  const data = await p.admin.query(BackorderShipmentItemsDocument, { id: shipmentId });
  return (data.inventoryShipment?.lineItems?.nodes ?? []).flatMap((line) =>
    line.inventoryItem?.variant
      ? [{ inventoryItemId: line.inventoryItem.id, variantId: line.inventoryItem.variant.id }]
      : [],
  );
}

export interface NewWaitingLine {
  lineItemId: string;
  inventoryItemId: string | null;
  variantId: string;
  productId: string | null;
  locationId: string | null;
  backordered: number;
  orderedAt: Date;
  tags: readonly string[];
}

/** Reads only the database. */
export async function datesForNewLines(p: Pipeline, lines: readonly NewWaitingLine[]) {
  const dates = new Map<string, LineDate>();
  const storefront = new Map<string, Date>();
  const byItem = new Map<string, NewWaitingLine[]>();
  for (const line of lines) {
    const key = line.inventoryItemId ?? line.variantId;
    byItem.set(key, [...(byItem.get(key) ?? []), line]);
  }
  for (const [inventoryItemId, group] of byItem) {
    const { variantId, productId } = group[0]!;
    const extra: DatedLine[] = group.map((line) => ({
      lineId: line.lineItemId,
      orderedAt: line.orderedAt.getTime(),
      arrival: 0,
      remaining: line.backordered,
      tags: line.tags,
      shipBy: null,
      consent: null,
      locationId: line.locationId,
    }));
    const plan = await planItemDates(p, { inventoryItemId, variantId, productId }, extra);
    for (const date of plan.dates)
      if (group.some((line) => line.lineItemId === date.lineId)) dates.set(date.lineId, date);
    storefront.set(variantId, new Date(plan.storefront.promisedAt));
  }
  return { dates, storefront };
}

/** The items it carries now and those it was last seen carrying: a deleted one can no longer be read. */
export async function incomingChanged(
  p: Pipeline,
  source: { shipmentId?: string; transferId?: string; gone?: boolean },
) {
  const items = new Map<string, string>();
  for (const row of await itemsOfIncomingSource(p.db, p.shop, source)) items.set(row.inventoryItemId, row.variantId);
  if (source.shipmentId && !source.gone) {
    for (const item of await shipmentItems(p, source.shipmentId)) items.set(item.inventoryItemId, item.variantId);
  }
  const outcomes: RedateOutcome[] = [];
  for (const [inventoryItemId, variantId] of items) {
    const item = await refreshIncoming(p, inventoryItemId, variantId);
    if (item) outcomes.push(await redateItem(p, item, `incoming:${source.shipmentId ?? source.transferId}`));
  }
  return {
    kind: "incoming_changed" as const,
    items: outcomes.length,
    lines: outcomes.reduce((n, o) => n + o.lines, 0),
    later: outcomes.reduce((n, o) => n + o.later, 0),
  };
}

/** Reconciliation: scheduled changes have no webhook, and a missed one would leave a date wrong for good. */
export async function refreshOpenItems(p: Pipeline, inventoryItemIds: readonly string[]): Promise<number> {
  let redated = 0;
  for (const inventoryItemId of inventoryItemIds) {
    const row = (await findOpenLinesForItem(p.db, p.shop, inventoryItemId)).find((r) => r.variantId !== null);
    if (!row) continue;
    const item = await refreshIncoming(p, inventoryItemId, row.variantId!);
    if (item) redated += (await redateItem(p, item, `reconcile:${p.now().toISOString()}`)).lines;
  }
  return redated;
}
