import type { Settings } from "../../models/settings.server";

/** The settings as the form edits them: numbers as typed text, caps as rows. */
export interface FormValues extends Omit<
  Settings,
  "thresholdPercent" | "leadDays" | "reminderDays" | "deadlineDays" | "backorderCap" | "variantCaps" | "badgeText"
> {
  thresholdPercent: string;
  leadDays: string;
  reminderDays: string;
  deadlineDays: string;
  backorderCap: string;
  variantCaps: { variantId: string; cap: string }[];
  badgeText: string;
}

export function toFormValues(settings: Settings): FormValues {
  return {
    ...settings,
    thresholdPercent: String(settings.thresholdPercent),
    leadDays: String(settings.leadDays),
    reminderDays: String(settings.reminderDays),
    deadlineDays: String(settings.deadlineDays),
    backorderCap: settings.backorderCap === null ? "" : String(settings.backorderCap),
    variantCaps: Object.entries(settings.variantCaps).map(([variantId, cap]) => ({ variantId, cap: String(cap) })),
    badgeText: settings.badgeText ?? "",
  };
}

// Empty text becomes null and other text a number (NaN for junk), so the server's validation names the field.
const number = (text: string) => (text.trim() === "" ? null : Number(text));

/** The JSON the form posts; the server validates it against the one settings schema. */
export function toSubmission(values: FormValues) {
  return {
    ...values,
    thresholdPercent: number(values.thresholdPercent),
    leadDays: number(values.leadDays),
    reminderDays: number(values.reminderDays),
    deadlineDays: number(values.deadlineDays),
    backorderCap: number(values.backorderCap),
    variantCaps: Object.fromEntries(values.variantCaps.map((row) => [row.variantId.trim(), number(row.cap)])),
    badgeText: values.badgeText.trim() === "" ? null : values.badgeText,
  };
}
