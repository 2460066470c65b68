import { allocate } from "./allocate";
import { promisedDates } from "./dates";
import { recordNotices, type TimelineEvent } from "./deadlines";
import {
  nextSweepAt,
  ruleLineOf,
  sentNotice,
  sweepDecision,
  type DelayDecision,
  type SentNotice,
  type SweepLine,
} from "./delay-rule";
import type { StockBefore } from "./detect";
import { metrics, type Metrics } from "./metrics";
import { MinHeap } from "./heap";
import { planNewOrderLines, stockKey, type NewLinePlan } from "./new-order";
import { grantToOrder } from "./shipment";
import {
  ALLOCATION_POLICIES,
  type AllocationPolicy,
  type BackorderLine,
  type LostReason,
  type Settings,
} from "./types";

export interface Scenario {
  settings: Settings;
  items: readonly ScenarioItem[];
  events: readonly ScenarioEvent[];
}

export interface ScenarioItem {
  sku: string;
  /** Negative: already oversold. */
  available: number;
  price: number;
  productId: string;
  tracked: boolean;
  policy: "CONTINUE" | "DENY";
  expectedAt: number | null;
}

export type ScenarioEvent =
  | {
      type: "order";
      at: number;
      id: string;
      tags: readonly string[];
      shipBy: number | null;
      lines: readonly { sku: string; quantity: number }[];
    }
  | { type: "allocate"; at: number }
  | { type: "restock"; at: number; sku: string; quantity: number }
  | { type: "cancel"; at: number; orderId: string; by: "customer" | "merchant" }
  | { type: "tick"; at: number }
  /** Silence never counts here. */
  | { type: "consent"; at: number; orderId: string; until: number };

export interface ReplayLine {
  orderId: string;
  sku: string;
  ordered: number;
  shipped: number;
  reserved: number;
  backordered: number;
  lost: number;
  lostReason: LostReason | null;
}

export type ReplayEvent = TimelineEvent | (Exclude<DelayDecision, { kind: "nothing" }> & { at: number });

export interface ReplayResult {
  policy: AllocationPolicy;
  lines: ReplayLine[];
  metrics: Metrics;
  timeline: ReplayEvent[];
}

/** An order id placed again with the same lines is a redelivery and changes nothing; with other lines it is refused. */
export function replay(
  scenario: Scenario,
  policy: AllocationPolicy = scenario.settings.allocationPolicy,
): ReplayResult {
  const run = new Replay({ ...scenario.settings, allocationPolicy: policy }, scenario.items);
  for (const event of scenario.events) run.apply(event);
  return run.result();
}

export function replayAll(scenario: Scenario): ReplayResult[] {
  return ALLOCATION_POLICIES.map((policy) => replay(scenario, policy));
}

interface ItemState {
  item: ScenarioItem;
  free: number;
  waiting: number;
  open: BackorderLine[];
}

class Replay {
  private readonly items = new Map<string, ItemState>();
  private readonly lines: BackorderLine[] = [];
  private readonly orders = new Map<string, { signature: string; lines: BackorderLine[] }>();
  private readonly timeline: ReplayEvent[] = [];
  private readonly due = new MinHeap<BackorderLine>();
  private readonly told = new Map<string, SentNotice[]>();
  private clock = -Infinity;

  constructor(
    private readonly settings: Settings,
    items: readonly ScenarioItem[],
  ) {
    for (const item of items) {
      this.items.set(item.sku, { item, free: Math.max(0, item.available), waiting: 0, open: [] });
    }
  }

  /** Deadlines due by the event's time fire before it, and those it made due (a new line) right after it. */
  apply(event: ScenarioEvent): void {
    this.fireDeadlines(event.at);
    this.applyEvent(event);
    this.fireDeadlines(event.at);
  }

  private applyEvent(event: ScenarioEvent): void {
    switch (event.type) {
      case "order":
        return this.placeOrder(event);
      case "allocate":
        for (const sku of this.items.keys()) this.allocateItem(sku, event.at);
        return;
      case "restock":
        this.item(event.sku).free += event.quantity;
        if (this.settings.allocationWindow === "immediate") this.allocateItem(event.sku, event.at);
        return;
      case "cancel":
        return this.cancelOrder(
          event.orderId,
          event.by === "merchant" ? "merchant_cancelled" : "customer_cancelled",
          event.at,
        );
      case "tick":
        return;
      case "consent":
        // A later deadline changes when the line's notices fall due.
        for (const line of this.order(event.orderId).lines) {
          line.consent = { recordedAt: event.at, until: event.until };
          this.scheduleNotices(line, event.at);
        }
        return;
    }
  }

