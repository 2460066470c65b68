import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ruleLineOf, sentNotice, sweepDecision, type SweepLine } from "./delay-rule";
import { replay, type Scenario, type ScenarioEvent } from "./replay";
import { addDays, DAY_MS } from "./time";
import { ALLOCATION_POLICIES, type Consent, type NoticeKind, type Settings } from "./types";

const T0 = Date.UTC(2026, 10, 2, 9);
const SKUS = ["A", "B", "C"];
const lineOf = (order: { id: string }, index: number) => `${order.id}:${index + 1}`;

const settingsArb: fc.Arbitrary<Settings> = fc.record({
  allocationPolicy: fc.constantFrom(...ALLOCATION_POLICIES),
  priorityTags: fc.constant(["vip"]),
  allocationWindow: fc.constantFrom("immediate" as const, "batch" as const),
  partialShipment: fc.constantFrom("ship_available" as const, "ship_complete" as const, "threshold" as const),
  thresholdPercent: fc.integer({ min: 0, max: 100 }),
  neverSplitProductIds: fc.subarray(SKUS),
  leadDays: fc.integer({ min: 1, max: 20 }),
  reminderDays: fc.integer({ min: 0, max: 5 }),
  deadlineDays: fc.integer({ min: 1, max: 60 }),
  consentRecorded: fc.constant(false),
  expiryAction: fc.constantFrom("cancel" as const, "notify" as const),
  backorderCap: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null }),
  variantCaps: fc.constant({}),
});

type Step =
  | { type: "order"; gapHours: number; tags: string[]; lines: { sku: string; quantity: number }[] }
  | { type: "restock"; gapHours: number; sku: string; quantity: number }
  | { type: "cancel"; gapHours: number; pick: number; merchant: boolean }
  | { type: "consent"; gapHours: number; pick: number; days: number }
  | { type: "allocate" | "tick"; gapHours: number };

const gap = fc.integer({ min: 0, max: 24 * 12 });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      type: fc.constant("order" as const),
      gapHours: gap,
      tags: fc.subarray(["vip"]),
      lines: fc.array(fc.record({ sku: fc.constantFrom(...SKUS), quantity: fc.integer({ min: 1, max: 5 }) }), {
        minLength: 1,
        maxLength: 3,
      }),
    }),
  },
  fc.record({
    type: fc.constant("restock" as const),
    gapHours: gap,
    sku: fc.constantFrom(...SKUS),
    quantity: fc.integer({ min: 1, max: 8 }),
  }),
  fc.record({ type: fc.constant("cancel" as const), gapHours: gap, pick: fc.nat(), merchant: fc.boolean() }),
  fc.record({
    type: fc.constant("consent" as const),
    gapHours: gap,
    pick: fc.nat(),
    days: fc.integer({ min: 1, max: 60 }),
  }),
  fc.record({ type: fc.constantFrom("allocate" as const, "tick" as const), gapHours: gap }),
);

/** A valid scenario: events in time order, cancellations only of orders already placed. */
const scenarioArb: fc.Arbitrary<Scenario> = fc
  .tuple(
    settingsArb,
    fc.tuple(fc.integer({ min: -2, max: 6 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 })),
    fc.boolean(),
    fc.array(stepArb, { maxLength: 25 }),
  )
  .map(([settings, available, untrackedC, steps]) => {
    let at = T0;
    const orderIds: string[] = [];
    const events: ScenarioEvent[] = [];
    for (const step of steps) {
      at += step.gapHours * 3_600_000;
      if (step.type === "order") {
        const id = `${1000 + events.length}`;
        orderIds.push(id);
        events.push({ type: "order", at, id, tags: step.tags, shipBy: null, lines: step.lines });
      } else if (step.type === "restock") {
        events.push({ type: "restock", at, sku: step.sku, quantity: step.quantity });
      } else if (step.type === "cancel") {
        if (orderIds.length === 0) continue;
        events.push({
          type: "cancel",
          at,
          orderId: orderIds[step.pick % orderIds.length]!,
          by: step.merchant ? "merchant" : "customer",
        });
      } else if (step.type === "consent") {
        if (orderIds.length === 0) continue;
        const orderId = orderIds[step.pick % orderIds.length]!;
        events.push({ type: "consent", at, orderId, until: at + step.days * DAY_MS });
      } else {
        events.push({ type: step.type, at });
      }
    }
    const items = SKUS.map((sku, i) => ({
      sku,
      available: available[i]!,
      price: 10 + i,
      productId: sku,
      tracked: !(sku === "C" && untrackedC),
      policy: "CONTINUE" as const,
      expectedAt: null,
    }));
    return { settings, items, events };
  });

