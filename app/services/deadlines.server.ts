import {
  removeUnfilledDecision,
  ruleLineOf,
  sentNotice,
  sweepDecision,
  unfilledRemovals as removals,
  type RemovalDecision,
  type RemovalLine,
  type RemovalReason,
  type DelayDecision,
  type RuleLine,
  type SentNotice,
  type SweepLine,
  type TimelineEvent,
} from "../domain";
import {
  applyLineChanges,
  findOpenLines,
  findOrderLines,
  findWaitingDelayNotices,
  lostSale,
  setOrderUpdatedAt,
  type BackorderLineRow,
  type DelayNoticeRow,
  type LineUpdate,
  type NewTimelineEvent,
} from "../models/backorders.server";
import type { NewFlowEvent } from "../models/flow-events.server";
import { shipOrders } from "./shipping.server";
import { checkCaps, variantsOf } from "./caps.server";
import type { Pipeline } from "./pipeline.server";
import { engineLine, engineSettings } from "./records-for-engine";
import { numericId } from "./shopify-values";
import {
  applyOperations,
  FLOW_TRIGGERS,
  flowEvent,
  removeTagsFromOrders,
  sendQueuedFlows,
  type RemovalRefund,
  type UnitRemoval,
} from "./apply";
import { cancelledMessage, ruledNoticeMessage } from "./messages/compose";
import { writeOrderStatus } from "./order-status.server";

export interface SweepOutcome {
  reminders: number;
  delayNotices: number;
  /** A later slip, which needs the customer's yes. */
  renewedNotices: number;
  expired: number;
  noConsent: number;
  cancelledUnits: number;
  nonCompliant: number;
}

type Notice = Extract<DelayDecision, { kind: "notice" }>;

/** Every cancellation takes the one removal path, `removeUnfilled` (docs/decisions/0024-delay-rule.md). */
export async function sweepDeadlines(p: Pipeline): Promise<SweepOutcome> {
  const now = p.now();
  const rows = (await findOpenLines(p.db, p.shop)).filter((row) => row.backorderedQty > 0);
  const byLineItem = new Map(rows.map((row) => [row.lineItemId, row]));
  const notices = await findWaitingDelayNotices(p.db, p.shop);
  const decision = sweepDecision(
    rows.map((row, arrival) => sweepLine(row, arrival, notices.get(row.id) ?? [])),
    engineSettings(p.settings),
    now.getTime(),
  );
  const outcome: SweepOutcome = {
    reminders: 0,
    delayNotices: 0,
    renewedNotices: 0,
    expired: 0,
    noConsent: 0,
    cancelledUnits: 0,
    nonCompliant: 0,
  };
  const removals = new Map<string, { orderId: string; reason: RemovalReason; rows: BackorderLineRow[] }>();
  const remove = (row: BackorderLineRow, reason: RemovalReason) => {
    const key = `${reason}|${row.orderId}`;
    const group = removals.get(key) ?? { orderId: row.orderId, reason, rows: [] };
    group.rows.push(row);
    removals.set(key, group);
  };

  for (const ruled of decision.rule) {
    const row = byLineItem.get(ruled.lineId)!;
    if (ruled.kind === "cancel") {
      remove(row, "no_consent");
      outcome.noConsent++;
      continue;
    }
    await sendNotice(p, row, ruled, now);
    if (ruled.notice === "first") outcome.delayNotices++;
    else outcome.renewedNotices++;
  }
  for (const event of [...decision.events].sort((a, b) => a.at - b.at)) {
    const row = byLineItem.get(event.lineId)!;
    if (event.kind === "reminder") {
      await remind(p, row, event, now);
      outcome.reminders++;
    } else if (event.kind === "expire" && event.action === "notify") {
      await notifyPastDeadline(p, row, event, now);
      outcome.expired++;
      if (event.nonCompliant) outcome.nonCompliant++;
    } else if (event.kind === "expire") {
      remove(row, "deadline");
      outcome.expired++;
    }
  }
  for (const group of removals.values()) {
    outcome.cancelledUnits += await removeUnfilled(p, group.orderId, group.rows, group.reason);
  }
  await sendQueuedFlows(p);
  return outcome;
}

