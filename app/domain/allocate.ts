import { finalDeadline } from "./deadlines";
import type { Consent, Settings } from "./types";

/** A line waiting for units of one item. */
export interface WaitingLine {
  lineId: string;
  orderedAt: number;
  /** Position in arrival order: breaks ties between lines ordered at the same time. */
  arrival: number;
  /** Units the line still needs. */
  remaining: number;
  /** Order and customer tags (for `priority`). */
  tags: readonly string[];
  /** The order's own ship-by date (for `earliest_deadline`). */
  shipBy: number | null;
  consent: Consent | null;
}

export interface Grant {
  lineId: string;
  quantity: number;
}

export type AllocationResult =
  | { kind: "allocated"; grants: Grant[]; used: number; leftover: number }
  | { kind: "nothing_to_allocate"; reason: "no_supply" | "no_waiting_lines" };

type AllocationSettings = Pick<Settings, "allocationPolicy" | "priorityTags" | "deadlineDays" | "consentRecorded">;

/**
 * Shares `supply` units of one item among its waiting lines under the settings' policy. Deterministic: the
 * result depends on the lines' data, not on their order in the array, with ties broken by order time, then
 * arrival position, then line id. Grants come in input order, positive quantities only. O(n log n).
 */
export function allocate(
  supply: number,
  lines: readonly WaitingLine[],
  settings: AllocationSettings,
): AllocationResult {
  const waiting: number[] = [];
  let demand = 0;
  for (let i = 0; i < lines.length; i++) {
    const remaining = lines[i]!.remaining;
    if (remaining > 0) {
      waiting.push(i);
      demand += remaining;
    }
  }
  if (supply <= 0) return { kind: "nothing_to_allocate", reason: "no_supply" };
  if (waiting.length === 0) return { kind: "nothing_to_allocate", reason: "no_waiting_lines" };

  const given = new Float64Array(lines.length);
  if (supply >= demand) {
    for (const i of waiting) given[i] = lines[i]!.remaining;
  } else {
    POLICIES[settings.allocationPolicy](supply, lines, waiting, given, settings);
  }

  const grants: Grant[] = [];
  let used = 0;
  for (const i of waiting) {
    const quantity = given[i]!;
    if (quantity > 0) {
      grants.push({ lineId: lines[i]!.lineId, quantity });
      used += quantity;
    }
  }
  return { kind: "allocated", grants, used, leftover: supply - used };
}

/** Each policy fills `given` (indexed like `lines`) for the `waiting` lines; only called when supply < demand. */
type Policy = (
  supply: number,
  lines: readonly WaitingLine[],
  waiting: number[],
  given: Float64Array,
  settings: AllocationSettings,
) => void;

