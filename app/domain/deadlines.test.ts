import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dueEvents, finalDeadline, nextDueAt, promisedDate, recordNotices, type TimelineLine } from "./deadlines";
import { addDays, DAY_MS } from "./time";
import { DEFAULT_SETTINGS, type Settings } from "./types";

const T0 = Date.UTC(2026, 10, 2, 9);
const day = (n: number) => addDays(T0, n);

function waitingLine(more: Partial<TimelineLine> = {}): TimelineLine {
  return { lineId: "1001:1", orderedAt: T0, backordered: 2, promisedAt: day(14), consent: null, notices: [], ...more };
}

describe("promisedDate", () => {
  it("is order time + lead days, or the product's expected date, or the incoming stock date", () => {
    expect(promisedDate({ orderedAt: T0 }, { leadDays: 14 })).toBe(day(14));
    expect(promisedDate({ orderedAt: T0, expectedAt: day(9) }, { leadDays: 14 })).toBe(day(9));
    expect(promisedDate({ orderedAt: T0, expectedAt: day(9), incomingAt: day(5) }, { leadDays: 14 })).toBe(day(5));
    expect(promisedDate({ orderedAt: T0, expectedAt: day(-3) }, { leadDays: 14 })).toBe(T0);
  });
});

describe("finalDeadline", () => {
  const line = { orderedAt: T0, consent: null };
  it("defaults to 30 days and never goes past 30 without recorded consent", () => {
    expect(finalDeadline(line, DEFAULT_SETTINGS)).toBe(day(30));
    expect(finalDeadline(line, { deadlineDays: 21, consentRecorded: false })).toBe(day(21));
    expect(finalDeadline(line, { deadlineDays: 45, consentRecorded: false })).toBe(day(30));
    expect(finalDeadline(line, { deadlineDays: 45, consentRecorded: true })).toBe(day(45));
  });

  it("moves to the date a customer consented to, never earlier", () => {
    const consent = (until: number) => ({ orderedAt: T0, consent: { recordedAt: day(10), until } });
    expect(finalDeadline(consent(day(50)), DEFAULT_SETTINGS)).toBe(day(50));
    expect(finalDeadline(consent(day(20)), DEFAULT_SETTINGS)).toBe(day(30));
  });

  it("property: without recorded consent the deadline is at most 30 days after the order", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_000_000_000_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        (orderedAt, deadlineDays) => {
          const deadline = finalDeadline({ orderedAt, consent: null }, { deadlineDays, consentRecorded: false });
          expect(deadline - orderedAt).toBeLessThanOrEqual(30 * DAY_MS);
        },
      ),
    );
  });
});

