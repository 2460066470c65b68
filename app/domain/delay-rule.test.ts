import { describe, expect, it } from "vitest";

import { delayDecision, sweepDecision, type RuleLine, type SentNotice } from "./delay-rule";
import type { TimelineLine } from "./deadlines";
import { addDays } from "./time";
import { DEFAULT_SETTINGS } from "./types";

const T0 = Date.UTC(2026, 10, 2, 9);
const day = (n: number) => addDays(T0, n);
const settings = { leadDays: 14 };

function line(more: Partial<RuleLine> = {}): RuleLine {
  return { lineId: "L1", unfilled: 2, promisedAt: day(14), expectedAt: null, notices: [], consent: null, ...more };
}

const silentFirst: SentNotice = {
  kind: "first",
  sentAt: day(12),
  fromAt: day(14),
  revisedAt: day(28),
  silenceIsConsent: true,
  replyBy: null,
};
const renewed: SentNotice = {
  kind: "renewed",
  sentAt: day(26),
  fromAt: day(28),
  revisedAt: day(42),
  silenceIsConsent: false,
  replyBy: day(28),
};

describe("delayDecision", () => {
  it("has nothing to do before the first notice is due, nor for a filled line", () => {
    expect(delayDecision(line(), settings, day(11))).toEqual({ kind: "nothing", lineId: "L1", why: "not_due" });
    expect(delayDecision(line({ unfilled: 0 }), settings, day(40))).toEqual({
      kind: "nothing",
      lineId: "L1",
      why: "filled",
    });
  });

  it("sends the first notice two days before the promised date; a slip of 14 days lets silence count", () => {
    expect(delayDecision(line(), settings, day(12))).toEqual({
      kind: "notice",
      lineId: "L1",
      notice: "first",
      fromAt: day(14),
      revisedAt: day(28),
      silenceIsConsent: true,
      replyBy: null,
    });
  });

  it("a first notice for a slip of more than 30 days needs a yes by the revised date", () => {
    expect(delayDecision(line({ expectedAt: day(50) }), settings, day(12))).toEqual({
      kind: "notice",
      lineId: "L1",
      notice: "first",
      fromAt: day(14),
      revisedAt: day(50),
      silenceIsConsent: false,
      replyBy: day(50),
    });
    // Exactly 30 days is still within the limit; a minute more is not.
    expect(delayDecision(line({ expectedAt: day(44) }), settings, day(12))).toMatchObject({
      revisedAt: day(44),
      silenceIsConsent: true,
    });
    expect(delayDecision(line({ expectedAt: day(44) + 60_000 }), settings, day(12))).toMatchObject({
      silenceIsConsent: false,
      replyBy: day(44) + 60_000,
    });
  });

  it("a late first notice still goes out, with time to answer", () => {
    expect(delayDecision(line(), { leadDays: 0 }, day(20))).toEqual({
      kind: "notice",
      lineId: "L1",
      notice: "first",
      fromAt: day(14),
      revisedAt: day(23),
      silenceIsConsent: true,
      replyBy: null,
    });
  });

  it("silence counted once: the next slip is a renewed notice that needs a yes by the date agreed", () => {
    const after = line({ notices: [silentFirst], expectedAt: day(28) });
    expect(delayDecision(after, settings, day(25))).toEqual({ kind: "nothing", lineId: "L1", why: "not_due" });
    expect(delayDecision(after, settings, day(26))).toEqual({
      kind: "notice",
      lineId: "L1",
      notice: "renewed",
      fromAt: day(28),
      revisedAt: day(42),
      silenceIsConsent: false,
      replyBy: day(28),
    });
  });

  it("no yes to a renewed notice by its reply date: the unfilled units are cancelled, no_consent", () => {
    const waiting = line({ notices: [silentFirst, renewed] });
    expect(delayDecision(waiting, settings, day(27))).toEqual({ kind: "nothing", lineId: "L1", why: "awaiting_reply" });
    expect(delayDecision(waiting, settings, day(28))).toEqual({
      kind: "cancel",
      lineId: "L1",
      quantity: 2,
      reason: "no_consent",
      replyBy: day(28),
    });
  });

  it("a yes to the renewed date keeps the line open until then; a yes to less holds only until its date", () => {
    const yes = line({ notices: [silentFirst, renewed], consent: { recordedAt: day(27), until: day(42) } });
    expect(delayDecision(yes, settings, day(39))).toEqual({ kind: "nothing", lineId: "L1", why: "not_due" });
    expect(delayDecision(yes, settings, day(40))).toMatchObject({ notice: "renewed", fromAt: day(42) });
    const less = line({ notices: [silentFirst, renewed], consent: { recordedAt: day(27), until: day(35) } });
    expect(delayDecision(less, settings, day(34))).toMatchObject({ kind: "nothing", why: "awaiting_reply" });
    expect(delayDecision(less, settings, day(35))).toMatchObject({ kind: "cancel", replyBy: day(35) });
  });
});