const POLICIES: Record<Settings["allocationPolicy"], Policy> = {
  fifo(supply, lines, waiting, given) {
    fillInOrder(supply, lines, waiting.sort(byOrderTime(lines)), given);
  },

  priority(supply, lines, waiting, given, settings) {
    const tiers = settings.priorityTags.map((tag) => tag.trim().toLowerCase());
    const tier = new Float64Array(lines.length);
    for (const i of waiting) {
      const tags = new Set(lines[i]!.tags.map((tag) => tag.trim().toLowerCase()));
      const found = tiers.findIndex((tag) => tags.has(tag));
      tier[i] = found === -1 ? tiers.length : found;
    }
    fillInOrder(supply, lines, waiting.sort(byKeyThenOrderTime(tier, lines)), given);
  },

  earliest_deadline(supply, lines, waiting, given, settings) {
    const due = new Float64Array(lines.length);
    for (const i of waiting) {
      const line = lines[i]!;
      const deadline = finalDeadline(line, settings);
      due[i] = line.shipBy === null ? deadline : Math.min(line.shipBy, deadline);
    }
    fillInOrder(supply, lines, waiting.sort(byKeyThenOrderTime(due, lines)), given);
  },

  smallest_first(supply, lines, waiting, given) {
    const remaining = new Float64Array(lines.length);
    for (const i of waiting) remaining[i] = lines[i]!.remaining;
    fillInOrder(supply, lines, waiting.sort(byKeyThenOrderTime(remaining, lines)), given);
  },

  /**
   * Max-min fairness by water-filling, equal to handing out one unit per round to every line still waiting:
   * find the highest level L with sum(min(remaining, L)) <= supply from the sorted demands, give each line
   * min(remaining, L), then the few units left over one each to the lines above L in order-time sequence.
   */
  fair_share(supply, lines, waiting, given) {
    const demands = Float64Array.from(waiting, (i) => lines[i]!.remaining).sort();
    let level = 0;
    let left = supply;
    let above = 0;
    for (let k = 0; k < demands.length; k++) {
      const linesAbove = demands.length - k;
      const step = demands[k]! - level;
      if (step * linesAbove <= left) {
        left -= step * linesAbove;
        level = demands[k]!;
      } else {
        const rise = Math.floor(left / linesAbove);
        level += rise;
        left -= rise * linesAbove;
        above = linesAbove;
        break;
      }
    }
    const unfilled: number[] = [];
    for (const i of waiting) {
      const remaining = lines[i]!.remaining;
      given[i] = Math.min(remaining, level);
      if (remaining > level) unfilled.push(i);
    }
    if (left > 0 && above > 0) {
      unfilled.sort(byOrderTime(lines));
      for (let k = 0; k < left; k++) given[unfilled[k]!]! += 1;
    }
  },

  /**
   * Largest remainder: each line's exact share is supply * remaining / demand; floors first, then the leftover
   * units one each by largest fractional part (compared exactly as integer remainders), ties by order time.
   */
  proportional(supply, lines, waiting, given) {
    let demand = 0;
    for (const i of waiting) demand += lines[i]!.remaining;
    const fraction = new Float64Array(lines.length);
    let left = supply;
    for (const i of waiting) {
      const scaled = supply * lines[i]!.remaining;
      const floor = Math.floor(scaled / demand);
      given[i] = floor;
      // Negated so that an ascending sort puts the largest remainder first.
      fraction[i] = -(scaled - floor * demand);
      left -= floor;
    }
    if (left > 0) {
      const order = waiting.slice().sort(byKeyThenOrderTime(fraction, lines));
      for (let k = 0; k < left; k++) given[order[k]!]! += 1;
    }
  },
};

function fillInOrder(supply: number, lines: readonly WaitingLine[], order: number[], given: Float64Array): void {
  let left = supply;
  for (const i of order) {
    if (left === 0) break;
    const quantity = Math.min(lines[i]!.remaining, left);
    given[i] = quantity;
    left -= quantity;
  }
}

function byOrderTime(lines: readonly WaitingLine[]): (a: number, b: number) => number {
  return (a, b) => {
    const x = lines[a]!;
    const y = lines[b]!;
    return x.orderedAt - y.orderedAt || x.arrival - y.arrival || compareIds(x.lineId, y.lineId);
  };
}

function byKeyThenOrderTime(key: Float64Array, lines: readonly WaitingLine[]): (a: number, b: number) => number {
  const tie = byOrderTime(lines);
  return (a, b) => key[a]! - key[b]! || tie(a, b);
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A waiting line of some item, for re-planning every item at once. */
export interface ItemWaitingLine extends WaitingLine {
  itemId: string;
}

/**
 * A full re-plan: every item's supply shared among its own waiting lines. Grants come grouped by item in the
 * order items first appear in `lines`, each group in input order.
 */
export function allocateAll(
  supply: ReadonlyMap<string, number>,
  lines: readonly ItemWaitingLine[],
  settings: AllocationSettings,
): Grant[] {
  const byItem = new Map<string, ItemWaitingLine[]>();
  for (const line of lines) {
    const group = byItem.get(line.itemId);
    if (group) group.push(line);
    else byItem.set(line.itemId, [line]);
  }
  const grants: Grant[] = [];
  for (const [itemId, group] of byItem) {
    const result = allocate(supply.get(itemId) ?? 0, group, settings);
    if (result.kind === "allocated") for (const grant of result.grants) grants.push(grant);
  }
  return grants;
}
