import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { promisedDates, type DatedLine, type IncomingBatch, type MerchantDate } from "./dates";
import { addDays, DAY_MS } from "./time";
import { ALLOCATION_POLICIES, DEFAULT_SETTINGS, type Settings } from "./types";

const T0 = Date.UTC(2026, 11, 1, 9);
const LOCATIONS = ["A", "B"];

const settingsArb = fc.record({
  allocationPolicy: fc.constantFrom(...ALLOCATION_POLICIES),
  leadDays: fc.integer({ min: 1, max: 30 }),
});

const linesArb: fc.Arbitrary<DatedLine[]> = fc
  .array(
    fc.record({
      minutes: fc.integer({ min: 0, max: 60 * 24 * 10 }),
      remaining: fc.integer({ min: 1, max: 6 }),
      vip: fc.boolean(),
      location: fc.constantFrom(...LOCATIONS),
    }),
    { maxLength: 25 },
  )
  .map((rows) =>
    rows.map((row, i) => ({
      lineId: `L${i}`,
      orderedAt: T0 + row.minutes * 60_000,
      arrival: i,
      remaining: row.remaining,
      tags: row.vip ? ["vip"] : [],
      shipBy: null,
      consent: null,
      locationId: row.location,
    })),
  );

const batchesArb: fc.Arbitrary<IncomingBatch[]> = fc
  .array(
    fc.record({
      quantity: fc.integer({ min: 0, max: 15 }),
      days: fc.integer({ min: -3, max: 40 }),
      location: fc.constantFrom(...LOCATIONS),
    }),
    { maxLength: 6 },
  )
  .map((rows) =>
    rows.map((row, i) => ({
      id: `B${i}`,
      quantity: row.quantity,
      arrivesAt: addDays(T0, row.days),
      locationId: row.location,
    })),
  );

const merchantArb: fc.Arbitrary<MerchantDate> = fc.record({
  expectedAt: fc.option(
    fc.integer({ min: 0, max: 60 }).map((d) => addDays(T0, d)),
    { nil: null },
  ),
  leadDays: fc.option(fc.integer({ min: 0, max: 60 }), { nil: null }),
});

const settingsOf = (s: { allocationPolicy: Settings["allocationPolicy"]; leadDays: number }): Settings => ({
  ...DEFAULT_SETTINGS,
  ...s,
  priorityTags: ["vip"],
});

const byLine = (dates: ReturnType<typeof promisedDates>) => new Map(dates.map((d) => [d.lineId, d]));

describe("promisedDates properties", () => {
  it("dates every waiting line once, never before now or the order", () => {
    fc.assert(
      fc.property(
        linesArb,
        batchesArb,
        merchantArb,
        settingsArb,
        fc.integer({ min: 0, max: 20 }),
        (lines, batches, merchant, s, nowDays) => {
          const now = addDays(T0, nowDays);
          const dates = promisedDates(lines, batches, merchant, settingsOf(s), now);
          expect(dates.map((d) => d.lineId)).toEqual(lines.map((l) => l.lineId));
          for (const [i, date] of dates.entries()) {
            expect(date.promisedAt).toBeGreaterThanOrEqual(Math.max(now, lines[i]!.orderedAt));
            expect(date.source === "incoming").toBe(date.batchId !== null);
          }
        },
      ),
    );
  });

  it("a date never moves earlier for a line without a new source, whatever it was revised to", () => {
    fc.assert(
      fc.property(
        linesArb,
        batchesArb,
        merchantArb,
        settingsArb,
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 25, maxLength: 25 }),
        fc.integer({ min: 0, max: 20 * 24 }),
        (lines, batches, merchant, s, revisions, laterHours) => {
          // Some promises were revised later since (a delay notice), then the rule runs again on the same sources.
          const first = promisedDates(lines, batches, merchant, settingsOf(s), T0);
          const revised = first.map((d, i) => ({ at: addDays(d.promisedAt, revisions[i]!), basis: d.basis }));
          const again = promisedDates(
            lines.map((line, i) => ({ ...line, promised: revised[i] })),
            batches,
            merchant,
            settingsOf(s),
            T0 + laterHours * 3_600_000,
          );
          for (const [i, date] of again.entries()) expect(date.promisedAt).toBeGreaterThanOrEqual(revised[i]!.at);
        },
      ),
    );
  });

  it("only time passing never moves a date earlier", () => {
    fc.assert(
      fc.property(
        linesArb,
        batchesArb,
        merchantArb,
        settingsArb,
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 20 * 24 }),
        (lines, batches, merchant, s, nowDays, laterHours) => {
          const now = addDays(T0, nowDays);
          const before = byLine(promisedDates(lines, batches, merchant, settingsOf(s), now));
          const after = promisedDates(lines, batches, merchant, settingsOf(s), now + laterHours * 3_600_000);
          for (const date of after) expect(date.promisedAt).toBeGreaterThanOrEqual(before.get(date.lineId)!.promisedAt);
        },
      ),
    );
  });

  it("adding a batch later than every other never changes the date of a line an earlier batch completes", () => {
    fc.assert(
      fc.property(
        linesArb,
        batchesArb,
        merchantArb,
        settingsArb,
        fc.record({
          quantity: fc.integer({ min: 1, max: 20 }),
          afterDays: fc.integer({ min: 0, max: 20 }),
          location: fc.constantFrom(...LOCATIONS),
        }),
        (lines, batches, merchant, s, extra) => {
          const last = Math.max(T0, ...batches.map((b) => b.arrivesAt));
          const later = {
            id: "Z",
            quantity: extra.quantity,
            arrivesAt: last + extra.afterDays * DAY_MS + 1,
            locationId: extra.location,
          };
          const before = promisedDates(lines, batches, merchant, settingsOf(s), T0);
          const after = byLine(promisedDates(lines, [...batches, later], merchant, settingsOf(s), T0));
          for (const date of before) {
            if (date.source === "incoming") expect(after.get(date.lineId)).toEqual(date);
          }
        },
      ),
    );
  });

  it("does not depend on the order lines and batches are given in", () => {
    fc.assert(
      fc.property(linesArb, batchesArb, merchantArb, settingsArb, (lines, batches, merchant, s) => {
        const dates = byLine(promisedDates(lines, batches, merchant, settingsOf(s), T0));
        const shuffled = byLine(
          promisedDates([...lines].reverse(), [...batches].reverse(), merchant, settingsOf(s), T0),
        );
        expect(shuffled).toEqual(dates);
      }),
    );
  });
});
