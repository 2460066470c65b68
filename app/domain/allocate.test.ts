import { describe, expect, it } from "vitest";
import { allocate, allocateAll, type ItemWaitingLine, type WaitingLine } from "./allocate";
import { DAY_MS } from "./time";
import { ALLOCATION_POLICIES, DEFAULT_SETTINGS, type AllocationPolicy, type Settings } from "./types";

const T0 = Date.UTC(2026, 10, 2, 9);

/** Lines ordered one hour apart, in the given order; `L1` is the earliest. */
function waiting(quantities: number[], extra: Partial<WaitingLine>[] = []): WaitingLine[] {
  return quantities.map((remaining, i) => ({
    lineId: `L${i + 1}`,
    orderedAt: T0 + i * 3_600_000,
    arrival: i,
    remaining,
    tags: [],
    shipBy: null,
    consent: null,
    ...extra[i],
  }));
}

function shares(policy: AllocationPolicy, supply: number, lines: WaitingLine[], more: Partial<Settings> = {}) {
  const result = allocate(supply, lines, { ...DEFAULT_SETTINGS, allocationPolicy: policy, ...more });
  const byLine = new Map(result.kind === "allocated" ? result.grants.map((g) => [g.lineId, g.quantity]) : []);
  return lines.map((line) => byLine.get(line.lineId) ?? 0);
}

describe("allocate: the published worked example (9 units; lines 3,3,3,1,1,2,1)", () => {
  const lines = waiting([3, 3, 3, 1, 1, 2, 1]);
  it.each([
    ["fifo", [3, 3, 3, 0, 0, 0, 0]],
    ["fair_share", [2, 2, 1, 1, 1, 1, 1]],
    ["proportional", [2, 2, 2, 1, 1, 1, 0]],
    ["smallest_first", [3, 1, 0, 1, 1, 2, 1]],
    // Without tags, priority is FIFO; without ship-by dates, the deadline follows the order time.
    ["priority", [3, 3, 3, 0, 0, 0, 0]],
    ["earliest_deadline", [3, 3, 3, 0, 0, 0, 0]],
  ] as const)("%s → %j", (policy, expected) => {
    expect(shares(policy, 9, lines)).toEqual(expected);
  });
});

describe("allocate: the seed's case (9 units, 7 lines of 3)", () => {
  const lines = waiting([3, 3, 3, 3, 3, 3, 3]);
  it.each([
    ["fifo", [3, 3, 3, 0, 0, 0, 0]],
    ["fair_share", [2, 2, 1, 1, 1, 1, 1]],
    // Every share is 9/7 = 1.29: floors of 1, then the two leftover units by order time.
    ["proportional", [2, 2, 1, 1, 1, 1, 1]],
    ["smallest_first", [3, 3, 3, 0, 0, 0, 0]],
    ["priority", [3, 3, 3, 0, 0, 0, 0]],
    ["earliest_deadline", [3, 3, 3, 0, 0, 0, 0]],
  ] as const)("%s → %j", (policy, expected) => {
    expect(shares(policy, 9, lines)).toEqual(expected);
  });
});

