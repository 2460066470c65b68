import { describe, expect, it } from "vitest";

import { deadlineSweep, type SweptLine } from "./deadline-sweep";
import type { SentNotice } from "./delay-rule";
import { addDays } from "./time";
import { DEFAULT_SETTINGS } from "./types";

const T0 = Date.UTC(2026, 10, 2, 9);
const day = (n: number) => addDays(T0, n);
const iso = (n: number) => new Date(day(n)).toISOString();
const isoDay = (n: number) => iso(n).slice(0, 10);
const ORDER = "gid://shopify/Order/7";
const OTHER = "gid://shopify/Order/8";

function swept(
  id: string,
  more: { orderId?: string; promisedAt?: number; notices?: SentNotice[]; reminded?: boolean } = {},
): SweptLine {
  const lineId = `gid://shopify/LineItem/${id}`;
  const promisedAt = more.promisedAt ?? day(14);
  return {
    recordId: `rec-${id}`,
    orderId: more.orderId ?? ORDER,
    title: `Item ${id}`,
    line: {
      timeline: {
        lineId,
        orderedAt: T0,
        backordered: 2,
        promisedAt,
        consent: null,
        notices: more.reminded ? ["reminder"] : [],
      },
      rule: { lineId, unfilled: 2, promisedAt, expectedAt: null, notices: more.notices ?? [], consent: null },
    },
  };
}

const nothing = { reminders: 0, delayNotices: 0, renewedNotices: 0, expired: 0, noConsent: 0, nonCompliant: 0 };

describe("deadlineSweep", () => {
  it("has nothing to do for a line not yet due", () => {
    expect(deadlineSweep([swept("1", { promisedAt: day(30) })], DEFAULT_SETTINGS, day(1))).toEqual({
      counts: nothing,
      lineChanges: [],
      events: [],
      notices: [],
      messages: [],
      operations: [],
      removals: [],
    });
  });

  it("a reminder, then a first notice: the records, the e-mail and the Flow trigger, all in one decision", () => {
    const lines = [swept("1", { promisedAt: day(15) }), swept("2", { reminded: true })];
    expect(deadlineSweep(lines, DEFAULT_SETTINGS, day(12))).toEqual({
      counts: { ...nothing, reminders: 1, delayNotices: 1 },
      lineChanges: [
        { recordId: "rec-2", change: { delayNoticeAt: day(12), promisedAt: day(28) } },
        { recordId: "rec-1", change: { remindedAt: day(12) } },
      ],
      events: [
        {
          recordId: "rec-2",
          orderId: ORDER,
          kind: "delay_notice",
          quantity: 2,
          at: day(12),
          detail: { notice: "first", promisedAt: iso(14), revisedAt: iso(28), silenceIsConsent: true, replyBy: null },
        },
        {
          recordId: "rec-1",
          orderId: ORDER,
          kind: "reminder",
          quantity: null,
          at: day(12),
          detail: { promisedAt: iso(15) },
        },
      ],
      notices: [
        {
          recordId: "rec-2",
          orderId: ORDER,
          sent: {
            kind: "first",
            sentAt: day(12),
            fromAt: day(14),
            revisedAt: day(28),
            silenceIsConsent: true,
            replyBy: null,
          },
        },
      ],
      messages: [
        {
          kind: "delay_notice",
          orderId: ORDER,
          subject: `gid://shopify/LineItem/2:first:${isoDay(28)}`,
          facts: {
            items: [{ title: "Item 2", quantity: 2 }],
            previousAt: isoDay(14),
            revisedAt: isoDay(28),
            silenceIsConsent: true,
            answerBy: null,
          },
        },
      ],
      operations: [
        {
          kind: "flow",
          trigger: "delayNotice",
          subject: `gid://shopify/LineItem/2:first:${isoDay(14)}`,
          payload: {
            order_id: 7,
            "Product title": "Item 2",
            "Backordered units": 2,
            "Revised date": isoDay(28),
            "Silence is consent": true,
            "Reply by": "",
            "Deadline passed": false,
            "Past legal ceiling": false,
          },
        },
      ],
      removals: [],
    });
  });

  it("an unanswered notice and a passed deadline: each order's lines join one removal per reason", () => {
    const asked: SentNotice = {
      kind: "first",
      sentAt: day(12),
      fromAt: day(14),
      revisedAt: day(60),
      silenceIsConsent: false,
      replyBy: day(20),
    };
    const lines = [
      swept("1", { notices: [asked] }),
      swept("2", { notices: [asked] }),
      swept("3", { orderId: OTHER, promisedAt: day(40) }),
    ];
    const long = { ...DEFAULT_SETTINGS, deadlineDays: 10 };
    expect(deadlineSweep(lines, long, day(21))).toEqual({
      counts: { ...nothing, expired: 1, noConsent: 2 },
      lineChanges: [],
      events: [],
      notices: [],
      messages: [],
      operations: [],
      removals: [
        { orderId: ORDER, reason: "no_consent", recordIds: ["rec-1", "rec-2"] },
        { orderId: OTHER, reason: "deadline", recordIds: ["rec-3"] },
      ],
    });
    const decision = deadlineSweep([swept("3", { orderId: OTHER })], DEFAULT_SETTINGS, day(31));
    expect(decision).toEqual({
      counts: { ...nothing, expired: 1 },
      lineChanges: [],
      events: [],
      notices: [],
      messages: [],
      operations: [],
      removals: [{ orderId: OTHER, reason: "deadline", recordIds: ["rec-3"] }],
    });
  });

  it("under expiry action notify, the deadline's notice is flagged and sent as a trigger, nothing removed", () => {
    const renewed: SentNotice = {
      kind: "renewed",
      sentAt: day(26),
      fromAt: day(28),
      revisedAt: day(42),
      silenceIsConsent: false,
      replyBy: day(28),
    };
    const silent: SentNotice = {
      ...renewed,
      kind: "first",
      sentAt: day(12),
      fromAt: day(14),
      revisedAt: day(28),
      silenceIsConsent: true,
      replyBy: null,
    };
    const line = swept("1", { promisedAt: day(14), notices: [silent, renewed] });
    line.line.timeline.promisedAt = day(42);
    line.line.timeline.notices = ["reminder"];
    const notify = { ...DEFAULT_SETTINGS, expiryAction: "notify" as const };
    expect(deadlineSweep([line], notify, day(28))).toEqual({
      counts: { ...nothing, expired: 1, nonCompliant: 1 },
      lineChanges: [{ recordId: "rec-1", change: { expiredAt: day(28) } }],
      events: [
        {
          recordId: "rec-1",
          orderId: ORDER,
          kind: "delay_notice",
          quantity: 2,
          at: day(28),
          detail: { deadlinePassed: true, nonCompliant: true },
        },
      ],
      notices: [],
      messages: [],
      operations: [
        {
          kind: "flow",
          trigger: "delayNotice",
          subject: "gid://shopify/LineItem/1:deadline",
          payload: {
            order_id: 7,
            "Product title": "Item 1",
            "Backordered units": 2,
            "Revised date": "",
            "Silence is consent": false,
            "Reply by": "",
            "Deadline passed": true,
            "Past legal ceiling": true,
          },
        },
      ],
      removals: [],
    });
  });
});
