import { dueEvents, type TimelineEvent } from "../domain";
import {
  applyLineChanges,
  findOpenLines,
  findOrderLines,
  lostSale,
  setOrderUpdatedAt,
  type BackorderLineRow,
  type LineUpdate,
  type NewLostSale,
  type NewTimelineEvent,
} from "../models/backorders.server";
import { shipOrders } from "./shipping.server";
import { checkCaps, variantsOf } from "./caps.server";
import type { Pipeline } from "./pipeline.server";
import { engineLine, engineSettings, lineStatus } from "./records-for-engine";
import { numericId } from "./shopify-values";
import { FLOW_TRIGGERS, flowEvent, removeTagsFromOrders, sendQueuedFlows } from "./apply";
import { cancelledMessage, delayMessage } from "./messages/compose";
import { removeUnits, type UnitRemoval } from "./apply/refunds.server";
import { writeOrderStatus } from "./order-status.server";
import { readOrder } from "./shopify-reads.server";

export interface SweepOutcome {
  reminders: number;
  delayNotices: number;
  expired: number;
  cancelledUnits: number;
  nonCompliant: number;
}

/**
 * Issues the engine's timeline for every line still waiting: merchant reminders, delay notices (a Flow
 * trigger, so the merchant's workflow writes to the customer), and at the final deadline either the removal
 * and refund of only the unfilled units (`cancel`) or one more notice (`notify`, flagged when it keeps the
 * customer waiting past the legal ceiling without consent).
 */
export async function sweepDeadlines(p: Pipeline): Promise<SweepOutcome> {
  const now = p.now();
  const rows = (await findOpenLines(p.db, p.shop)).filter((row) => row.backorderedQty > 0);
  const byLineItem = new Map(rows.map((row) => [row.lineItemId, row]));
  const events = dueEvents(
    rows.map((row, arrival) => engineLine(row, arrival)),
    engineSettings(p.settings),
    now.getTime(),
  ).sort((a, b) => a.at - b.at);
  const outcome: SweepOutcome = { reminders: 0, delayNotices: 0, expired: 0, cancelledUnits: 0, nonCompliant: 0 };

  const expiring = new Map<string, { row: BackorderLineRow; event: Extract<TimelineEvent, { kind: "expire" }> }[]>();
  for (const event of events) {
    const row = byLineItem.get(event.lineId)!;
    if (event.kind === "reminder") {
      await applyLineChanges(
        p.db,
        p.shop,
        [{ id: row.id, change: { remindedAt: now } }],
        [timeline(row, "reminder", null, now, { promisedAt: new Date(event.promisedAt).toISOString() })],
      );
      outcome.reminders++;
    } else if (event.kind === "delay_notice") {
      await applyLineChanges(
        p.db,
        p.shop,
        [{ id: row.id, change: { delayNoticeAt: now, promisedAt: new Date(event.revisedAt) } }],
        [
          timeline(row, "delay_notice", row.backorderedQty, now, {
            promisedAt: new Date(event.promisedAt).toISOString(),
            revisedAt: new Date(event.revisedAt).toISOString(),
          }),
        ],
        [],
        {
          flows: await delayNotice(p, row, new Date(event.revisedAt), false),
          messages: delayMessage(p, row, event.promisedAt, event.revisedAt),
        },
      );
      outcome.delayNotices++;
    } else if (event.action === "notify") {
      await applyLineChanges(
        p.db,
        p.shop,
        [{ id: row.id, change: { expiredAt: now } }],
        [
          timeline(row, "delay_notice", row.backorderedQty, now, {
            deadlinePassed: true,
            nonCompliant: event.nonCompliant,
          }),
        ],
        [],
        { flows: await delayNotice(p, row, null, event.nonCompliant) },
      );
      outcome.expired++;
      if (event.nonCompliant) outcome.nonCompliant++;
    } else {
      const group = expiring.get(row.orderId) ?? [];
      group.push({ row, event });
      expiring.set(row.orderId, group);
    }
  }
  for (const [orderId, group] of expiring) {
    outcome.cancelledUnits += await removeUnfilled(
      p,
      orderId,
      group.map(({ row }) => row),
      "deadline",
    );
    outcome.expired += group.length;
  }
  await sendQueuedFlows(p);
  return outcome;
}

/** The "delay notice due" event, queued with the notice's record so that one notice makes one trigger. */
async function delayNotice(p: Pipeline, row: BackorderLineRow, revisedAt: Date | null, nonCompliant: boolean) {
  return flowEvent(p, FLOW_TRIGGERS.delayNotice, `${row.lineItemId}:${revisedAt ? "revised" : "deadline"}`, {
    order_id: Number(numericId(row.orderId)),
    "Product title": row.title,
    "Backordered units": row.backorderedQty,
    "Revised date": revisedAt ? revisedAt.toISOString().slice(0, 10) : "",
    "Deadline passed": revisedAt === null,
    "Past legal ceiling": nonCompliant,
  });
}