describe("allocate: policy-specific orderings", () => {
  it("priority serves tiers in the merchant's order, FIFO within a tier and after the tiers", () => {
    const lines = waiting([2, 2, 2, 2, 2], [{}, { tags: ["Wholesale"] }, { tags: ["vip"] }, {}, { tags: ["VIP "] }]);
    expect(shares("priority", 7, lines, { priorityTags: ["vip", "wholesale"] })).toEqual([1, 2, 2, 0, 2]);
  });

  it("earliest_deadline serves ship-by dates first, then the final deadline (order time)", () => {
    const lines = waiting([2, 2, 2, 2], [{}, { shipBy: T0 + 5 * DAY_MS }, {}, { shipBy: T0 + 2 * DAY_MS }]);
    expect(shares("earliest_deadline", 5, lines)).toEqual([1, 2, 0, 2]);
  });

  it("earliest_deadline puts a line with the customer's consent to wait longer after the others", () => {
    const consent = { recordedAt: T0, until: T0 + 60 * DAY_MS };
    const lines = waiting([2, 2], [{ consent }, {}]);
    expect(shares("earliest_deadline", 2, lines)).toEqual([0, 2]);
  });

  it("smallest_first breaks ties of equal remaining by order time", () => {
    expect(shares("smallest_first", 4, waiting([2, 1, 2, 1]))).toEqual([2, 1, 0, 1]);
  });

  it("fair_share levels unequal demands (max-min) and gives the spare units in order-time sequence", () => {
    expect(shares("fair_share", 10, waiting([1, 5, 5, 2, 5]))).toEqual([1, 3, 2, 2, 2]);
  });

  it("proportional: exact shares need no rounding; equal remainders go by order time", () => {
    expect(shares("proportional", 6, waiting([2, 4, 6]))).toEqual([1, 2, 3]);
    // Shares 1/3 ×5 and 10/3: floors 0 and 3, the two leftover units to the earliest equal remainders.
    expect(shares("proportional", 5, waiting([1, 1, 1, 1, 1, 10]))).toEqual([1, 1, 0, 0, 0, 3]);
    // Shares 0.4 ×5 (remainder 6/15) and exactly 4: the leftover units go to the fractional lines.
    expect(shares("proportional", 6, waiting([1, 1, 1, 1, 1, 10]))).toEqual([1, 1, 0, 0, 0, 4]);
  });

  it("ties on order time are broken by arrival position, whatever the array order", () => {
    const lines = waiting(
      [3, 3],
      [
        { orderedAt: T0, arrival: 7 },
        { orderedAt: T0, arrival: 2 },
      ],
    );
    expect(shares("fifo", 3, lines)).toEqual([0, 3]);
    expect(shares("fifo", 3, lines.slice().reverse())).toEqual([3, 0]);
  });
});

describe("allocate: whole results", () => {
  it("fills every line when supply covers demand, under every policy", () => {
    for (const policy of ALLOCATION_POLICIES) {
      expect(allocate(10, waiting([3, 0, 4]), { ...DEFAULT_SETTINGS, allocationPolicy: policy })).toEqual({
        kind: "allocated",
        grants: [
          { lineId: "L1", quantity: 3 },
          { lineId: "L3", quantity: 4 },
        ],
        used: 7,
        leftover: 3,
      });
    }
  });

  it("lists grants in input order whatever order the policy serves in", () => {
    const result = allocate(3, waiting([2, 2, 2], [{}, {}, { tags: ["vip"] }]), {
      ...DEFAULT_SETTINGS,
      allocationPolicy: "priority",
      priorityTags: ["vip"],
    });
    expect(result).toEqual({
      kind: "allocated",
      grants: [
        { lineId: "L1", quantity: 1 },
        { lineId: "L3", quantity: 2 },
      ],
      used: 3,
      leftover: 0,
    });
  });

  it("names why there is nothing to allocate", () => {
    expect(allocate(0, waiting([3]), DEFAULT_SETTINGS)).toEqual({ kind: "nothing_to_allocate", reason: "no_supply" });
    expect(allocate(5, waiting([0, 0]), DEFAULT_SETTINGS)).toEqual({
      kind: "nothing_to_allocate",
      reason: "no_waiting_lines",
    });
    expect(allocate(5, [], DEFAULT_SETTINGS)).toEqual({ kind: "nothing_to_allocate", reason: "no_waiting_lines" });
  });

  it("allocateAll shares each item's supply among that item's lines only", () => {
    const lines: ItemWaitingLine[] = [
      ...waiting([2, 2]).map((line) => ({ ...line, itemId: "A" })),
      ...waiting([1, 4]).map((line) => ({ ...line, lineId: `B${line.lineId}`, itemId: "B" })),
      { ...waiting([5])[0]!, lineId: "C1", itemId: "C" },
    ];
    const supply = new Map([
      ["A", 3],
      ["B", 2],
    ]);
    expect(allocateAll(supply, lines, { ...DEFAULT_SETTINGS, allocationPolicy: "fair_share" })).toEqual([
      { lineId: "L1", quantity: 2 },
      { lineId: "L2", quantity: 1 },
      { lineId: "BL1", quantity: 1 },
      { lineId: "BL2", quantity: 1 },
    ]);
  });
});
