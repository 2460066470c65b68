import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocate, allocateAll, type Grant, type WaitingLine } from "./allocate";
import { ALLOCATION_POLICIES, DEFAULT_SETTINGS, type AllocationPolicy } from "./types";

const HOUR = 3_600_000;

/** Lines with few distinct order times and sizes, so that ties are common. */
const linesArb = fc
  .array(
    fc.record({
      remaining: fc.integer({ min: 0, max: 12 }),
      hour: fc.integer({ min: 0, max: 5 }),
      tags: fc.subarray(["vip", "wholesale", "other"]),
      shipByHour: fc.option(fc.integer({ min: 0, max: 500 }), { nil: null }),
    }),
    { maxLength: 40 },
  )
  .map((specs) =>
    specs.map((spec, i): WaitingLine => ({
      lineId: `L${i}`,
      orderedAt: spec.hour * HOUR,
      arrival: i,
      remaining: spec.remaining,
      tags: spec.tags,
      shipBy: spec.shipByHour === null ? null : spec.shipByHour * HOUR,
      consent: null,
    })),
  );

const policyArb = fc.constantFrom(...ALLOCATION_POLICIES);
const supplyArb = fc.integer({ min: 0, max: 150 });

function run(policy: AllocationPolicy, supply: number, lines: readonly WaitingLine[]): Map<string, number> {
  const result = allocate(supply, lines, {
    ...DEFAULT_SETTINGS,
    allocationPolicy: policy,
    priorityTags: ["vip", "wholesale"],
  });
  return new Map(result.kind === "allocated" ? result.grants.map((g) => [g.lineId, g.quantity]) : []);
}

function byOrderTime(a: WaitingLine, b: WaitingLine): number {
  return a.orderedAt - b.orderedAt || a.arrival - b.arrival;
}

describe("allocate properties", () => {
  it("never gives more than supply nor more than a line needs, and uses all it can", () => {
    fc.assert(
      fc.property(policyArb, supplyArb, linesArb, (policy, supply, lines) => {
        const given = run(policy, supply, lines);
        let total = 0;
        for (const line of lines) {
          const quantity = given.get(line.lineId) ?? 0;
          expect(Number.isInteger(quantity)).toBe(true);
          expect(quantity).toBeGreaterThanOrEqual(0);
          expect(quantity).toBeLessThanOrEqual(line.remaining);
          total += quantity;
        }
        const demand = lines.reduce((sum, line) => sum + line.remaining, 0);
        expect(total).toBe(Math.min(supply, demand));
      }),
    );
  });

  it("is deterministic: the same lines in any array order get the same units", () => {
    fc.assert(
      fc.property(
        policyArb,
        supplyArb,
        linesArb.chain((lines) =>
          fc.tuple(fc.constant(lines), fc.shuffledSubarray(lines, { minLength: lines.length })),
        ),
        (policy, supply, [lines, shuffled]) => {
          expect(run(policy, supply, shuffled)).toEqual(run(policy, supply, lines));
        },
      ),
    );
  });

  it("fair_share gives every waiting line at least one unit when supply covers the lines, and levels them", () => {
    fc.assert(
      fc.property(supplyArb, linesArb, (supply, lines) => {
        const given = run("fair_share", supply, lines);
        const waiting = lines.filter((line) => line.remaining > 0);
        if (supply >= waiting.length) {
          for (const line of waiting) expect(given.get(line.lineId) ?? 0).toBeGreaterThanOrEqual(1);
        }
        // Max-min: a line left short never has more than one unit less than any other line.
        const shortOf = waiting.filter((line) => (given.get(line.lineId) ?? 0) < line.remaining);
        const most = Math.max(0, ...waiting.map((line) => given.get(line.lineId) ?? 0));
        for (const line of shortOf) expect(most - (given.get(line.lineId) ?? 0)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it("fifo never serves a later line while an earlier one is short", () => {
    fc.assert(
      fc.property(supplyArb, linesArb, (supply, lines) => {
        const given = run("fifo", supply, lines);
        const ordered = lines.slice().sort(byOrderTime);
        ordered.forEach((line, i) => {
          if ((given.get(line.lineId) ?? 0) === 0) return;
          for (const earlier of ordered.slice(0, i)) {
            expect(given.get(earlier.lineId) ?? 0).toBe(earlier.remaining);
          }
        });
      }),
    );
  });

  it("proportional gives each line the floor or the ceiling of its exact share", () => {
    fc.assert(
      fc.property(supplyArb, linesArb, (supply, lines) => {
        const given = run("proportional", supply, lines);
        const demand = lines.reduce((sum, line) => sum + line.remaining, 0);
        if (supply >= demand) return;
        for (const line of lines) {
          const share = (supply * line.remaining) / demand;
          const quantity = given.get(line.lineId) ?? 0;
          expect(quantity === Math.floor(share) || quantity === Math.ceil(share)).toBe(true);
        }
      }),
    );
  });

  it("priority never serves a lower tier while a higher tier is short", () => {
    const tierOf = (line: WaitingLine) => (line.tags.includes("vip") ? 0 : line.tags.includes("wholesale") ? 1 : 2);
    fc.assert(
      fc.property(supplyArb, linesArb, (supply, lines) => {
        const given = run("priority", supply, lines);
        for (const served of lines.filter((line) => (given.get(line.lineId) ?? 0) > 0)) {
          for (const higher of lines.filter((line) => tierOf(line) < tierOf(served))) {
            expect(given.get(higher.lineId) ?? 0).toBe(higher.remaining);
          }
        }
      }),
    );
  });

  it("allocateAll over many items equals allocate item by item", () => {
    fc.assert(
      fc.property(
        policyArb,
        linesArb,
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 40, maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 4, maxLength: 4 }),
        (policy, lines, itemOf, supplies) => {
          const settings = { ...DEFAULT_SETTINGS, allocationPolicy: policy, priorityTags: ["vip", "wholesale"] };
          const withItems = lines.map((line, i) => ({ ...line, itemId: `I${itemOf[i]!}` }));
          const supply = new Map(supplies.map((units, item) => [`I${item}`, units]));
          const expected: Grant[] = [];
          for (const itemId of new Set(withItems.map((line) => line.itemId))) {
            const result = allocate(
              supply.get(itemId)!,
              withItems.filter((line) => line.itemId === itemId),
              settings,
            );
            if (result.kind === "allocated") expected.push(...result.grants);
          }
          expect(allocateAll(supply, withItems, settings)).toEqual(expected);
        },
      ),
    );
  });

  it("lists grants in input order, positive quantities only", () => {
    fc.assert(
      fc.property(policyArb, supplyArb, linesArb, (policy, supply, lines) => {
        const result = allocate(supply, lines, { ...DEFAULT_SETTINGS, allocationPolicy: policy });
        if (result.kind === "nothing_to_allocate") return;
        const positions = result.grants.map((grant) => lines.findIndex((line) => line.lineId === grant.lineId));
        expect(positions).toEqual(positions.slice().sort((a, b) => a - b));
        for (const grant of result.grants) expect(grant.quantity).toBeGreaterThan(0);
        expect(result.used + result.leftover).toBe(supply);
      }),
    );
  });
});
