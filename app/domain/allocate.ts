import { finalDeadline } from "./deadlines";
import type { Consent, Settings } from "./types";

export interface WaitingLine {
  lineId: string;
  orderedAt: number;
  /** Position in arrival order: breaks ties between lines ordered at the same time. */
  arrival: number;
  remaining: number;
  tags: readonly string[];
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

/** Deterministic whatever the array order: ties by order time, then arrival, then line id; grants in input order. */
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
  // Policies reorder the array they get; grants keep input order.
  share(supply, demand, lines, waiting.slice(), given, scratchFor(lines.length), settings);

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

/** Shared by all items of a re-plan (their lines are disjoint); sorting reads these flat arrays. */
interface Scratch {
  key: Float64Array;
  time: Float64Array;
  arrival: Float64Array;
}

function scratchFor(count: number): Scratch {
  return { key: new Float64Array(count), time: new Float64Array(count), arrival: new Float64Array(count) };
}

function share(
  supply: number,
  demand: number,
  lines: readonly WaitingLine[],
  waiting: number[],
  given: Float64Array,
  scratch: Scratch,
  settings: AllocationSettings,
): void {
  if (supply >= demand) {
    for (const i of waiting) given[i] = lines[i]!.remaining;
  } else if (supply > 0) {
    for (const i of waiting) {
      scratch.time[i] = lines[i]!.orderedAt;
      scratch.arrival[i] = lines[i]!.arrival;
    }
    POLICIES[settings.allocationPolicy](supply, lines, waiting, given, scratch, settings);
  }
}

/** Only called when supply < demand. */
type Policy = (
  supply: number,
  lines: readonly WaitingLine[],
  waiting: number[],
  given: Float64Array,
  scratch: Scratch,
  settings: AllocationSettings,
) => void;

const POLICIES: Record<Settings["allocationPolicy"], Policy> = {
  fifo(supply, lines, waiting, given, scratch) {
    fillInOrder(supply, lines, waiting.sort(byOrderTime(scratch, lines)), given);
  },

  priority(supply, lines, waiting, given, scratch, settings) {
    const tiers = new Map<string, number>();
    settings.priorityTags.forEach((tag, index) => {
      const name = tag.trim().toLowerCase();
      if (!tiers.has(name)) tiers.set(name, index);
    });
    for (const i of waiting) {
      let best = settings.priorityTags.length;
      for (const tag of lines[i]!.tags) best = Math.min(best, tiers.get(tag.trim().toLowerCase()) ?? best);
      scratch.key[i] = best;
    }
    fillInOrder(supply, lines, waiting.sort(byKeyThenOrderTime(scratch, lines)), given);
  },

  earliest_deadline(supply, lines, waiting, given, scratch, settings) {
    for (const i of waiting) {
      const line = lines[i]!;
      const deadline = finalDeadline(line, settings);
      scratch.key[i] = line.shipBy === null ? deadline : Math.min(line.shipBy, deadline);
    }
    fillInOrder(supply, lines, waiting.sort(byKeyThenOrderTime(scratch, lines)), given);
  },

  smallest_first(supply, lines, waiting, given, scratch) {
    for (const i of waiting) scratch.key[i] = lines[i]!.remaining;
    fillInOrder(supply, lines, waiting.sort(byKeyThenOrderTime(scratch, lines)), given);
  },

  /** Max-min fairness by water-filling: the same as one unit per round to every line still waiting. */
  fair_share(supply, lines, waiting, given, scratch) {
    const demands = waiting.map((i) => lines[i]!.remaining).sort((a, b) => a - b);
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
      unfilled.sort(byOrderTime(scratch, lines));
      for (let k = 0; k < left; k++) given[unfilled[k]!]! += 1;
    }
  },

  /** Largest remainder, fractional parts compared exactly as integer remainders; ties by order time. */
  proportional(supply, lines, waiting, given, scratch) {
    let demand = 0;
    for (const i of waiting) demand += lines[i]!.remaining;
    let left = supply;
    for (const i of waiting) {
      const scaled = supply * lines[i]!.remaining;
      const floor = Math.floor(scaled / demand);
      given[i] = floor;
      // Negated so that an ascending sort puts the largest remainder first.
      scratch.key[i] = -(scaled - floor * demand);
      left -= floor;
    }
    if (left > 0) {
      const order = waiting.slice().sort(byKeyThenOrderTime(scratch, lines));
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

function byOrderTime(scratch: Scratch, lines: readonly WaitingLine[]): (a: number, b: number) => number {
  const { time, arrival } = scratch;
  return (a, b) => time[a]! - time[b]! || arrival[a]! - arrival[b]! || compareIds(lines[a]!.lineId, lines[b]!.lineId);
}

function byKeyThenOrderTime(scratch: Scratch, lines: readonly WaitingLine[]): (a: number, b: number) => number {
  const { key } = scratch;
  const tie = byOrderTime(scratch, lines);
  return (a, b) => key[a]! - key[b]! || tie(a, b);
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface ItemWaitingLine extends WaitingLine {
  itemId: string;
}

/** Grants come grouped by item in the order items first appear in `lines`, each group in input order. */
export function allocateAll(
  supply: ReadonlyMap<string, number>,
  lines: readonly ItemWaitingLine[],
  settings: AllocationSettings,
): Grant[] {
  const itemIndex = new Map<string, number>();
  const itemIds: string[] = [];
  const itemOf = new Int32Array(lines.length);
  const sizes: number[] = [];
  let previousId: string | null = null;
  let index = -1;
  for (let i = 0; i < lines.length; i++) {
    const itemId = lines[i]!.itemId;
    // Backlogs usually come ordered by item: a run of the same item needs no lookup.
    if (itemId !== previousId) index = itemIndex.get(itemId) ?? -1;
    previousId = itemId;
    if (index === -1) {
      index = itemIds.push(itemId) - 1;
      itemIndex.set(itemId, index);
      sizes.push(0);
    }
    itemOf[i] = index;
    sizes[index]! += 1;
  }
  const starts = new Int32Array(itemIds.length + 1);
  for (let item = 0; item < itemIds.length; item++) starts[item + 1] = starts[item]! + sizes[item]!;
  const grouped = new Int32Array(lines.length);
  const cursor = starts.slice(0, itemIds.length);
  for (let i = 0; i < lines.length; i++) grouped[cursor[itemOf[i]!]!++] = i;

  const given = new Float64Array(lines.length);
  const scratch = scratchFor(lines.length);
  const grants: Grant[] = [];
  for (let item = 0; item < itemIds.length; item++) {
    const waiting: number[] = [];
    let demand = 0;
    for (let k = starts[item]!; k < starts[item + 1]!; k++) {
      const i = grouped[k]!;
      const remaining = lines[i]!.remaining;
      if (remaining > 0) {
        waiting.push(i);
        demand += remaining;
      }
    }
    if (waiting.length === 0) continue;
    share(supply.get(itemIds[item]!) ?? 0, demand, lines, waiting, given, scratch, settings);
    // `grouped` keeps input order within the item, whatever order the policy served in.
    for (let k = starts[item]!; k < starts[item + 1]!; k++) {
      const i = grouped[k]!;
      if (given[i]! > 0) grants.push({ lineId: lines[i]!.lineId, quantity: given[i]! });
    }
  }
  return grants;
}
