import { z } from "zod";
import {
  ALLOCATION_POLICIES,
  ALLOCATION_WINDOWS,
  DEFAULT_SETTINGS,
  EXPIRY_ACTIONS,
  LEGAL_CEILING_DAYS,
  PARTIAL_SHIPMENTS,
  SETTINGS_LIMITS,
  type Scenario,
  type ScenarioEvent,
  type Settings,
} from "../domain";

const required = (what: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? "is required" : `must be ${what}`;
const timestamp = z.iso
  .datetime({ offset: true, error: required("an ISO 8601 date-time such as 2026-11-02T09:00:00Z") })
  .transform((value) => Date.parse(value));
const nullableTimestamp = timestamp.nullable().default(null);
const count = (min: number) =>
  z.int({ error: required("a whole number") }).min(min, { error: `must be at least ${min}` });
// The settings' upper bounds are the merchant settings' own (SETTINGS_LIMITS), so a scenario can hold what a shop can.
const atMost = (max: number | string) => ({ error: `must be at most ${max}` });
const { maxUnits, maxDays, maxReminderDays, maxListed, maxPriorityTags } = SETTINGS_LIMITS;
const id = z.string({ error: required("a string") }).min(1, { error: "must not be empty" });

const settingsSchema = z
  .strictObject({
    allocationPolicy: z.enum(ALLOCATION_POLICIES).default(DEFAULT_SETTINGS.allocationPolicy),
    priorityTags: z.array(id).max(maxPriorityTags, atMost(maxPriorityTags)).default([]),
    allocationWindow: z.enum(ALLOCATION_WINDOWS).default(DEFAULT_SETTINGS.allocationWindow),
    partialShipment: z.enum(PARTIAL_SHIPMENTS).default(DEFAULT_SETTINGS.partialShipment),
    thresholdPercent: z.number().min(0).max(100).default(DEFAULT_SETTINGS.thresholdPercent),
    neverSplitProductIds: z.array(id).max(maxListed, atMost(maxListed)).default([]),
    leadDays: count(0).max(maxDays, atMost(maxDays)).default(DEFAULT_SETTINGS.leadDays),
    reminderDays: count(0).max(maxReminderDays, atMost(maxReminderDays)).default(DEFAULT_SETTINGS.reminderDays),
    deadlineDays: count(1).max(maxDays, atMost(maxDays)).default(DEFAULT_SETTINGS.deadlineDays),
    consentRecorded: z.boolean().default(false),
    expiryAction: z.enum(EXPIRY_ACTIONS).default(DEFAULT_SETTINGS.expiryAction),
    backorderCap: count(0).max(maxUnits, atMost(maxUnits)).nullable().default(null),
    variantCaps: z
      .record(z.string(), count(0).max(maxUnits, atMost(maxUnits)).nullable())
      .refine((caps) => Object.keys(caps).length <= maxListed, atMost(`${maxListed} entries`))
      .default({}),
  })
  .refine((settings) => settings.deadlineDays <= LEGAL_CEILING_DAYS || settings.consentRecorded, {
    path: ["deadlineDays"],
    error: `must be at most ${LEGAL_CEILING_DAYS} unless consentRecorded is true (customers must agree to wait longer)`,
  })
  // As the merchant's settings check them together: the reminder (days before the promised date, 0 for none)
  // must fall after the order, and the promised date no later than the final deadline.
  .refine((settings) => settings.reminderDays === 0 || settings.reminderDays < settings.leadDays, {
    path: ["reminderDays"],
    error: "must be 0 (no reminder) or fewer than leadDays, so the reminder comes after the order",
  })
  .refine((settings) => settings.leadDays <= settings.deadlineDays, {
    path: ["leadDays"],
    error: "must be at most deadlineDays (the promised date cannot be later than the final deadline)",
  });

// A scenario's settings are the engine's: every field and no other, each to its type.
type ParsedSettings = z.output<typeof settingsSchema>;
const _parsesSettings: [ParsedSettings, keyof ParsedSettings] extends [Settings, keyof Settings] ? true : false = true;

const itemSchema = z.strictObject({
  sku: id,
  available: z.int({ error: required("a whole number (it may be negative)") }),
  price: z.number({ error: required("a number") }).min(0, { error: "must not be negative" }),
  productId: id.optional(),
  tracked: z.boolean().default(true),
  policy: z.enum(["CONTINUE", "DENY"]).default("CONTINUE"),
  expectedAt: nullableTimestamp,
});

const eventSchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({
      type: z.literal("order"),
      at: timestamp,
      id,
      tags: z.array(z.string()).default([]),
      customerTags: z.array(z.string()).default([]),
      deadline: nullableTimestamp,
      lines: z.array(z.strictObject({ sku: id, quantity: count(1) })).min(1, { error: "must list at least one line" }),
    }),
    z.strictObject({ type: z.literal("allocate"), at: timestamp }),
    z.strictObject({ type: z.literal("restock"), at: timestamp, sku: id, quantity: count(1) }),
    z.strictObject({
      type: z.literal("cancel"),
      at: timestamp,
      orderId: id,
      by: z.enum(["customer", "merchant"]).default("customer"),
    }),
    z.strictObject({ type: z.literal("tick"), at: timestamp }),
    z.strictObject({ type: z.literal("consent"), at: timestamp, orderId: id, until: timestamp }),
  ],
  { error: "must be one of order, allocate, restock, cancel, tick, consent" },
);

