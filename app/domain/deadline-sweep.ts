import { sentNotice, sweepDecision, type DelayDecision, type SentNotice, type SweepLine } from "./delay-rule";
import type { TimelineEvent } from "./deadlines";
import { numericId, type Operation } from "./operations";
import type { RemovalReason } from "./removal";
import type { Settings } from "./types";

type SweepSettings = Pick<Settings, "leadDays" | "reminderDays" | "deadlineDays" | "consentRecorded" | "expiryAction">;

/** A recorded line still waiting, as the sweep reads it; `line.timeline.lineId` is the line item's id. */
export interface SweptLine {
  recordId: string;
  orderId: string;
  title: string;
  line: SweepLine;
}

export interface SweepCounts {
  reminders: number;
  delayNotices: number;
  renewedNotices: number;
  expired: number;
  noConsent: number;
  nonCompliant: number;
}

export interface DeadlineSweepDecision {
  counts: SweepCounts;
  lineChanges: {
    recordId: string;
    change: { delayNoticeAt?: number; promisedAt?: number; remindedAt?: number; expiredAt?: number };
  }[];
  events: {
    recordId: string;
    orderId: string;
    kind: "delay_notice" | "reminder";
    quantity: number | null;
    at: number;
    detail: Record<string, unknown>;
  }[];
  /** What each notice said: the record the delay rule reads back. */
  notices: { recordId: string; orderId: string; sent: SentNotice }[];
  messages: NoticeMessage[];
  /** The delay notices' Flow triggers. */
  operations: Operation[];
  /** Each order's units to take off, per reason, in the order decided; each goes the one removal path. */
  removals: { orderId: string; reason: RemovalReason; recordIds: string[] }[];
}

export interface NoticeMessage {
  kind: "delay_notice" | "renewed_notice";
  orderId: string;
  subject: string;
  facts: {
    items: { title: string; quantity: number }[];
    previousAt: string;
    revisedAt: string;
    silenceIsConsent: boolean;
    answerBy: string | null;
  };
}

type Notice = Extract<DelayDecision, { kind: "notice" }>;

const day = (at: number) => new Date(at).toISOString().slice(0, 10);
const iso = (at: number) => new Date(at).toISOString();

/**
 * The whole of a deadline sweep: the delay rule's notices first, then the due reminders and deadlines by time; a
 * line the rule or its deadline cancels joins its order's removal (docs/decisions/0024-delay-rule.md).
 */
export function deadlineSweep(
  lines: readonly SweptLine[],
  settings: SweepSettings,
  now: number,
): DeadlineSweepDecision {
  const byLine = new Map(lines.map((swept) => [swept.line.timeline.lineId, swept]));
  const ruled = sweepDecision(
    lines.map((swept) => swept.line),
    settings,
    now,
  );
  const decision: DeadlineSweepDecision = {
    counts: { reminders: 0, delayNotices: 0, renewedNotices: 0, expired: 0, noConsent: 0, nonCompliant: 0 },
    lineChanges: [],
    events: [],
    notices: [],
    messages: [],
    operations: [],
    removals: [],
  };
  const remove = (swept: SweptLine, reason: RemovalReason) => {
    let group = decision.removals.find((r) => r.orderId === swept.orderId && r.reason === reason);
    if (!group) decision.removals.push((group = { orderId: swept.orderId, reason, recordIds: [] }));
    group.recordIds.push(swept.recordId);
  };

  for (const rule of ruled.rule) {
    const swept = byLine.get(rule.lineId)!;
    if (rule.kind === "cancel") {
      remove(swept, "no_consent");
      decision.counts.noConsent++;
      continue;
    }
    notice(decision, swept, rule, now);
    if (rule.notice === "first") decision.counts.delayNotices++;
    else decision.counts.renewedNotices++;
  }
  for (const event of [...ruled.events].sort((a, b) => a.at - b.at)) {
    const swept = byLine.get(event.lineId)!;
    if (event.kind === "reminder") {
      reminder(decision, swept, event, now);
      decision.counts.reminders++;
    } else if (event.kind === "expire" && event.action === "notify") {
      pastDeadline(decision, swept, event, now);
      decision.counts.expired++;
      if (event.nonCompliant) decision.counts.nonCompliant++;
    } else if (event.kind === "expire") {
      remove(swept, "deadline");
      decision.counts.expired++;
    }
  }
  return decision;
}