describe("sweepDecision", () => {
  const timeline = (more: Partial<TimelineLine> = {}): TimelineLine => ({
    lineId: "L1",
    orderedAt: T0,
    backordered: 2,
    promisedAt: day(14),
    consent: null,
    notices: ["reminder"],
    ...more,
  });

  it("the delay rule sends the delay notices: dueEvents issues none of its own", () => {
    expect(sweepDecision([{ timeline: timeline(), rule: line() }], DEFAULT_SETTINGS, day(14))).toEqual({
      events: [],
      rule: [
        {
          kind: "notice",
          lineId: "L1",
          notice: "first",
          fromAt: day(14),
          revisedAt: day(28),
          silenceIsConsent: true,
          replyBy: null,
        },
      ],
    });
  });

  it("a date agreed by silence holds the final deadline off; a no_consent cancellation replaces the expiry", () => {
    // Promised on day 20, revised to day 34 by a notice whose silence counts: past the 30-day deadline.
    const first = { ...silentFirst, fromAt: day(20), revisedAt: day(34) };
    const held = { timeline: timeline({ promisedAt: day(34) }), rule: line({ promisedAt: day(20), notices: [first] }) };
    expect(sweepDecision([held], DEFAULT_SETTINGS, day(31))).toEqual({ events: [], rule: [] });
    const unanswered = {
      ...held,
      rule: { ...held.rule, notices: [first, { ...renewed, revisedAt: day(48), replyBy: day(34) }] },
    };
    expect(sweepDecision([unanswered], DEFAULT_SETTINGS, day(34))).toEqual({
      events: [],
      rule: [{ kind: "cancel", lineId: "L1", quantity: 2, reason: "no_consent", replyBy: day(34) }],
    });
  });

  it("under expiry action notify, a line without consent gets the deadline's flagged notice once, no cancellation", () => {
    const notify = { ...DEFAULT_SETTINGS, expiryAction: "notify" as const };
    const unanswered = { timeline: timeline({ promisedAt: day(42) }), rule: line({ notices: [silentFirst, renewed] }) };
    expect(sweepDecision([unanswered], notify, day(28))).toEqual({
      events: [{ kind: "expire", lineId: "L1", at: day(28), action: "notify", quantity: 2, nonCompliant: true }],
      rule: [],
    });
    const told = { ...unanswered, timeline: { ...unanswered.timeline, notices: ["reminder", "expire"] as const } };
    expect(sweepDecision([told], notify, day(29))).toEqual({ events: [], rule: [] });
  });

  it("a deadline that passed before any notice wins: the line expires and gets no notice", () => {
    expect(sweepDecision([{ timeline: timeline(), rule: line() }], DEFAULT_SETTINGS, day(31))).toEqual({
      events: [{ kind: "expire", lineId: "L1", at: day(30), action: "cancel", quantity: 2, nonCompliant: false }],
      rule: [],
    });
  });

  it("a line with no promised date is left to the deadline alone", () => {
    expect(sweepDecision([{ timeline: timeline(), rule: null }], DEFAULT_SETTINGS, day(31))).toEqual({
      events: [{ kind: "expire", lineId: "L1", at: day(30), action: "cancel", quantity: 2, nonCompliant: false }],
      rule: [],
    });
  });
});