  result(): ReplayResult {
    return {
      policy: this.settings.allocationPolicy,
      lines: this.lines.map((line) => ({
        orderId: line.orderId,
        sku: line.itemId,
        ordered: line.ordered,
        shipped: line.shipped,
        reserved: line.reserved,
        backordered: line.backordered,
        lost: line.lost,
        lostReason: line.lostReason,
      })),
      metrics: metrics(this.lines),
      timeline: this.timeline,
    };
  }

  private placeOrder(event: Extract<ScenarioEvent, { type: "order" }>): void {
    const signature = JSON.stringify(event.lines);
    const known = this.orders.get(event.id);
    if (known) {
      if (known.signature === signature) return;
      throw new Error(`replay: order ${event.id} was already placed with other lines`);
    }
    const plans = this.planOrder(event);
    const placed = plans.map((plan, i): BackorderLine => {
      const sku = event.lines[i]!.sku;
      const state = this.item(sku);
      const reserved = plan.shipNow;
      if (state.item.tracked) state.free -= Math.min(state.free, reserved);
      const backordered = plan.backordered;
      const line: BackorderLine = {
        lineId: plan.lineId,
        orderId: event.id,
        itemId: sku,
        productId: state.item.productId,
        price: state.item.price,
        orderedAt: event.at,
        arrival: this.lines.length,
        tags: event.tags,
        shipBy: event.shipBy,
        ordered: plan.ordered,
        shipped: 0,
        reserved,
        backordered,
        lost: 0,
        lostReason: null,
        losses: [],
        promisedAt: backordered > 0 ? this.promise(plan.lineId, event, backordered, state.item) : null,
        consent: null,
        notices: [],
        lastShippedAt: null,
      };
      if (plan.capReached > 0) lose(line, "cap_reached", plan.capReached, event.at);
      this.lines.push(line);
      if (backordered > 0) {
        state.waiting += backordered;
        state.open.push(line);
        this.scheduleNotices(line, event.at);
      }
      return line;
    });
    this.orders.set(event.id, { signature, lines: placed });
    releasePlaced(placed, plans, event.at);
  }

  /** Production's order-placed transition, over the stock each item has left once its waiting lines are counted. */
  private planOrder(event: Extract<ScenarioEvent, { type: "order" }>): NewLinePlan[] {
    // The scenario has one location: each sku is one item, keyed as the app keys an item with no location.
    const stock = new Map<string, StockBefore>();
    for (const { sku } of event.lines) {
      const state = this.item(sku);
      const available = state.free - state.waiting;
      stock.set(stockKey(sku, null), { available, tracked: state.item.tracked, policy: state.item.policy });
    }
    const orderLines = event.lines.map((line, i) => ({
      lineId: `${event.id}:${i + 1}`,
      variantId: line.sku,
      productId: this.item(line.sku).item.productId,
      locationId: null,
      unfulfilled: line.quantity,
    }));
    return planNewOrderLines(orderLines, stock, this.settings);
  }

  private promise(lineId: string, event: { at: number; tags: readonly string[] }, units: number, item: ScenarioItem) {
    const line = { lineId, orderedAt: event.at, arrival: 0, remaining: units, tags: event.tags, shipBy: null };
    const merchant = { expectedAt: item.expectedAt, leadDays: null };
    return promisedDates([{ ...line, consent: null, locationId: null }], [], merchant, this.settings, event.at)[0]!
      .promisedAt;
  }

  private allocateItem(sku: string, now: number): void {
    const state = this.item(sku);
    const waiting = (state.open = state.open.filter((line) => line.backordered > 0));
    const result = allocate(
      state.free,
      waiting.map((line) => ({ ...line, remaining: line.backordered })),
      this.settings,
    );
    if (result.kind === "nothing_to_allocate") return;
    const byId = new Map(waiting.map((line) => [line.lineId, line]));
    const grants = new Map(result.grants.map((grant) => [grant.lineId, grant.quantity]));
    const orders = new Set(result.grants.map((grant) => byId.get(grant.lineId)!.orderId));
    state.free = result.leftover;
    for (const orderId of orders) this.ship(orderId, grants, now);
  }

  private cancelOrder(orderId: string, reason: LostReason, now: number): void {
    const order = this.order(orderId);
    const freed = new Set<string>();
    for (const line of order.lines) {
      const state = this.item(line.itemId);
      if (line.reserved > 0 && state.item.tracked) {
        state.free += line.reserved;
        freed.add(line.itemId);
      }
      lose(line, reason, line.reserved + line.backordered, now);
      line.reserved = 0;
      this.unwait(line, line.backordered);
    }
    if (this.settings.allocationWindow === "immediate") for (const sku of freed) this.allocateItem(sku, now);
  }