function notice(decision: DeadlineSweepDecision, swept: SweptLine, rule: Notice, now: number): void {
  const { recordId, orderId, title } = swept;
  const units = swept.line.timeline.backordered;
  decision.lineChanges.push({ recordId, change: { delayNoticeAt: now, promisedAt: rule.revisedAt } });
  decision.events.push({
    recordId,
    orderId,
    kind: "delay_notice",
    quantity: units,
    at: now,
    detail: {
      notice: rule.notice,
      promisedAt: iso(rule.fromAt),
      revisedAt: iso(rule.revisedAt),
      silenceIsConsent: rule.silenceIsConsent,
      replyBy: rule.replyBy === null ? null : iso(rule.replyBy),
    },
  });
  decision.notices.push({ recordId, orderId, sent: sentNotice(rule, now) });
  decision.messages.push({
    kind: rule.notice === "first" ? "delay_notice" : "renewed_notice",
    orderId,
    subject: `${swept.line.timeline.lineId}:${rule.notice}:${day(rule.revisedAt)}`,
    facts: {
      items: [{ title, quantity: units }],
      previousAt: day(rule.fromAt),
      revisedAt: day(rule.revisedAt),
      silenceIsConsent: rule.silenceIsConsent,
      answerBy: rule.replyBy === null ? null : day(rule.replyBy),
    },
  });
  decision.operations.push(delayNoticeTrigger(swept, rule, false));
}

function reminder(
  decision: DeadlineSweepDecision,
  { recordId, orderId }: SweptLine,
  event: Extract<TimelineEvent, { kind: "reminder" }>,
  now: number,
): void {
  decision.lineChanges.push({ recordId, change: { remindedAt: now } });
  decision.events.push({
    recordId,
    orderId,
    kind: "reminder",
    quantity: null,
    at: now,
    detail: { promisedAt: iso(event.promisedAt) },
  });
}

function pastDeadline(
  decision: DeadlineSweepDecision,
  swept: SweptLine,
  event: Extract<TimelineEvent, { kind: "expire" }>,
  now: number,
): void {
  const { recordId, orderId } = swept;
  decision.lineChanges.push({ recordId, change: { expiredAt: now } });
  decision.events.push({
    recordId,
    orderId,
    kind: "delay_notice",
    quantity: swept.line.timeline.backordered,
    at: now,
    detail: { deadlinePassed: true, nonCompliant: event.nonCompliant },
  });
  decision.operations.push(delayNoticeTrigger(swept, null, event.nonCompliant));
}

/** Keyed by the notice (or the deadline), so that one notice makes one trigger. */
function delayNoticeTrigger(swept: SweptLine, rule: Notice | null, nonCompliant: boolean): Operation {
  const lineId = swept.line.timeline.lineId;
  return {
    kind: "flow",
    trigger: "delayNotice",
    subject: rule ? `${lineId}:${rule.notice}:${day(rule.fromAt)}` : `${lineId}:deadline`,
    payload: {
      order_id: Number(numericId(swept.orderId)),
      "Product title": swept.title,
      "Backordered units": swept.line.timeline.backordered,
      "Revised date": rule ? day(rule.revisedAt) : "",
      "Silence is consent": rule?.silenceIsConsent ?? false,
      "Reply by": rule?.replyBy ? day(rule.replyBy) : "",
      "Deadline passed": rule === null,
      "Past legal ceiling": nonCompliant,
    },
  };
}
