import { addDays } from "./time";
import type { BackorderLine, Consent, ExpiryAction, NoticeKind, Settings } from "./types";

/** Without the customer's consent a backorder may not stay open longer than this (the legal ceiling). */
export const LEGAL_CEILING_DAYS = 30;

type DeadlineSettings = Pick<Settings, "deadlineDays" | "consentRecorded">;

/** Every deadline the engine uses comes from here, so no path can pass the legal ceiling without consent. */
export function finalDeadline(
  line: { orderedAt: number; consent: Consent | null },
  settings: DeadlineSettings,
): number {
  const days = settings.consentRecorded ? settings.deadlineDays : Math.min(settings.deadlineDays, LEGAL_CEILING_DAYS);
  const base = addDays(line.orderedAt, days);
  return line.consent && line.consent.until > base ? line.consent.until : base;
}

export function legalCeiling(line: { orderedAt: number; consent: Consent | null }, settings: DeadlineSettings): number {
  const ceiling = addDays(line.orderedAt, LEGAL_CEILING_DAYS);
  return Math.max(ceiling, settings.consentRecorded ? finalDeadline(line, settings) : 0, line.consent?.until ?? 0);
}

export function promisedDate(
  line: { orderedAt: number; expectedAt?: number | null; incomingAt?: number | null },
  settings: Pick<Settings, "leadDays">,
): number {
  const known = line.incomingAt ?? line.expectedAt ?? null;
  return known === null ? addDays(line.orderedAt, settings.leadDays) : Math.max(line.orderedAt, known);
}

export type TimelineEvent =
  | { kind: "reminder"; lineId: string; at: number; promisedAt: number }
  | { kind: "delay_notice"; lineId: string; at: number; promisedAt: number; revisedAt: number }
  | {
      kind: "expire";
      lineId: string;
      at: number;
      action: ExpiryAction;
      quantity: number;
      /** `notify` keeps the customer waiting past the legal ceiling without consent. */
      nonCompliant: boolean;
    };

export type TimelineLine = Pick<
  BackorderLine,
  "lineId" | "orderedAt" | "backordered" | "promisedAt" | "consent" | "notices"
> & { expectedAt?: number | null };

type TimelineSettings = Pick<
  Settings,
  "leadDays" | "reminderDays" | "deadlineDays" | "consentRecorded" | "expiryAction"
>;

/** Calling this again after `recordNotices` yields nothing new; a reminder past its promised date is skipped. */
export function dueEvents(lines: readonly TimelineLine[], settings: TimelineSettings, now: number): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  for (const line of lines) {
    if (line.backordered <= 0 || line.promisedAt === null) continue;
    const promisedAt = line.promisedAt;
    const deadline = finalDeadline(line, settings);
    const sent = (kind: NoticeKind) => line.notices.includes(kind);

    const remindAt = addDays(promisedAt, -settings.reminderDays);
    if (settings.reminderDays > 0 && !sent("reminder") && remindAt <= now && now < promisedAt) {
      events.push({ kind: "reminder", lineId: line.lineId, at: remindAt, promisedAt });
    }
    if (!sent("delay_notice") && promisedAt <= now && promisedAt < deadline) {
      events.push({
        kind: "delay_notice",
        lineId: line.lineId,
        at: promisedAt,
        promisedAt,
        revisedAt: revisedDate(line, promisedAt, deadline, settings),
      });
    }
    if (!sent("expire") && deadline <= now) {
      events.push({
        kind: "expire",
        lineId: line.lineId,
        at: deadline,
        action: settings.expiryAction,
        quantity: line.backordered,
        nonCompliant: settings.expiryAction === "notify" && deadline >= legalCeiling(line, settings),
      });
    }
  }
  return events;
}

/** Always later than `now` once the events due at `now` are recorded. */
export function nextDueAt(line: TimelineLine, settings: TimelineSettings, now: number): number | null {
  if (line.backordered <= 0 || line.promisedAt === null) return null;
  const deadline = finalDeadline(line, settings);
  const sent = (kind: NoticeKind) => line.notices.includes(kind);
  let next = sent("expire") ? Infinity : deadline;
  if (!sent("delay_notice") && line.promisedAt < deadline) next = Math.min(next, line.promisedAt);
  if (settings.reminderDays > 0 && !sent("reminder") && now < line.promisedAt) {
    next = Math.min(next, addDays(line.promisedAt, -settings.reminderDays));
  }
  return next === Infinity ? null : next;
}

/** A revised date never goes past the final deadline: a later one would need the customer's renewed consent. */
function revisedDate(
  line: TimelineLine,
  promisedAt: number,
  deadline: number,
  settings: Pick<Settings, "leadDays">,
): number {
  const expected = line.expectedAt ?? null;
  const candidate = expected !== null && expected > promisedAt ? expected : addDays(promisedAt, settings.leadDays);
  return Math.min(candidate, deadline);
}

/** The line with the events' notices recorded; recording the same events twice changes nothing. */
export function recordNotices<L extends Pick<BackorderLine, "lineId" | "notices">>(
  line: L,
  events: readonly TimelineEvent[],
): L {
  const added = events
    .filter((event) => event.lineId === line.lineId && !line.notices.includes(event.kind))
    .map((event) => event.kind);
  return added.length === 0 ? line : { ...line, notices: [...line.notices, ...new Set(added)] };
}
