import { z } from "zod";

import type { Db } from "../db.server";
import { LEGAL_CEILING_DAYS } from "../domain/deadlines";
import { SETTINGS_LIMITS } from "../domain/limits";
import {
  ALLOCATION_POLICIES,
  ALLOCATION_WINDOWS,
  DEFAULT_SETTINGS as ENGINE_DEFAULTS,
  EXPIRY_ACTIONS,
  PARTIAL_SHIPMENTS,
  type Settings as EngineSettings,
} from "../domain/types";

/** The engine's fields are defined once, in app/domain/types.ts; a shop keeps them with what only the app reads. */
export type Settings = Omit<EngineSettings, "neverSplitProductIds" | "variantCaps"> & {
  neverSplitProducts: EngineSettings["neverSplitProductIds"];
  /** A shop lifts a variant's cap by removing it, so none is null. */
  variantCaps: Readonly<Record<string, number>>;
  /** The shop's local time (HH:MM). */
  cutoffTime: string;
  automaticCutoff: boolean;
  /** Mail Order Rule: a full refund when the app cancels every unit of an order. */
  refundShipping: boolean;
  /** Off by default: where orders ship from is the merchant's routing. */
  moveToStock: boolean;
  /** Only matters when partialShipment holds allocated units (ship_complete or threshold). */
  shipReadyOnRequest: boolean;
  orderTag: string;
  badgeEnabled: boolean;
  badgeText: string | null;
  badgeShowDate: boolean;
  flowEnabled: boolean;
  /** Off by default: the merchant sets up where mail goes first (docs/decisions/0023-customer-email.md). */
  emailEnabled: boolean;
};
// The 30-day ceiling without consent (US Mail Order Rule, EU/UK) is the engine's, app/domain/deadlines.ts.

// A form field left empty or holding text arrives as null or a string: say so, not "expected number".
const whole = () => z.number({ error: "Enter a number" }).int("Enter a whole number");

export const MAX_UNITS = SETTINGS_LIMITS.maxUnits;
const { maxDays: MAX_DAYS, maxListed: MAX_LISTED, maxPriorityTags: MAX_TIERS } = SETTINGS_LIMITS;

const tag = z.string().trim().min(1, "Tags cannot be empty").max(40, "Tags are at most 40 characters");

export const SettingsSchema = z
  .strictObject({
    allocationPolicy: z.enum(ALLOCATION_POLICIES),
    priorityTags: z.array(tag).max(MAX_TIERS, `At most ${MAX_TIERS} priority tiers`),
    allocationWindow: z.enum(ALLOCATION_WINDOWS),
    cutoffTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use a 24-hour time such as 16:00"),
    automaticCutoff: z.boolean().default(true),
    partialShipment: z.enum(PARTIAL_SHIPMENTS),
    thresholdPercent: whole().min(1, "At least 1%").max(100, "At most 100%"),
    neverSplitProducts: z
      .array(z.string().startsWith("gid://shopify/Product/", "Must be a product id"))
      .max(MAX_LISTED, `At most ${MAX_LISTED} products`),
    leadDays: whole().min(1, "At least 1 day").max(MAX_DAYS, `At most ${MAX_DAYS} days`),
    reminderDays: whole()
      .min(0, "Cannot be negative")
      .max(SETTINGS_LIMITS.maxReminderDays, `At most ${SETTINGS_LIMITS.maxReminderDays} days`),
    deadlineDays: whole().min(1, "At least 1 day").max(MAX_DAYS, `At most ${MAX_DAYS} days`),
    consentRecorded: z.boolean(),
    expiryAction: z.enum(EXPIRY_ACTIONS),
    refundShipping: z.boolean().default(true),
    moveToStock: z.boolean().default(false),
    shipReadyOnRequest: z.boolean().default(false),
    backorderCap: whole().min(1, "At least 1 unit").max(MAX_UNITS, `At most ${MAX_UNITS} units`).nullable(),
    variantCaps: z
      .record(
        z.string().startsWith("gid://shopify/ProductVariant/", "Must be a variant id"),
        whole().min(0, "Cannot be negative").max(MAX_UNITS, `At most ${MAX_UNITS} units`),
      )
      .refine((caps) => Object.keys(caps).length <= MAX_LISTED, `At most ${MAX_LISTED} variant caps`),
    orderTag: z
      .string()
      .trim()
      .min(1, "The order tag cannot be empty")
      .max(40, "At most 40 characters")
      .regex(/^[^,]+$/, "A tag cannot contain a comma"),
    badgeEnabled: z.boolean(),
    badgeText: z.string().trim().max(80, "At most 80 characters").nullable(),
    badgeShowDate: z.boolean(),
    flowEnabled: z.boolean(),
    emailEnabled: z.boolean().default(false),
  })
  .superRefine((settings, ctx) => {
    if (settings.deadlineDays > LEGAL_CEILING_DAYS && !settings.consentRecorded) {
      ctx.addIssue({
        code: "custom",
        path: ["deadlineDays"],
        message: `Past ${LEGAL_CEILING_DAYS} days needs your customers' recorded consent`,
      });
    }
    // The legal rule first: validateSettings keeps one message per field, and this is the one to fix.
    if (settings.leadDays > LEGAL_CEILING_DAYS && !settings.consentRecorded) {
      ctx.addIssue({
        code: "custom",
        path: ["leadDays"],
        message: `Past ${LEGAL_CEILING_DAYS} days needs your customers' recorded consent`,
      });
    }
    if (settings.leadDays > settings.deadlineDays) {
      ctx.addIssue({
        code: "custom",
        path: ["leadDays"],
        message: "The promised date cannot be later than the final deadline",
      });
    }
    // The reminder goes out reminderDays before the promised date, which is leadDays after the order.
    if (settings.reminderDays >= settings.leadDays) {
      ctx.addIssue({
        code: "custom",
        path: ["reminderDays"],
        message: `The reminder must come before the promised date: fewer than ${settings.leadDays} days`,
      });
    }
    if (settings.allocationPolicy === "priority" && settings.priorityTags.length === 0) {
      ctx.addIssue({ code: "custom", path: ["priorityTags"], message: "Add at least one tag for priority tiers" });
    }
  });