export function sweepLine(row: BackorderLineRow, arrival: number, notices: readonly DelayNoticeRow[]): SweepLine {
  return { timeline: engineLine(row, arrival), rule: ruleLine(row, notices) };
}

export function ruleLine(row: BackorderLineRow, notices: readonly DelayNoticeRow[]): RuleLine | null {
  const sent = notices.map((notice): SentNotice => ({
    kind: notice.kind,
    sentAt: notice.sentAt.getTime(),
    fromAt: notice.fromAt.getTime(),
    revisedAt: notice.revisedAt.getTime(),
    silenceIsConsent: notice.silenceIsConsent,
    replyBy: notice.replyBy?.getTime() ?? null,
  }));
  return ruleLineOf(engineLine(row, 0), sent);
}

/** What it said is the record the rule reads back, written in one transaction with its Flow trigger. */
async function sendNotice(p: Pipeline, row: BackorderLineRow, notice: Notice, now: Date) {
  const said = {
    notice: notice.notice,
    promisedAt: new Date(notice.fromAt).toISOString(),
    revisedAt: new Date(notice.revisedAt).toISOString(),
    silenceIsConsent: notice.silenceIsConsent,
    replyBy: notice.replyBy === null ? null : new Date(notice.replyBy).toISOString(),
  };
  await applyLineChanges(
    p.db,
    p.shop,
    [{ id: row.id, change: { delayNoticeAt: now, promisedAt: new Date(notice.revisedAt) } }],
    [timeline(row, "delay_notice", row.backorderedQty, now, said)],
    [],
    {
      flows: await delayNotice(p, row, notice, false),
      messages: ruledNoticeMessage(p, row, notice),
      notices: [noticeRow(row, sentNotice(notice, now.getTime()))],
    },
  );
}

function noticeRow(row: BackorderLineRow, sent: SentNotice) {
  const { kind, silenceIsConsent, replyBy } = sent;
  const dates = { sentAt: new Date(sent.sentAt), fromAt: new Date(sent.fromAt), revisedAt: new Date(sent.revisedAt) };
  return {
    orderId: row.orderId,
    backorderLineId: row.id,
    kind,
    ...dates,
    silenceIsConsent,
    replyBy: replyBy === null ? null : new Date(replyBy),
  };
}

async function remind(
  p: Pipeline,
  row: BackorderLineRow,
  event: Extract<TimelineEvent, { kind: "reminder" }>,
  now: Date,
) {
  await applyLineChanges(
    p.db,
    p.shop,
    [{ id: row.id, change: { remindedAt: now } }],
    [timeline(row, "reminder", null, now, { promisedAt: new Date(event.promisedAt).toISOString() })],
  );
}

async function notifyPastDeadline(
  p: Pipeline,
  row: BackorderLineRow,
  event: Extract<TimelineEvent, { kind: "expire" }>,
  now: Date,
) {
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
}

const day = (at: number) => new Date(at).toISOString().slice(0, 10);