describe("replay properties", () => {
  it("conserves units per line: ordered = shipped + reserved + backordered + lost, none negative", () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        for (const line of replay(scenario).lines) {
          expect(line.shipped + line.reserved + line.backordered + line.lost).toBe(line.ordered);
          for (const count of [line.shipped, line.reserved, line.backordered, line.lost]) {
            expect(count).toBeGreaterThanOrEqual(0);
          }
          expect(line.lostReason === null).toBe(line.lost === 0);
        }
      }),
    );
  });

  it("never ships or reserves more of a tracked item than was in stock and restocked", () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const result = replay(scenario);
        for (const item of scenario.items.filter((candidate) => candidate.tracked)) {
          const supplied =
            Math.max(0, item.available) +
            scenario.events.reduce((sum, e) => sum + (e.type === "restock" && e.sku === item.sku ? e.quantity : 0), 0);
          const taken = result.lines
            .filter((line) => line.sku === item.sku)
            .reduce((sum, line) => sum + line.shipped + line.reserved, 0);
          expect(taken).toBeLessThanOrEqual(supplied);
        }
      }),
    );
  });

  it("is deterministic", () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        expect(replay(scenario)).toEqual(replay(scenario));
      }),
    );
  });

  it("the same event applied twice changes nothing (orders, cancellations, allocations, ticks)", () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(), (scenario, pick) => {
        const repeatable = scenario.events.flatMap((event, i) => (event.type === "restock" ? [] : [i]));
        fc.pre(repeatable.length > 0);
        const at = repeatable[pick % repeatable.length]!;
        const events = [...scenario.events.slice(0, at + 1), scenario.events[at]!, ...scenario.events.slice(at + 1)];
        expect(replay({ ...scenario, events })).toEqual(replay(scenario));
      }),
    );
  });

  it("no line expires later than 30 days after its order, unless its customer agreed to wait longer", () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const limit = new Map<string, number>();
        for (const event of scenario.events) {
          if (event.type === "order")
            event.lines.forEach((_, i) => limit.set(lineOf(event, i), event.at + 30 * DAY_MS));
          if (event.type === "consent") {
            for (const [id, at] of limit)
              if (id.startsWith(`${event.orderId}:`)) limit.set(id, Math.max(at, event.until));
          }
        }
        for (const event of replay(scenario).timeline) {
          // A first delay notice whose silence counts is the customer's agreement to its revised date.
          if (event.kind === "notice" && event.silenceIsConsent)
            limit.set(event.lineId, Math.max(limit.get(event.lineId)!, event.revisedAt));
          if (event.kind !== "expire") continue;
          expect(event.at).toBeLessThanOrEqual(limit.get(event.lineId)!);
        }
      }),
    );
  });

  it("leaves nothing due: the sweep at the last event, over what the replay told each waiting line, has nothing", () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const last = scenario.events.at(-1)?.at ?? T0;
        const result = replay(scenario);
        const orders = scenario.events.filter((event) => event.type === "order");
        const lineIds = orders.flatMap((order) => order.lines.map((_, i) => ({ id: lineOf(order, i), order })));
        const consents = new Map<string, Consent>();
        for (const event of scenario.events) {
          if (event.type === "consent") consents.set(event.orderId, { recordedAt: event.at, until: event.until });
        }
        const waiting = result.lines.flatMap((line, i): SweepLine[] => {
          if (line.backordered === 0) return [];
          const { id, order } = lineIds[i]!;
          const events = result.timeline.filter((event) => event.lineId === id);
          const told = events.flatMap((event) => (event.kind === "notice" ? [sentNotice(event, event.at)] : []));
          const timeline = {
            lineId: id,
            orderedAt: order.at,
            backordered: line.backordered,
            promisedAt: told.at(-1)?.revisedAt ?? addDays(order.at, scenario.settings.leadDays),
            consent: consents.get(order.id) ?? null,
            notices: [
              ...new Set(events.map((event) => (event.kind === "notice" ? "delay_notice" : event.kind))),
            ].filter((kind): kind is NoticeKind => kind !== "cancel"),
          };
          return [{ timeline, rule: ruleLineOf(timeline, told) }];
        });
        expect(sweepDecision(waiting, scenario.settings, last)).toEqual({ events: [], rule: [] });
      }),
    );
  });

  it("cancels for want of consent only after a notice that needed a yes, at its reply date, with no yes covering it", () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const result = replay(scenario);
        for (const cancel of result.timeline.filter((event) => event.kind === "cancel")) {
          const asked = result.timeline.filter(
            (event) => event.kind === "notice" && event.lineId === cancel.lineId && event.at < cancel.at,
          );
          const lastNotice = asked.at(-1);
          expect(lastNotice?.kind === "notice" && lastNotice.replyBy !== null).toBe(true);
          expect(cancel.at).toBeGreaterThanOrEqual(cancel.replyBy);
          const orderId = cancel.lineId.split(":")[0];
          const yes = scenario.events.filter(
            (event) => event.type === "consent" && event.orderId === orderId && event.at <= cancel.at,
          );
          const latest = yes.at(-1);
          if (latest?.type === "consent" && lastNotice?.kind === "notice")
            expect(latest.until).toBeLessThan(lastNotice.revisedAt);
        }
      }),
    );
  });
});
