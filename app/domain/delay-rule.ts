import { dueEvents, finalDeadline, nextDueAt, type TimelineEvent, type TimelineLine } from "./deadlines";
import { addDays } from "./time";
import type { BackorderLine, Consent, Settings } from "./types";

type TimelineSettings = Pick<
  Settings,
  "leadDays" | "reminderDays" | "deadlineDays" | "consentRecorded" | "expiryAction"
>;

/**
 * The Mail, Internet or Telephone Order Rule (16 CFR 435.2) for one waiting line, decided from what the app
 * has told the customer and what the customer has said (docs/decisions/0024-delay-rule.md).
 */

/** A first notice's revised date at most this many days after the promised date lets silence count as consent. */
export const SILENCE_LIMIT_DAYS = 30;
/** A notice goes out this many days before the date it revises, so the customer has time to answer. */
export const NOTICE_LEAD_DAYS = 2;

/** What a notice sent to the customer said. */
export interface SentNotice {
  kind: "first" | "renewed";
  sentAt: number;
  /** The date it revised: the promised date (first), or the date the customer had agreed to (renewed). */
  fromAt: number;
  revisedAt: number;
  /** The notice said that saying nothing agrees to wait until `revisedAt`. */
  silenceIsConsent: boolean;
  /** Without a yes by then the unfilled units are cancelled and refunded; null when silence counts. */
  replyBy: number | null;
}

export interface RuleLine {
  lineId: string;
  /** Units still waiting for stock. */
  unfilled: number;
  /** The date promised at the order (the rule's "applicable time"): the first notice's `fromAt` once sent. */
  promisedAt: number;
  /** When the shop now expects the stock (the dates rule), if it knows; a revised date is never before it. */
  expectedAt: number | null;
  /** Notices already sent, oldest first. */
  notices: readonly SentNotice[];
  /** The customer's explicit yes (the page's Wait, or the merchant recording it): the latest date agreed. */
  consent: Consent | null;
}

export type DelayDecision =
  | { kind: "nothing"; lineId: string; why: "filled" | "not_due" | "awaiting_reply" }
  | {
      kind: "notice";
      lineId: string;
      notice: SentNotice["kind"];
      fromAt: number;
      revisedAt: number;
      silenceIsConsent: boolean;
      replyBy: number | null;
    }
  | { kind: "cancel"; lineId: string; quantity: number; reason: "no_consent"; replyBy: number };

/**
 * What is due now for one line: the first delay notice before the promised date; a renewed notice, which needs
 * an explicit yes, before any date the customer agreed to; or, when a notice that needed a yes got none by its
 * reply date, the cancellation of the unfilled units with reason `no_consent`.
 */
export function delayDecision(line: RuleLine, settings: { leadDays: number }, now: number): DelayDecision {
  const { lineId } = line;
  if (line.unfilled <= 0) return { kind: "nothing", lineId, why: "filled" };
  const agreed = agreedUntil(line);
  const awaited = replyDate(line);
  if (awaited !== null) {
    return now >= awaited
      ? { kind: "cancel", lineId, quantity: line.unfilled, reason: "no_consent", replyBy: awaited }
      : { kind: "nothing", lineId, why: "awaiting_reply" };
  }
  if (now < addDays(agreed, -NOTICE_LEAD_DAYS)) return { kind: "nothing", lineId, why: "not_due" };

  const first = line.notices.length === 0;
  const revisedAt = revisedDate(line, agreed, settings.leadDays, now);
  // Only the first notice may count silence as consent, and only for a slip of at most 30 days.
  const silenceIsConsent = first && revisedAt <= addDays(line.promisedAt, SILENCE_LIMIT_DAYS);
  // A renewed notice's yes is due by the date already agreed (the stricter reading), given time to answer.
  const replyBy = silenceIsConsent ? null : first ? revisedAt : Math.max(agreed, addDays(now, NOTICE_LEAD_DAYS));
  return {
    kind: "notice",
    lineId,
    notice: first ? "first" : "renewed",
    fromAt: first ? line.promisedAt : agreed,
    revisedAt,
    silenceIsConsent,
    replyBy,
  };
}

/**
 * The latest date the customer has agreed to wait until: the promised date, a first notice's revised date where
 * silence counted, or an explicit yes.
 */
export function agreedUntil(line: Pick<RuleLine, "promisedAt" | "notices" | "consent">): number {
  const deemed = line.notices[0]?.silenceIsConsent ? line.notices[0].revisedAt : -Infinity;
  return Math.max(line.promisedAt, deemed, line.consent?.until ?? -Infinity);
}

/**
 * When the last notice asked for a yes that has not come, the date by which it must: without it the unfilled
 * units are cancelled then. A yes to less than was asked still holds until the date it names. Null otherwise.
 */
export function replyDate(line: Pick<RuleLine, "promisedAt" | "notices" | "consent">): number | null {
  const last = line.notices.at(-1);
  if (!last || last.replyBy === null) return null;
  if (line.consent && line.consent.until >= last.revisedAt) return null;
  return Math.max(last.replyBy, agreedUntil(line));
}

/**
 * The stock's expected date when it is past the agreed one, else the agreed date + lead days; always far enough
 * ahead that the customer can answer before the next notice would fall due.
 */
function revisedDate(line: RuleLine, agreed: number, leadDays: number, now: number): number {
  const candidate = line.expectedAt !== null && line.expectedAt > agreed ? line.expectedAt : addDays(agreed, leadDays);
  return Math.max(candidate, addDays(now, NOTICE_LEAD_DAYS + 1));
}

