import fc from "fast-check";
import { describe, expect, it } from "vitest";

import {
  agreedUntil,
  delayDecision,
  nextSweepAt,
  NOTICE_LEAD_DAYS,
  SILENCE_LIMIT_DAYS,
  type DelayDecision,
  type RuleLine,
  type SentNotice,
} from "./delay-rule";
import { addDays, DAY_MS } from "./time";
import { DEFAULT_SETTINGS } from "./types";

/**
 * The Mail Order Rule over whole timelines: a line waits from T0, the sweep runs every few hours, stock arrives
 * in parts (or never), the dates rule moves its expected date, and the customer (or the merchant for them) says
 * yes now and then, to the date on the page or to one of their own. Each step applies the decision as the
 * deadline sweep does, and the rule's promises are checked at every step.
 */
const T0 = Date.UTC(2026, 10, 2, 9);
const HOUR = 3_600_000;
const END = addDays(T0, 220);

interface World {
  promisedDay: number;
  units: number;
  leadDays: number;
  everyHours: number;
  arrivals: { hour: number; units: number }[];
  expected: { hour: number; days: number }[];
  yeses: { hour: number; days: number | "page" }[];
  /** The customer answers every notice on the page at once, and says nothing else. */
  answersAll?: boolean;
}

const worldArb: fc.Arbitrary<World> = fc.record({
  promisedDay: fc.integer({ min: 0, max: 60 }),
  units: fc.integer({ min: 1, max: 5 }),
  leadDays: fc.integer({ min: 0, max: 30 }),
  everyHours: fc.constantFrom(1, 6, 24, 47, 72),
  arrivals: fc.array(
    fc.record({ hour: fc.integer({ min: 0, max: 220 * 24 }), units: fc.integer({ min: 1, max: 3 }) }),
    {
      maxLength: 3,
    },
  ),
  // Days after the promised date, often near the 30-day limit of silence; the first is known from the start.
  expected: fc.array(
    fc.record({
      hour: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 150 * 24 })),
      days: fc.oneof(fc.integer({ min: 28, max: 32 }), fc.integer({ min: -10, max: 150 })),
    }),
    { maxLength: 3 },
  ),
  yeses: fc.array(
    fc.record({
      hour: fc.integer({ min: 0, max: 200 * 24 }),
      days: fc.oneof(fc.constant("page" as const), fc.integer({ min: 1, max: 60 })),
    }),
    { maxLength: 4 },
  ),
});

type Step = { at: number; before: RuleLine; decision: DelayDecision; after: RuleLine };

/** The sweep over the world's timeline: every decision with the line as the rule saw it. */
function run(world: World): Step[] {
  const promisedAt = addDays(T0, world.promisedDay);
  let line: RuleLine = { lineId: "L", unfilled: world.units, promisedAt, expectedAt: null, notices: [], consent: null };
  const steps: Step[] = [];
  const endOfDay = (at: number) => Math.floor(at / DAY_MS) * DAY_MS + DAY_MS - 1000;
  for (let at = T0; at <= END && line.unfilled > 0; at += world.everyHours * HOUR) {
    const since = (hour: number) => T0 + hour * HOUR <= at && T0 + hour * HOUR > at - world.everyHours * HOUR;
    for (const arrival of world.arrivals.filter((a) => since(a.hour))) {
      line = { ...line, unfilled: Math.max(0, line.unfilled - arrival.units) };
    }
    for (const update of world.expected.filter((e) => since(e.hour))) {
      line = { ...line, expectedAt: addDays(promisedAt, update.days) };
    }
    for (const yes of world.answersAll ? [] : world.yeses.filter((y) => since(y.hour))) {
      // The page offers the date last told; the merchant's modal any later date. Neither accepts a past one.
      const shown = line.notices.at(-1)?.revisedAt ?? line.promisedAt;
      const until = endOfDay(yes.days === "page" ? shown : addDays(at, yes.days));
      if (until >= at) line = { ...line, consent: { recordedAt: at, until } };
    }
    const before = line;
    const decision = delayDecision(line, { leadDays: world.leadDays }, at);
    if (decision.kind === "notice") {
      const { kind: _kind, lineId: _lineId, notice, ...said } = decision;
      line = { ...line, notices: [...line.notices, { kind: notice, sentAt: at, ...said }] };
    } else if (decision.kind === "cancel") {
      line = { ...line, unfilled: 0 };
    }
    steps.push({ at, before, decision, after: line });
    if (decision.kind === "notice" && world.answersAll) {
      line = { ...line, consent: { recordedAt: at, until: endOfDay(decision.revisedAt) } };
    }
  }
  return steps;
}

const notices = (steps: readonly Step[]) =>
  steps.flatMap((s) => (s.decision.kind === "notice" ? [{ at: s.at, ...s.decision }] : []));