/** Queued with the notice's record, so that one notice makes one trigger. */
async function delayNotice(p: Pipeline, row: BackorderLineRow, notice: Notice | null, nonCompliant: boolean) {
  const key = notice ? `${row.lineItemId}:${notice.notice}:${day(notice.fromAt)}` : `${row.lineItemId}:deadline`;
  return flowEvent(p, FLOW_TRIGGERS.delayNotice, key, {
    order_id: Number(numericId(row.orderId)),
    "Product title": row.title,
    "Backordered units": row.backorderedQty,
    "Revised date": notice ? day(notice.revisedAt) : "",
    "Silence is consent": notice?.silenceIsConsent ?? false,
    "Reply by": notice?.replyBy ? day(notice.replyBy) : "",
    "Deadline passed": notice === null,
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

export type { RemovalReason };

/** Units already allocated to the order may then ship. Returns the units removed. */
export async function removeUnfilled(
  p: Pipeline,
  orderId: string,
  lines: readonly BackorderLineRow[],
  reason: RemovalReason,
): Promise<number> {
  const now = p.now();
  const open = lines.filter((row) => row.backorderedQty > 0);
  const decision = removeUnfilledDecision(orderId, open.map(removalLine), reason, now.getTime());
  if (decision.kind === "nothing_to_do") return 0;
  await applyOperations(p, decision.operations, ({ refunds, flows }) =>
    saveRemoval(p, { orderId, open, reason, now }, decision, refunds.get(decision.key)!, flows),
  );

  // Units already allocated to the order may have waited for these (ship complete, threshold): now they can go.
  await shipOrders(p, [orderId], new Map());
  await untagIfSettled(p, orderId, decision.key);
  await writeOrderStatus(p, orderId, decision.key);
  await checkCaps(p, variantsOf(open));
  return decision.units;
}

async function saveRemoval(
  p: Pipeline,
  removal: { orderId: string; open: readonly BackorderLineRow[]; reason: RemovalReason; now: Date },
  decision: RemovalDecision,
  refund: RemovalRefund,
  flows: readonly NewFlowEvent[],
): Promise<void> {
  const { orderId, open, reason, now } = removal;
  const rows = new Map(open.map((row) => [row.id, row]));
  const updates: LineUpdate[] = decision.lineChanges.map(({ recordId, change: { expiredAt, ...change } }) => ({
    id: recordId,
    change: { ...change, ...(expiredAt !== undefined ? { expiredAt: new Date(expiredAt) } : {}) },
  }));
  const events: NewTimelineEvent[] = decision.cancelled.flatMap(({ recordId, quantity }) => {
    const row = rows.get(recordId)!;
    return [
      timeline(row, "cancelled", quantity, now, { reason }),
      timeline(row, "refunded", quantity, now, {
        refundId: refund.refundId,
        // What Shopify refunded for these units (discounted price and tax, shop money), not the list price.
        amountCents: refund.lineCents[row.lineItemId] ?? 0,
        ...(refund.presentmentCurrency
          ? { refundCents: refund.presentmentCents, refundCurrency: refund.presentmentCurrency }
          : {}),
      }),
    ];
  });
  const lostSales = decision.lostSales.map(({ recordId, quantity }) =>
    lostSale(rows.get(recordId)!, quantity, reason, now),
  );
  const messages = cancelledMessage(p, orderId, decision.key, open, reason, refund);
  await applyLineChanges(p.db, p.shop, updates, events, lostSales, { flows, messages });
}

export function unfilledRemovals(lines: readonly BackorderLineRow[]): UnitRemoval[] {
  return removals(lines.map(removalLine));
}

function removalLine(row: BackorderLineRow): RemovalLine {
  return {
    recordId: row.id,
    lineId: row.lineItemId,
    variantId: row.variantId,
    ordered: row.quantity,
    shipped: row.shippedQty,
    reserved: row.reservedQty,
    backordered: row.backorderedQty,
    lost: row.lostQty,
    lostReason: row.lostReason,
    unitPriceCents: row.unitPriceCents,
  };
}

/** Its updatedAt is kept, so the orders/updated the change causes is known as the app's own. */
async function untagIfSettled(p: Pipeline, orderId: string, key: string): Promise<void> {
  const lines = await findOrderLines(p.db, p.shop, orderId);
  if (lines.some((row) => row.backorderedQty + row.reservedQty > 0)) return;
  const tagged = await removeTagsFromOrders(p, `tags-remove:${key}`, [orderId], [p.settings.orderTag]);
  for (const [id, updatedAt] of Object.entries(tagged)) await setOrderUpdatedAt(p.db, p.shop, id, new Date(updatedAt));
}
