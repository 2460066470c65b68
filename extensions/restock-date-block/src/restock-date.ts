/**
 * The restock date block's logic, as plain code (no Shopify globals, no UI): what it asks the app, how it reads
 * the answer, and what it shows. `BlockExtension.tsx` renders it; `restock-date.test.ts` tests it offline.
 * The contract is the app's `app/routes/api.restock-dates.tsx` (docs/decisions/0019-promised-dates.md).
 */

/** Relative: an admin UI extension's fetch resolves it against the app's URL and adds the ID token. */
export const ENDPOINT = "/api/restock-dates";

export interface VariantDate {
  variantId: string;
  title: string;
  sku: string | null;
  /** The variant's own word; the product's applies when both are null. */
  expectedAt: string | null;
  leadDays: number | null;
  waitingUnits: number;
  /** The latest date promised to a waiting line of the variant. */
  promisedAt: string | null;
}

export interface ProductDates {
  productId: string;
  expectedAt: string | null;
  leadDays: number | null;
  shopLeadDays: number;
  variants: VariantDate[];
}

export type Answer<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

export const readUrl = (productId: string) => `${ENDPOINT}?productId=${encodeURIComponent(productId)}`;

/** What the merchant typed, before it is sent: scope (the product or one variant) and a date or lead days. */
export interface DateForm {
  productId: string;
  /** null: the whole product (every variant without its own word). */
  variantId: string | null;
  kind: "date" | "lead";
  value: string;
}

/** The POST body; an empty value clears the word. Obvious mistakes are caught here, the app checks again. */
export function requestBody(form: DateForm): Answer<Record<string, string | number | null>> {
  const value = form.value.trim();
  const base = { productId: form.productId, variantId: form.variantId };
  if (value === "") return { ok: true, value: { ...base, date: null, leadDays: null } };
  if (form.kind === "date") {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return { ok: false, errors: { date: "Use a date like 2026-12-31" } };
    return { ok: true, value: { ...base, date: value, leadDays: null } };
  }
  if (!/^\d{1,3}$/.test(value) || Number(value) > 365)
    return { ok: false, errors: { leadDays: "Lead days are a whole number from 0 to 365" } };
  return { ok: true, value: { ...base, date: null, leadDays: Number(value) } };
}

/** The app's answer: 200 with the product's dates, 422 with per-field errors, anything else a failure. */
export function readAnswer(status: number, body: unknown): Answer<ProductDates> {
  const json = (body ?? {}) as { dates?: ProductDates; errors?: Record<string, string> };
  if (status === 200 && json.dates) return { ok: true, value: json.dates };
  if (status === 422 && json.errors) return { ok: false, errors: json.errors };
  return { ok: false, errors: { form: `The app did not answer (${status}); try again` } };
}

/** One line per variant: its date and where it comes from, as the block shows it. */
export function describe(dates: ProductDates, variant: VariantDate): string {
  const word =
    variant.expectedAt !== null
      ? `back ${variant.expectedAt}`
      : variant.leadDays !== null
        ? `${variant.leadDays} days lead time`
        : dates.expectedAt !== null
          ? `back ${dates.expectedAt} (product)`
          : dates.leadDays !== null
            ? `${dates.leadDays} days lead time (product)`
            : `shop default, ${dates.shopLeadDays} days`;
  const waiting =
    variant.waitingUnits > 0
      ? ` · ${variant.waitingUnits} waiting${variant.promisedAt ? `, latest promised ${variant.promisedAt}` : ""}`
      : "";
  return `${word}${waiting}`;
}
