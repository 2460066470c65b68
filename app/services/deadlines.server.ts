import {
  afterRemovalOperations,
  deadlineSweep,
  removeUnfilledDecision,
  ruleLineOf,
  unfilledRemovals as removals,
  type DeadlineSweepDecision,
  type Operation,
  type RemovalDecision,
  type RemovalLine,
  type RemovalReason,
  type RuleLine,
  type SentNotice,
  type SweepLine,
} from "../domain";
import {
  applyLineChanges,
  findOpenLines,
  findOrderLines,
  findWaitingDelayNotices,
  lossesByLine,
  lostSale,
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
import { applyOperations, sendQueuedFlows, type RemovalRefund, type UnitRemoval } from "./apply";
import { cancelledMessage, customerMessage } from "./messages/compose";

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

/**
 * Every cancellation takes the one removal path, `removeUnfilled` (docs/decisions/0024-delay-rule.md). The notices'
 * records are written first, in one transaction; their Flow events wait for the first removal's batch, after its
 * refund, so that the sweep sends them in the batch it always did.
 */
export async function sweepDeadlines(p: Pipeline): Promise<SweepOutcome> {
  const now = p.now();
  const rows = (await findOpenLines(p.db, p.shop)).filter((row) => row.backorderedQty > 0);
  const byRecord = new Map(rows.map((row) => [row.id, row]));
  const notices = await findWaitingDelayNotices(p.db, p.shop);
  const decision = deadlineSweep(
    rows.map((row, arrival) => ({
      recordId: row.id,
      orderId: row.orderId,
      title: row.title,
      line: sweepLine(row, arrival, notices.get(row.id) ?? []),
    })),
    engineSettings(p.settings),
    now.getTime(),
  );
  if (decision.lineChanges.length > 0)
    await applyOperations(p, decision.operations, ({ flows }) => saveSweep(p, decision, flows), {
      sendFlows: decision.removals.length === 0,
    });
  let cancelledUnits = 0;
  for (const { orderId, reason, recordIds } of decision.removals) {
    const lines = recordIds.map((id) => byRecord.get(id)!);
    cancelledUnits += await removeUnfilled(p, orderId, lines, reason);
  }
  await sendQueuedFlows(p);
  return { ...decision.counts, cancelledUnits };
}

async function saveSweep(p: Pipeline, decision: DeadlineSweepDecision, flows: readonly NewFlowEvent[]) {
  const updates: LineUpdate[] = decision.lineChanges.map(({ recordId, change }) => ({
    id: recordId,
    change: Object.fromEntries(Object.entries(change).map(([field, at]) => [field, new Date(at)])),
  }));
  const events: NewTimelineEvent[] = decision.events.map(({ recordId, orderId, kind, quantity, at, detail }) => ({
    orderId,
    backorderLineId: recordId,
    kind,
    quantity,
    at: new Date(at),
    detail,
  }));
  const messages = decision.messages.flatMap(({ kind, orderId, subject, facts }) =>
    customerMessage(p, kind, orderId, subject, facts),
  );
  // What each notice said is the record the delay rule reads back.
  const notices = decision.notices.map(({ recordId, orderId, sent }) => ({
    orderId,
    backorderLineId: recordId,
    kind: sent.kind,
    sentAt: new Date(sent.sentAt),
    fromAt: new Date(sent.fromAt),
    revisedAt: new Date(sent.revisedAt),
    silenceIsConsent: sent.silenceIsConsent,
    replyBy: sent.replyBy === null ? null : new Date(sent.replyBy),
  }));
  await applyLineChanges(p.db, p.shop, updates, events, [], { flows, messages, notices });
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
  await applyOperations(p, await afterRemoval(p, orderId), async () => {}, {
    metafields: `order-metafields:${orderId}:${decision.key}`,
    tags: `tags-remove:${decision.key}`,
  });
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

/** The order's lines as the removal and what it let ship left them. */
async function afterRemoval(p: Pipeline, orderId: string): Promise<Operation[]> {
  const rows = await findOrderLines(p.db, p.shop, orderId);
  const losses = rows.length > 0 ? await lossesByLine(p.db, p.shop, [orderId]) : new Map<string, never>();
  const lines = rows.map((row) => ({
    lineItemId: row.lineItemId,
    status: row.status,
    backordered: row.backorderedQty,
    shipped: row.shippedQty,
    reserved: row.reservedQty,
    lost: row.lostQty,
    lostReason: row.lostReason,
    losses: losses.get(row.lineItemId) ?? {},
    promisedAt: row.promisedAt?.getTime() ?? null,
  }));
  return afterRemovalOperations(orderId, lines, p.settings.orderTag);
}