describe("dueEvents", () => {
  const settings: Settings = { ...DEFAULT_SETTINGS, reminderDays: 3 };

  it("issues nothing before the reminder is due", () => {
    expect(dueEvents([waitingLine()], settings, day(10))).toEqual([]);
  });

  it("reminds the merchant N days before the promised date", () => {
    expect(dueEvents([waitingLine()], settings, day(11))).toEqual([
      { kind: "reminder", lineId: "1001:1", at: day(11), promisedAt: day(14) },
    ]);
  });

  it("at the promised date sends a delay notice with a revised date (+ lead days, capped at the deadline)", () => {
    expect(dueEvents([waitingLine({ notices: ["reminder"] })], settings, day(14))).toEqual([
      { kind: "delay_notice", lineId: "1001:1", at: day(14), promisedAt: day(14), revisedAt: day(28) },
    ]);
    expect(dueEvents([waitingLine({ promisedAt: day(20), notices: ["reminder"] })], settings, day(20))).toEqual([
      { kind: "delay_notice", lineId: "1001:1", at: day(20), promisedAt: day(20), revisedAt: day(30) },
    ]);
    expect(dueEvents([{ ...waitingLine({ notices: ["reminder"] }), expectedAt: day(18) }], settings, day(15))).toEqual([
      { kind: "delay_notice", lineId: "1001:1", at: day(14), promisedAt: day(14), revisedAt: day(18) },
    ]);
  });

  it("at the final deadline applies the merchant's action to the unfilled quantity", () => {
    const line = waitingLine({ notices: ["reminder", "delay_notice"] });
    expect(dueEvents([line], settings, day(31))).toEqual([
      { kind: "expire", lineId: "1001:1", at: day(30), action: "cancel", quantity: 2, nonCompliant: false },
    ]);
    expect(dueEvents([line], { ...settings, expiryAction: "notify" }, day(30))).toEqual([
      { kind: "expire", lineId: "1001:1", at: day(30), action: "notify", quantity: 2, nonCompliant: true },
    ]);
    // Notifying at a merchant deadline before the legal ceiling is still compliant.
    expect(dueEvents([line], { ...settings, expiryAction: "notify", deadlineDays: 20 }, day(20))).toEqual([
      { kind: "expire", lineId: "1001:1", at: day(20), action: "notify", quantity: 2, nonCompliant: false },
    ]);
  });

  it("after a long silence issues the delay notice and the expiry together, skipping a stale reminder", () => {
    expect(dueEvents([waitingLine()], settings, day(40)).map((event) => event.kind)).toEqual([
      "delay_notice",
      "expire",
    ]);
  });

  it("ignores lines that are no longer waiting for stock", () => {
    expect(dueEvents([waitingLine({ backordered: 0 })], settings, day(40))).toEqual([]);
  });

  it("is idempotent: once recorded, the same events are not issued again, and recording twice changes nothing", () => {
    const line = waitingLine();
    const events = dueEvents([line], settings, day(40));
    const once = recordNotices(line, events);
    expect(once.notices).toEqual(["delay_notice", "expire"]);
    expect(recordNotices(once, events)).toBe(once);
    expect(dueEvents([once], settings, day(40))).toEqual([]);
  });

  it("property: every issued event is due by now, and issuing again after recording yields nothing", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 1, max: 60 }),
        fc.constantFrom("cancel" as const, "notify" as const),
        (nowDay, promisedDay, reminderDays, deadlineDays, expiryAction) => {
          const s = { ...settings, reminderDays, deadlineDays, expiryAction };
          const line = waitingLine({ promisedAt: day(promisedDay) });
          const events = dueEvents([line], s, day(nowDay));
          for (const event of events) expect(event.at).toBeLessThanOrEqual(day(nowDay));
          expect(dueEvents([recordNotices(line, events)], s, day(nowDay))).toEqual([]);
        },
      ),
    );
  });

  it("nextDueAt names the next due notice, and nothing is due before it", () => {
    expect(nextDueAt(waitingLine(), settings, T0)).toBe(day(11));
    expect(nextDueAt(waitingLine({ notices: ["reminder"] }), settings, day(12))).toBe(day(14));
    expect(nextDueAt(waitingLine(), settings, day(15))).toBe(day(14));
    expect(nextDueAt(waitingLine({ notices: ["reminder", "delay_notice", "expire"] }), settings, day(40))).toBeNull();
    expect(nextDueAt(waitingLine({ backordered: 0 }), settings, T0)).toBeNull();
  });

  it("property: after recording what is due now, the next due time is later, nothing is due before it, something at it", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        (nowDay, promisedDay, reminderDays, deadlineDays, laterDay) => {
          const s = { ...settings, reminderDays, deadlineDays };
          const line = waitingLine({ promisedAt: day(promisedDay) });
          const recorded = recordNotices(line, dueEvents([line], s, day(nowDay)));
          const next = nextDueAt(recorded, s, day(nowDay));
          if (next !== null) expect(next).toBeGreaterThan(day(nowDay));
          const later = day(nowDay + laterDay);
          if (next === null || later < next) expect(dueEvents([recorded], s, later)).toEqual([]);
          if (next !== null) expect(dueEvents([recorded], s, next)).not.toEqual([]);
        },
      ),
    );
  });
});