function timeline(
  row: BackorderLineRow,
  kind: NewTimelineEvent["kind"],
  quantity: number | null,
  at: Date,
  detail: Record<string, unknown> = {},
): NewTimelineEvent {
  return { orderId: row.orderId, backorderLineId: row.id, kind, quantity, at, detail };
}

export type RemovalReason = "deadline" | "merchant_cancelled" | "customer_cancelled";

/**
 * Takes the unfilled units of some lines of one order off the order and refunds what was paid for them (one
 * refundCreate with CANCEL line items, for Shopify's suggested amount), records each as a lost sale, and lets any units already allocated to the order ship.
 * Returns the units removed.
 */
export async function removeUnfilled(
  p: Pipeline,
  orderId: string,
  lines: readonly BackorderLineRow[],
  reason: RemovalReason,
): Promise<number> {
  const now = p.now();
  const open = lines.filter((row) => row.backorderedQty > 0);
  if (open.length === 0) return 0;
  const order = await readOrder(p.admin, orderId);
  if (!order) throw new Error(`order ${orderId} has backorder records but Shopify no longer finds it`);
  const key = `${reason}:${orderId}:${open.map((row) => `${numericId(row.lineItemId)}x${row.backorderedQty}`).join(",")}`;
  const note = {
    deadline: "Backordered units not in stock by the final deadline: cancelled and refunded.",
    merchant_cancelled: "Backordered units cancelled by the merchant and refunded.",
    customer_cancelled: "Backordered units cancelled at the customer's request and refunded.",
  }[reason];
  const refund = await removeUnits(p, key, order, unfilledRemovals(open), note);
  const flows = await flowEvent(p, FLOW_TRIGGERS.cancelled, key, {
    order_id: Number(numericId(orderId)),
    "Cancelled units": open.reduce((n, row) => n + row.backorderedQty, 0),
    Reason: reason,
  });

  const updates: LineUpdate[] = [];
  const events: NewTimelineEvent[] = [];
  const lostSales: NewLostSale[] = [];
  for (const row of open) {
    const change = {
      backorderedQty: 0,
      lostQty: row.lostQty + row.backorderedQty,
      lostReason: row.lostReason ?? reason,
      ...(reason === "deadline" ? { expiredAt: now } : {}),
    };
    updates.push({ id: row.id, change: { ...change, status: lineStatus({ ...row, ...change }) } });
    events.push(timeline(row, "cancelled", row.backorderedQty, now, { reason }));
    events.push(
      timeline(row, "refunded", row.backorderedQty, now, {
        refundId: refund.refundId,
        // What Shopify refunded for these units (discounted price and tax, shop money), not the list price.
        amountCents: refund.lineCents[row.lineItemId] ?? 0,
        ...(refund.presentmentCurrency
          ? { refundCents: refund.presentmentCents, refundCurrency: refund.presentmentCurrency }
          : {}),
      }),
    );
    lostSales.push(lostSale(row, row.backorderedQty, reason, now));
  }
  const messages = cancelledMessage(p, orderId, key, open, reason, refund);
  await applyLineChanges(p.db, p.shop, updates, events, lostSales, { flows, messages });
  await sendQueuedFlows(p);

  // Units already allocated to the order may have waited for these (ship complete, threshold): now they can go.
  await shipOrders(p, [orderId], new Map());
  await untagIfSettled(p, orderId, key);
  await writeOrderStatus(p, orderId, key);
  await checkCaps(p, variantsOf(open));
  return open.reduce((n, row) => n + row.backorderedQty, 0);
}

/** The units `removeUnfilled` takes off: each open line's backordered quantity. */
export function unfilledRemovals(lines: readonly BackorderLineRow[]): UnitRemoval[] {
  return lines
    .filter((row) => row.backorderedQty > 0)
    .map((row) => ({
      lineItemId: row.lineItemId,
      variantId: row.variantId,
      quantity: row.backorderedQty,
      // Recorded quantities start at routing, before any fulfilment: the line keeps what was never lost.
      targetQuantity: row.quantity - row.lostQty - row.backorderedQty,
      unitPriceCents: row.unitPriceCents,
    }));
}

/**
 * An order with nothing left waiting loses the app's tag, whether its last units shipped (shipping.server.ts) or
 * were taken off here. Its updatedAt is kept, so the orders/updated the change causes is known as the app's own.
 */
async function untagIfSettled(p: Pipeline, orderId: string, key: string): Promise<void> {
  const lines = await findOrderLines(p.db, p.shop, orderId);
  if (lines.some((row) => row.backorderedQty + row.reservedQty > 0)) return;
  const tagged = await removeTagsFromOrders(p, `tags-remove:${key}`, [orderId], [p.settings.orderTag]);
  for (const [id, updatedAt] of Object.entries(tagged)) await setOrderUpdatedAt(p.db, p.shop, id, new Date(updatedAt));
}