/**
 * A line as the rule reads it, for the deadline sweep and the replay alike: the date promised at the order is
 * the first notice's `fromAt` once one went out; the line's current date (which a notice moves to its revised
 * date, and the dates rule keeps true to the stock, decision 0019) is when the stock is now expected. Null
 * before the line has a promised date.
 */
export function ruleLineOf(
  line: Pick<BackorderLine, "lineId" | "backordered" | "promisedAt" | "consent">,
  notices: readonly SentNotice[],
): RuleLine | null {
  const promisedAt = notices[0]?.fromAt ?? line.promisedAt;
  if (promisedAt === null) return null;
  const { lineId, backordered: unfilled, promisedAt: expectedAt, consent } = line;
  return { lineId, unfilled, promisedAt, expectedAt, notices, consent };
}

/** What a notice the rule decided says once sent at `now`: the record the rule reads back. */
export function sentNotice(notice: Extract<DelayDecision, { kind: "notice" }>, now: number): SentNotice {
  const { notice: kind, fromAt, revisedAt, silenceIsConsent, replyBy } = notice;
  return { kind, sentAt: now, fromAt, revisedAt, silenceIsConsent, replyBy };
}

export interface SweepLine {
  timeline: TimelineLine;
  /** Null for a line with no promised date yet: the rule has nothing to revise. */
  rule: RuleLine | null;
}

export interface SweepDecision {
  /** The merchant's reminder and final deadline (`dueEvents`), less what the delay rule decides instead. */
  events: TimelineEvent[];
  /** The delay rule's notices and cancellations, in line order; lines with nothing due are left out. */
  rule: Exclude<DelayDecision, { kind: "nothing" }>[];
}

/**
 * The deadline sweep's whole decision. The delay rule sends the delay notices (so `dueEvents` issues none), and
 * a date the customer agreed to (by silence where it counts, or a yes) holds the merchant's final deadline off
 * until then. A deadline that passed first wins: the line expires and is sent no notice. A line the rule cancels
 * for want of consent is not also expired. Under expiry action `notify` the merchant cancels nothing
 * automatically: a line without consent gets the deadline's notice instead, once, flagged.
 */
export function sweepDecision(lines: readonly SweepLine[], settings: TimelineSettings, now: number): SweepDecision {
  const decided = lines.flatMap(({ rule: line }) => {
    const decision = line ? delayDecision(line, settings, now) : null;
    return decision && decision.kind !== "nothing" ? [decision] : [];
  });
  const cancelled = new Set(decided.filter((d) => d.kind === "cancel").map((d) => d.lineId));
  const events = dueEvents(
    lines.map((line) => deadlineLine(line, settings)),
    settings,
    now,
  ).filter((event) => !(event.kind === "expire" && cancelled.has(event.lineId)));
  const expiring = new Set(events.filter((e) => e.kind === "expire" && e.action === "cancel").map((e) => e.lineId));
  const rule = decided.filter(
    (d) => !expiring.has(d.lineId) && !(d.kind === "cancel" && settings.expiryAction === "notify"),
  );
  const flagged = settings.expiryAction === "notify" ? flaggedInstead(lines, decided) : [];
  return { events: [...events, ...flagged].sort((a, b) => a.at - b.at), rule };
}

/** The line as `dueEvents` reads it: its delay notice the rule's, and silence's consent if given in time. */
function deadlineLine({ timeline: line, rule }: SweepLine, settings: TimelineSettings): TimelineLine {
  const deemed = rule?.notices[0]?.silenceIsConsent ? rule.notices[0] : null;
  const inTime = deemed !== null && deemed.sentAt < finalDeadline(line, settings);
  const consent =
    inTime && deemed.revisedAt > (line.consent?.until ?? -Infinity)
      ? { recordedAt: deemed.sentAt, until: deemed.revisedAt }
      : line.consent;
  const notices = line.notices.includes("delay_notice") ? line.notices : [...line.notices, "delay_notice" as const];
  return { ...line, consent, notices };
}

/** Under `notify`: the deadline's notice, flagged, for each line the rule would cancel, unless already sent. */
function flaggedInstead(lines: readonly SweepLine[], decided: readonly DelayDecision[]): TimelineEvent[] {
  return lines.flatMap(({ timeline: line }) => {
    const decision = decided.find((d) => d.lineId === line.lineId);
    if (decision?.kind !== "cancel" || line.notices.includes("expire")) return [];
    const { replyBy: at, quantity } = decision;
    return [{ kind: "expire", lineId: line.lineId, at, action: "notify", quantity, nonCompliant: true } as const];
  });
}

/**
 * When `sweepDecision` will next have something for this line if nothing else changes, or null: the deadline's
 * next event or the rule's next notice or reply date, whichever is first.
 */
export function nextSweepAt(line: SweepLine, settings: TimelineSettings, now: number): number | null {
  const times = [nextDueAt(deadlineLine(line, settings), settings, now), ruleDueAt(line, settings)];
  const due = times.filter((at): at is number => at !== null);
  return due.length > 0 ? Math.min(...due) : null;
}

function ruleDueAt({ rule: line, timeline }: SweepLine, settings: TimelineSettings): number | null {
  if (!line || line.unfilled <= 0) return null;
  const reply = replyDate(line);
  if (reply === null) return addDays(agreedUntil(line), -NOTICE_LEAD_DAYS);
  // Under `notify` a line past its deadline's notice is cancelled by nobody: its reply date brings nothing.
  return settings.expiryAction === "notify" && timeline.notices.includes("expire") ? null : reply;
}
