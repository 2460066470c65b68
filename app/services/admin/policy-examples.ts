import { allocate, ALLOCATION_POLICIES, DAY_MS, type AllocationPolicy, type WaitingLine } from "../../domain";
import type { Settings } from "../../models/settings.server";
import { engineSettings } from "../records-for-engine";

export const POLICY_TEXT: Record<AllocationPolicy, { label: string; sentence: string }> = {
  fifo: {
    label: "First come, first served",
    sentence: "The earliest orders are filled completely before later orders get anything.",
  },
  fair_share: {
    label: "Fair share",
    sentence: "Everyone waiting gets one unit in turn, so as many customers as possible receive something.",
  },
  priority: {
    label: "Priority tiers",
    sentence: "Customers with your priority tags are served first, tier by tier; everyone else waits in order.",
  },
  earliest_deadline: {
    label: "Earliest deadline",
    sentence: "Orders closest to their ship-by date or final deadline are served first.",
  },
  smallest_first: {
    label: "Smallest first",
    sentence: "The smallest quantities are filled first, so the most orders are completed.",
  },
  proportional: {
    label: "Proportional",
    sentence: "Stock is split in proportion to what each order still needs.",
  },
};

export interface PolicyExample {
  policy: AllocationPolicy;
  shares: number[];
}

// The quantities differ (with equal ones smallest first is first come first served), customer 5 carries the first
// tier tag and customer 7 must ship by tomorrow, so all six policies share the units differently (a test checks it).
export const EXAMPLE_SUPPLY = 9;
export const EXAMPLE_ORDERED: readonly number[] = [3, 2, 4, 1, 3, 2, 3];
const EXAMPLE_START = Date.UTC(2026, 0, 5, 9);

function exampleLines(tierTag: string): WaitingLine[] {
  return EXAMPLE_ORDERED.map((ordered, i) => ({
    lineId: `customer-${i + 1}`,
    orderedAt: EXAMPLE_START + i * 3_600_000,
    arrival: i,
    remaining: ordered,
    tags: i === 4 ? [tierTag] : [],
    shipBy: i === 6 ? EXAMPLE_START + DAY_MS : null,
    consent: null,
  }));
}

export function policyExamples(settings: Settings): PolicyExample[] {
  const tierTag = settings.priorityTags[0] ?? "VIP";
  const lines = exampleLines(tierTag);
  const base = {
    ...engineSettings(settings),
    priorityTags: settings.priorityTags.length ? settings.priorityTags : [tierTag],
  };
  return ALLOCATION_POLICIES.map((policy) => {
    const result = allocate(EXAMPLE_SUPPLY, lines, { ...base, allocationPolicy: policy });
    const granted = new Map(
      result.kind === "allocated" ? result.grants.map((grant) => [grant.lineId, grant.quantity]) : [],
    );
    return { policy, shares: lines.map((line) => granted.get(line.lineId) ?? 0) };
  });
}
