import { dueEvents, finalDeadline, nextDueAt, type TimelineEvent, type TimelineLine } from "./deadlines";
import { addDays } from "./time";
import type { BackorderLine, Consent, Settings } from "./types";

type TimelineSettings = Pick<
  Settings,
  "leadDays" | "reminderDays" | "deadlineDays" | "consentRecorded" | "expiryAction"
>;

// The Mail, Internet or Telephone Order Rule (16 CFR 435.2): docs/decisions/0024-delay-rule.md

/** A first notice's revised date at most this many days after the promised date lets silence count as consent. */
export const SILENCE_LIMIT_DAYS = 30;
/** A notice goes out this many days before the date it revises, so the customer has time to answer. */
export const NOTICE_LEAD_DAYS = 2;

export interface SentNotice {
  kind: "first" | "renewed";
  sentAt: number;
  fromAt: number;
  revisedAt: number;
  silenceIsConsent: boolean;
  /** Without a yes by then the unfilled units are cancelled and refunded; null when silence counts. */
  replyBy: number | null;
}

export interface RuleLine {
  lineId: string;
  unfilled: number;
  /** The rule's "applicable time": the first notice's `fromAt` once sent. */
  promisedAt: number;
  expectedAt: number | null;
  notices: readonly SentNotice[];
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

export function agreedUntil(line: Pick<RuleLine, "promisedAt" | "notices" | "consent">): number {
  const deemed = line.notices[0]?.silenceIsConsent ? line.notices[0].revisedAt : -Infinity;
  return Math.max(line.promisedAt, deemed, line.consent?.until ?? -Infinity);
}

/** A yes to less than was asked still holds until the date it names. */
export function replyDate(line: Pick<RuleLine, "promisedAt" | "notices" | "consent">): number | null {
  const last = line.notices.at(-1);
  if (!last || last.replyBy === null) return null;
  if (line.consent && line.consent.until >= last.revisedAt) return null;
  return Math.max(last.replyBy, agreedUntil(line));
}

/** Always far enough ahead that the customer can answer before the next notice would fall due. */
function revisedDate(line: RuleLine, agreed: number, leadDays: number, now: number): number {
  const candidate = line.expectedAt !== null && line.expectedAt > agreed ? line.expectedAt : addDays(agreed, leadDays);
  return Math.max(candidate, addDays(now, NOTICE_LEAD_DAYS + 1));
}

/** The date promised at the order is the first notice's `fromAt` once one went out. */
export function ruleLineOf(
  line: Pick<BackorderLine, "lineId" | "backordered" | "promisedAt" | "consent">,
  notices: readonly SentNotice[],
): RuleLine | null {
  const promisedAt = notices[0]?.fromAt ?? line.promisedAt;
  if (promisedAt === null) return null;
  const { lineId, backordered: unfilled, promisedAt: expectedAt, consent } = line;
  return { lineId, unfilled, promisedAt, expectedAt, notices, consent };
}

export function sentNotice(notice: Extract<DelayDecision, { kind: "notice" }>, now: number): SentNotice {
  const { notice: kind, fromAt, revisedAt, silenceIsConsent, replyBy } = notice;
  return { kind, sentAt: now, fromAt, revisedAt, silenceIsConsent, replyBy };
}

export interface SweepLine {
  timeline: TimelineLine;
  rule: RuleLine | null;
}

export interface SweepDecision {
  events: TimelineEvent[];
  rule: Exclude<DelayDecision, { kind: "nothing" }>[];
}

/**
 * The delay rule sends the delay notices (`dueEvents` issues none); a deadline that passed first wins, and a line
 * the rule cancels is not also expired. Under `notify` a line without consent gets the deadline's notice, flagged.
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

function flaggedInstead(lines: readonly SweepLine[], decided: readonly DelayDecision[]): TimelineEvent[] {
  return lines.flatMap(({ timeline: line }) => {
    const decision = decided.find((d) => d.lineId === line.lineId);
    if (decision?.kind !== "cancel" || line.notices.includes("expire")) return [];
    const { replyBy: at, quantity } = decision;
    return [{ kind: "expire", lineId: line.lineId, at, action: "notify", quantity, nonCompliant: true } as const];
  });
}

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