describe("the Mail Order Rule over whole timelines (property)", () => {
  it("silence counts only in a first notice whose revised date is at most 30 days past the promise", () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const sent = notices(run(world));
        sent.forEach((notice, i) => {
          expect(notice.notice).toBe(i === 0 ? "first" : "renewed");
          const within = notice.revisedAt <= addDays(addDays(T0, world.promisedDay), SILENCE_LIMIT_DAYS);
          expect(notice.silenceIsConsent).toBe(i === 0 && within);
          expect(notice.replyBy === null).toBe(notice.silenceIsConsent);
        });
      }),
    );
  });

  it("every notice revises to a later date and leaves the customer time to answer; no date is revised twice", () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const sent = notices(run(world));
        for (const notice of sent) {
          expect(notice.revisedAt).toBeGreaterThan(notice.fromAt);
          expect(notice.revisedAt).toBeGreaterThanOrEqual(addDays(notice.at, NOTICE_LEAD_DAYS + 1));
          if (notice.replyBy !== null)
            expect(notice.replyBy).toBeGreaterThanOrEqual(addDays(notice.at, NOTICE_LEAD_DAYS));
        }
        expect(new Set(sent.map((n) => n.fromAt)).size).toBe(sent.length);
      }),
    );
  });

  it("the first notice goes out before the promised date when the sweep runs more often than the notice's lead", () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const steps = run({ ...world, yeses: [] });
        const promisedAt = addDays(T0, world.promisedDay);
        const dueAt = addDays(promisedAt, -NOTICE_LEAD_DAYS);
        const waitingAtDue = steps.some((s) => s.at >= dueAt && s.before.unfilled > 0);
        if (world.everyHours >= NOTICE_LEAD_DAYS * 24 || dueAt < T0 || !waitingAtDue) return;
        const first = steps.find((s) => s.decision.kind === "notice");
        expect(first).toBeDefined();
        expect(first!.at).toBeGreaterThanOrEqual(dueAt);
        expect(first!.at).toBeLessThan(promisedAt);
      }),
    );
  });

  it("a line waits past the date agreed only while a notice that needs a yes awaits its reply date", () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const steps = run(world);
        for (const { at, after } of steps) {
          if (after.unfilled === 0) continue;
          const last = after.notices.at(-1);
          const pending =
            last && last.replyBy !== null && !(after.consent && after.consent.until >= last.revisedAt)
              ? last.replyBy
              : -Infinity;
          expect(at).toBeLessThan(Math.max(agreedUntil(after), pending));
        }
      }),
    );
  });

  it("a no_consent cancellation: after a notice that needed a yes (a renewed one once silence counted), never before the date agreed or the reply date, exactly the unfilled units", () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const steps = run(world);
        const cancel = steps.find((s) => s.decision.kind === "cancel");
        if (!cancel || cancel.decision.kind !== "cancel") return;
        const sent: readonly SentNotice[] = cancel.before.notices;
        const last = sent.at(-1)!;
        expect(last.replyBy).not.toBeNull();
        if (sent[0]!.silenceIsConsent) expect(last.kind).toBe("renewed");
        expect(cancel.at).toBeGreaterThanOrEqual(last.replyBy!);
        expect(cancel.at).toBeGreaterThanOrEqual(agreedUntil(cancel.before));
        expect(cancel.before.consent?.until ?? -Infinity).toBeLessThan(last.revisedAt);
        expect(cancel.decision.quantity).toBe(cancel.before.unfilled);
        expect(cancel.decision.quantity).toBeLessThanOrEqual(world.units);
        // Nothing follows a cancellation.
        expect(steps.at(-1)).toBe(cancel);
      }),
    );
  });

  it("a customer who says yes to every date told is never cancelled for want of consent", () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const steps = run({ ...world, answersAll: true });
        expect(steps.some((s) => s.decision.kind === "cancel")).toBe(false);
      }),
    );
  });

  it("silence alone never keeps a line past 30 days after its promised date", () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const limit = addDays(addDays(T0, world.promisedDay), SILENCE_LIMIT_DAYS);
        for (const { at, after } of run({ ...world, yeses: [] })) {
          if (after.unfilled > 0 && at > limit) {
            const last = after.notices.at(-1)!;
            expect(last.replyBy).not.toBeNull();
            expect(at).toBeLessThan(Math.max(last.replyBy!, agreedUntil(after)));
          }
        }
      }),
    );
  });

  it("nextSweepAt: nothing is due for the rule before it, something at it", () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const settings = { ...DEFAULT_SETTINGS, leadDays: world.leadDays };
        const quiet = { ...world, arrivals: [], expected: [], yeses: [] };
        for (const { at, after } of run(quiet)) {
          // A timeline with nothing of its own due, so only the rule speaks.
          const timeline = { lineId: "L", orderedAt: T0, backordered: 0, promisedAt: null, consent: null, notices: [] };
          const next = nextSweepAt({ timeline, rule: after }, settings, at);
          if (after.unfilled === 0) {
            expect(next).toBeNull();
            continue;
          }
          expect(next).not.toBeNull();
          if (next! - 1 > at) expect(delayDecision(after, settings, next! - 1).kind).toBe("nothing");
          expect(delayDecision(after, settings, Math.max(next!, at)).kind).not.toBe("nothing");
        }
      }),
    );
  });
});
