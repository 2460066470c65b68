import { describe, expect, it } from "vitest";
import { nextUnitDate, promisedDates, type DatedLine, type IncomingBatch } from "./dates";
import { addDays } from "./time";
import { DEFAULT_SETTINGS } from "./types";

const T0 = Date.UTC(2026, 11, 1, 9);
const day = (n: number) => addDays(T0, n);
const iso = (at: number) => new Date(at).toISOString().slice(0, 10);

function line(n: number, remaining: number, locationId: string | null = "A", tags: string[] = []): DatedLine {
  return {
    lineId: `L${n}`,
    orderedAt: T0 + n * 60_000,
    arrival: n,
    remaining,
    tags,
    shipBy: null,
    consent: null,
    locationId,
  };
}

const batch = (id: string, quantity: number, at: number, locationId: string | null = "A"): IncomingBatch => ({
  id,
  quantity,
  arrivesAt: at,
  locationId,
});
const noMerchant = { expectedAt: null, leadDays: null };

describe("promisedDates", () => {
  it("walks the queue in policy order over the batches: the 12th customer is not promised the first container", () => {
    const lines = Array.from({ length: 12 }, (_, i) => line(i + 1, 1));
    const dates = promisedDates(
      lines,
      [batch("container-2", 5, day(20)), batch("container-1", 10, day(14))],
      noMerchant,
      DEFAULT_SETTINGS,
      T0,
    );
    expect(dates.map((d) => `${d.lineId} ${iso(d.promisedAt)} ${d.source} ${d.batchId}`)).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `L${i + 1} 2026-12-15 incoming container-1`),
      "L11 2026-12-21 incoming container-2",
      "L12 2026-12-21 incoming container-2",
    ]);
  });

  it("follows the policy: priority serves the tier first, smallest_first the small lines", () => {
    const lines = [line(1, 2), line(2, 2), line(3, 2, "A", ["vip"]), line(4, 1)];
    const incoming = [batch("b1", 3, day(5)), batch("b2", 4, day(9))];
    const byPolicy = (policy: "priority" | "smallest_first" | "fifo") =>
      promisedDates(
        lines,
        incoming,
        noMerchant,
        { ...DEFAULT_SETTINGS, allocationPolicy: policy, priorityTags: ["vip"] },
        T0,
      ).map((d) => `${d.lineId}:${iso(d.promisedAt)}`);
    expect(byPolicy("fifo")).toEqual(["L1:2026-12-06", "L2:2026-12-10", "L3:2026-12-10", "L4:2026-12-10"]);
    expect(byPolicy("priority")).toEqual(["L1:2026-12-10", "L2:2026-12-10", "L3:2026-12-06", "L4:2026-12-10"]);
    expect(byPolicy("smallest_first")).toEqual(["L1:2026-12-06", "L2:2026-12-10", "L3:2026-12-10", "L4:2026-12-06"]);
  });

  it("dates by the location a batch arrives at: a shipment to B never dates a line waiting at A", () => {
    const dates = promisedDates(
      [line(1, 2, "A"), line(2, 2, "B")],
      [batch("to-B", 5, day(3), "B")],
      noMerchant,
      DEFAULT_SETTINGS,
      T0,
    );
    expect(dates).toEqual([
      { lineId: "L1", promisedAt: addDays(T0 + 60_000, 14), source: "shop_lead", batchId: null, basis: "shop_lead:14" },
      { lineId: "L2", promisedAt: day(3), source: "incoming", batchId: "to-B", basis: `incoming:to-B@${day(3)}` },
    ]);
  });

  it("falls back to the merchant's date, then their lead days, then the shop's; never before now", () => {
    const lines = [line(1, 3)];
    const incoming = [batch("b1", 2, day(4))];
    const at = (merchant: { expectedAt: number | null; leadDays: number | null }, now = T0) =>
      promisedDates(lines, incoming, merchant, DEFAULT_SETTINGS, now)[0]!;
    expect(at({ expectedAt: day(10), leadDays: 3 })).toMatchObject({ promisedAt: day(10), source: "merchant_date" });
    expect(at({ expectedAt: null, leadDays: 7 })).toMatchObject({
      promisedAt: addDays(T0 + 60_000, 7),
      source: "merchant_lead",
    });
    // A date before the batch that gave the line some of its units cannot complete it.
    expect(at({ expectedAt: day(2), leadDays: null })).toMatchObject({ promisedAt: day(4), source: "merchant_date" });
    expect(at({ expectedAt: day(10), leadDays: null }, day(12))).toMatchObject({ promisedAt: day(12) });
  });

  it("a batch that arrives late (its date passed, not received) promises no earlier than now", () => {
    const [date] = promisedDates([line(1, 1)], [batch("late", 1, day(2))], noMerchant, DEFAULT_SETTINGS, day(5));
    expect(date).toMatchObject({ lineId: "L1", promisedAt: day(5), source: "incoming", batchId: "late" });
  });

  it("keeps a revised date on the same basis, and lets a new basis bring the date forward", () => {
    const first = promisedDates([line(1, 1)], [batch("s1", 1, day(10))], noMerchant, DEFAULT_SETTINGS, T0)[0]!;
    const revised = { at: day(15), basis: first.basis };
    const same = promisedDates(
      [{ ...line(1, 1), promised: revised }],
      [batch("s1", 1, day(10))],
      noMerchant,
      DEFAULT_SETTINGS,
      T0,
    );
    expect(same[0]!.promisedAt).toBe(day(15));
    const sooner = promisedDates(
      [{ ...line(1, 1), promised: revised }],
      [batch("s1", 1, day(8))],
      noMerchant,
      DEFAULT_SETTINGS,
      T0,
    );
    expect(sooner[0]).toMatchObject({ promisedAt: day(8), basis: `incoming:s1@${day(8)}` });
  });
});

describe("nextUnitDate", () => {
  it("is the arrival that leaves a unit once every waiting line is served, the latest over locations", () => {
    const lines = [line(1, 4, "A"), line(2, 1, "B")];
    const incoming = [batch("a1", 4, day(3), "A"), batch("a2", 6, day(8), "A"), batch("b1", 3, day(5), "B")];
    expect(nextUnitDate(lines, incoming, noMerchant, DEFAULT_SETTINGS, T0)).toEqual({
      promisedAt: day(8),
      source: "incoming",
    });
    expect(
      nextUnitDate([line(1, 20)], incoming.slice(0, 2), { expectedAt: day(30), leadDays: null }, DEFAULT_SETTINGS, T0),
    ).toEqual({
      promisedAt: day(30),
      source: "merchant_date",
    });
    expect(nextUnitDate([], [], noMerchant, DEFAULT_SETTINGS, T0)).toEqual({
      promisedAt: day(14),
      source: "shop_lead",
    });
  });
});