// The schema parses exactly Settings: every field and no other, each to its type.
type Parsed = z.output<typeof SettingsSchema>;
const _parsesSettings: [Parsed, keyof Parsed] extends [Settings, keyof Settings] ? true : false = true;

// The engine's defaults; its caps' type allows null (a lifted cap), a shop's does not.
const { neverSplitProductIds: neverSplitProducts, variantCaps: _nullable, ...engineDefaults } = ENGINE_DEFAULTS;

export const DEFAULT_SETTINGS: Settings = {
  ...engineDefaults,
  neverSplitProducts,
  variantCaps: {},
  cutoffTime: "16:00",
  automaticCutoff: true,
  refundShipping: true,
  moveToStock: false,
  shipReadyOnRequest: false,
  orderTag: "backordered",
  badgeEnabled: true,
  badgeText: null,
  badgeShowDate: true,
  flowEnabled: true,
  emailEnabled: false,
};

export type SettingsResult = { ok: true; settings: Settings } | { ok: false; fieldErrors: Record<string, string> };

/** The first message per field, keyed by field path. */
export function validateSettings(input: unknown): SettingsResult {
  const result = SettingsSchema.safeParse(input);
  if (result.success) return { ok: true, settings: result.data };
  const fieldErrors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    if (issue.code === "unrecognized_keys") {
      fieldErrors.form ??= `Unknown settings: ${issue.keys.join(", ")}`;
      continue;
    }
    const key = issue.path.join(".") || "form";
    // A bad record key (a variant cap on a product id) wraps the key's own message one level down.
    const message = issue.code === "invalid_key" ? (issue.issues[0]?.message ?? issue.message) : issue.message;
    fieldErrors[key] ??= message;
  }
  return { ok: false, fieldErrors };
}

type Row = NonNullable<Awaited<ReturnType<Db["shopSettings"]["findUnique"]>>>;

function fromRow(row: Row): Settings {
  return {
    allocationPolicy: row.allocationPolicy as Settings["allocationPolicy"],
    priorityTags: JSON.parse(row.priorityTags) as string[],
    allocationWindow: row.allocationWindow as Settings["allocationWindow"],
    cutoffTime: row.cutoffTime,
    automaticCutoff: row.automaticCutoff,
    partialShipment: row.partialShipment as Settings["partialShipment"],
    thresholdPercent: row.thresholdPercent,
    neverSplitProducts: JSON.parse(row.neverSplitProducts) as string[],
    leadDays: row.leadDays,
    reminderDays: row.reminderDays,
    deadlineDays: row.deadlineDays,
    consentRecorded: row.consentRecorded,
    expiryAction: row.expiryAction as Settings["expiryAction"],
    refundShipping: row.refundShipping,
    moveToStock: row.moveToStock,
    shipReadyOnRequest: row.shipReadyOnRequest,
    backorderCap: row.backorderCap,
    variantCaps: JSON.parse(row.variantCaps) as Record<string, number>,
    orderTag: row.orderTag,
    badgeEnabled: row.badgeEnabled,
    badgeText: row.badgeText,
    badgeShowDate: row.badgeShowDate,
    flowEnabled: row.flowEnabled,
    emailEnabled: row.emailEnabled,
  };
}

function toRow(settings: Settings) {
  return {
    ...settings,
    priorityTags: JSON.stringify(settings.priorityTags),
    neverSplitProducts: JSON.stringify(settings.neverSplitProducts),
    variantCaps: JSON.stringify(settings.variantCaps),
  };
}

export async function getSettings(db: Db, shop: string): Promise<Settings> {
  const row = await db.shopSettings.findUnique({ where: { shop } });
  return row ? fromRow(row) : DEFAULT_SETTINGS;
}

export async function saveSettings(db: Db, shop: string, settings: Settings): Promise<Settings> {
  const data = toRow(settings);
  const row = await db.shopSettings.upsert({ where: { shop }, create: { shop, ...data }, update: data });
  return fromRow(row);
}