  private fireDeadlines(until: number): void {
    while (this.due.size > 0 && Math.max(this.due.peekKey(), this.clock) <= until) {
      const now = Math.max(this.due.peekKey(), this.clock);
      const dueLines = new Set<BackorderLine>();
      while (this.due.size > 0 && this.due.peekKey() <= now) dueLines.add(this.due.pop());
      this.clock = now;
      const lines = [...dueLines].sort((a, b) => a.arrival - b.arrival);
      this.sweep(lines, now);
    }
    this.clock = Math.max(this.clock, until);
  }

  private sweep(lines: readonly BackorderLine[], now: number): void {
    const decision = sweepDecision(lines.map(this.sweepLine), this.settings, now);
    const byId = new Map(lines.map((line) => [line.lineId, line]));
    for (const ruled of decision.rule) {
      const line = byId.get(ruled.lineId)!;
      this.timeline.push({ ...ruled, at: now });
      if (ruled.kind === "notice") {
        this.told.set(line.lineId, [...this.toldOf(line), sentNotice(ruled, now)]);
        // The customer was told the revised date: it is the line's promise from now on.
        line.promisedAt = ruled.revisedAt;
        if (!line.notices.includes("delay_notice")) line.notices = [...line.notices, "delay_notice"];
      } else this.removeUnfilled(line, "no_consent", now);
    }
    for (const event of [...decision.events].sort((a, b) => a.at - b.at)) {
      const line = byId.get(event.lineId)!;
      Object.assign(line, recordNotices(line, [event]));
      this.timeline.push(event);
      if (event.kind === "expire" && event.action === "cancel") this.removeUnfilled(line, "deadline", event.at);
    }
    for (const line of lines) this.scheduleNotices(line, now, true);
  }

  /** Units already allocated may now ship. */
  private removeUnfilled(line: BackorderLine, reason: LostReason, at: number): void {
    lose(line, reason, line.backordered, at);
    this.unwait(line, line.backordered);
    this.ship(line.orderId, new Map(), at);
  }

  private scheduleNotices(line: BackorderLine, now: number, swept = false): void {
    const at = nextSweepAt(this.sweepLine(line), this.settings, now);
    if (at !== null && (!swept || at > now)) this.due.push(at, line.arrival, line);
  }

  private toldOf(line: BackorderLine): readonly SentNotice[] {
    return this.told.get(line.lineId) ?? [];
  }

  private readonly sweepLine = (line: BackorderLine): SweepLine => ({
    timeline: { ...line, expectedAt: this.item(line.itemId).item.expectedAt },
    rule: ruleLineOf(line, this.toldOf(line)),
  });

  private unwait(line: BackorderLine, quantity: number): void {
    line.backordered -= quantity;
    this.item(line.itemId).waiting -= quantity;
  }

  /** The supply-changed transition production's shipping takes: the order's grants, then what now ships. */
  private ship(orderId: string, grants: ReadonlyMap<string, number>, now: number): void {
    const lines = this.orders.get(orderId)!.lines;
    const granted = grantToOrder(lines, grants, this.settings);
    lines.forEach((line, i) => {
      const { granted: units, reserved, release } = granted[i]!;
      this.unwait(line, units);
      line.reserved = reserved;
      shipUnits(line, release, now);
    });
  }

  private order(orderId: string) {
    const order = this.orders.get(orderId);
    if (!order) throw new Error(`replay: order ${orderId} was never placed`);
    return order;
  }

  private item(sku: string): ItemState {
    const state = this.items.get(sku);
    if (!state) throw new Error(`replay: unknown sku ${sku}`);
    return state;
  }
}

/** A new order's lines take the releases its plan made; the rest of each line's reserved units stay held. */
function releasePlaced(lines: readonly BackorderLine[], plans: readonly NewLinePlan[], now: number): void {
  lines.forEach((line, i) => shipUnits(line, plans[i]!.release, now));
}

function shipUnits(line: BackorderLine, quantity: number, now: number): void {
  if (quantity <= 0) return;
  line.reserved -= quantity;
  line.shipped += quantity;
  line.lastShippedAt = now;
}

function lose(line: BackorderLine, reason: LostReason, quantity: number, at: number): void {
  if (quantity <= 0) return;
  line.lost += quantity;
  line.lostReason ??= reason;
  line.losses = [...line.losses, { reason, quantity, at }];
}