const scenarioSchema = z
  .strictObject({
    settings: settingsSchema.default(settingsSchema.parse({})),
    items: z
      .array(itemSchema, { error: required("an array of items") })
      .min(1, { error: "must list at least one item" }),
    events: z.array(eventSchema, { error: required("an array of events") }),
  })
  .superRefine((scenario, ctx) => {
    const skus = new Set<string>();
    scenario.items.forEach((item, i) => {
      if (skus.has(item.sku))
        ctx.addIssue({ code: "custom", path: ["items", i, "sku"], message: `duplicate sku "${item.sku}"` });
      skus.add(item.sku);
    });
    const orders = new Map<string, string>();
    let previous = -Infinity;
    scenario.events.forEach((event, i) => {
      const issue = (path: (string | number)[], message: string) =>
        ctx.addIssue({ code: "custom", path: ["events", i, ...path], message });
      if (event.at < previous) issue(["at"], "must not be earlier than the previous event's time");
      previous = Math.max(previous, event.at);
      if (event.type === "order") {
        event.lines.forEach((line, j) => {
          if (!skus.has(line.sku)) issue(["lines", j, "sku"], `unknown sku "${line.sku}" (not in items)`);
        });
        const signature = JSON.stringify(event.lines);
        const known = orders.get(event.id);
        if (known !== undefined && known !== signature) {
          issue(["id"], `order "${event.id}" was already placed with other lines`);
        }
        orders.set(event.id, signature);
      } else if (event.type === "restock" && !skus.has(event.sku)) {
        issue(["sku"], `unknown sku "${event.sku}" (not in items)`);
      } else if ((event.type === "cancel" || event.type === "consent") && !orders.has(event.orderId)) {
        issue(["orderId"], `order "${event.orderId}" is not placed by an earlier event`);
      }
      if (event.type === "consent" && event.until <= event.at) issue(["until"], "must be later than the event's time");
    });
  });

export type ParseResult = { ok: true; scenario: Scenario } | { ok: false; errors: string[] };

/** Every error names its field, such as `events[2].lines[0].quantity`. */
export function parseScenario(input: unknown): ParseResult {
  const parsed = scenarioSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((issue) => `${fieldName(issue.path)}: ${issue.message}`) };
  }
  const { settings, items, events } = parsed.data;
  return {
    ok: true,
    scenario: {
      settings,
      items: items.map((item) => ({ ...item, productId: item.productId ?? item.sku })),
      events: events.map((event): ScenarioEvent => {
        if (event.type !== "order") return event;
        const { deadline, customerTags, tags, ...order } = event;
        // Priority tiers match order and customer tags alike.
        return { ...order, tags: [...tags, ...customerTags], shipBy: deadline };
      }),
    },
  };
}

function fieldName(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(scenario)";
  return path
    .map((part, i) => (typeof part === "number" ? `[${part}]` : `${i === 0 ? "" : "."}${String(part)}`))
    .join("");
}
