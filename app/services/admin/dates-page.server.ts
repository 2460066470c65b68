import { z } from "zod";

import type { Db } from "../../db.server";
import type { JobQueue } from "../../jobs/types";
import { findRestockDates, saveRestockDates, waitingByVariant, type RestockDateInput } from "../../models/dates.server";
import { SETTINGS_LIMITS } from "../../domain";
import { BackorderDateVariantsDocument } from "../../shopify/generated/operations";
import type { AdminGateway } from "../../shopify/gateway.server";
import { shopLockKey } from "../intake.server";

/**
 * The restock dates page (docs/decisions/0019-promised-dates.md): the shop's continue-selling variants with
 * their stock, the units waiting and the date promised, and the merchant's own date or lead days per variant
 * or product. Saving writes the app's records, then a `redate` job per item applies them (lines, orders,
 * storefront) through the pipeline, as any other change of a date's source.
 */
export const DATES_PAGE_SIZE = 50;

export interface DateRow {
  variantId: string;
  productId: string;
  inventoryItemId: string;
  title: string;
  sku: string | null;
  stock: number;
  waitingUnits: number;
  waitingLines: number;
  promisedAt: string | null;
  /** The merchant's word that applies: the variant's own, else its product's. */
  expectedAt: string | null;
  leadDays: number | null;
  setOn: "variant" | "product" | null;
}

export async function loadDatesPage(deps: { db: Db; admin: Pick<AdminGateway, "query"> }, shop: string, url: URL) {
  const search = url.searchParams.get("q")?.trim() ?? "";
  const after = url.searchParams.get("after");
  const data = await deps.admin.query(BackorderDateVariantsDocument, {
    first: DATES_PAGE_SIZE,
    after: after || null,
    query: search || null,
  });
  const variants = data.productVariants.nodes.filter(
    (v) => v.inventoryPolicy === "CONTINUE" && v.inventoryItem.tracked,
  );
  const ids = variants.map((v) => v.id);
  const waiting = await waitingByVariant(deps.db, shop, ids);
  const own = await findRestockDates(deps.db, shop, [...ids, ...new Set(variants.map((v) => v.product.id))]);
  const rows: DateRow[] = variants.map((v) => {
    const mine = own.find((r) => r.ownerId === v.id);
    const product = own.find((r) => r.ownerId === v.product.id);
    const word = mine ?? product;
    const wait = waiting.get(v.id);
    return {
      variantId: v.id,
      productId: v.product.id,
      inventoryItemId: v.inventoryItem.id,
      title: v.title === "Default Title" ? v.product.title : `${v.product.title} — ${v.title}`,
      sku: v.sku ?? null,
      stock: v.inventoryQuantity ?? 0,
      waitingUnits: wait?.units ?? 0,
      waitingLines: wait?.lines ?? 0,
      promisedAt: wait?.latest ? day(wait.latest) : null,
      expectedAt: word?.expectedAt ? day(word.expectedAt) : null,
      leadDays: word?.leadDays ?? null,
      setOn: mine ? "variant" : product ? "product" : null,
    };
  });
  const { hasNextPage, endCursor } = data.productVariants.pageInfo;
  return { rows, search, nextCursor: hasNextPage ? (endCursor ?? null) : null, after: after || null };
}

const day = (date: Date) => date.toISOString().slice(0, 10);

const Gid = (type: string) => z.string().regex(new RegExp(`^gid://shopify/${type}/\\d+$`), `not a ${type} id`);
export const DateTarget = z.object({
  variantId: Gid("ProductVariant"),
  productId: Gid("Product"),
  inventoryItemId: Gid("InventoryItem"),
  sku: z.string().nullable(),
});
export type DateTarget = z.infer<typeof DateTarget>;

/** A date or lead days from the merchant, checked as the CSV's are: a real future date, or 0–365 days. */
export function parseWord(
  input: { date?: string | null; leadDays?: string | null },
  today: string,
): { ok: true; expectedAt: Date | null; leadDays: number | null } | { ok: false; error: string } {
  const date = input.date?.trim() || null;
  const lead = input.leadDays?.trim() || null;
  if (date && lead) return { ok: false, error: "give a date or lead days, not both" };
  if (date) {
    const parsed = z.iso.date().safeParse(date);
    if (!parsed.success || Number.isNaN(Date.parse(`${date}T00:00:00Z`)))
      return { ok: false, error: `"${date}" is not a date like 2026-12-31` };
    if (date < today) return { ok: false, error: `${date} is in the past` };
    return { ok: true, expectedAt: new Date(`${date}T00:00:00Z`), leadDays: null };
  }
  if (lead) {
    const days = Number(lead);
    if (!/^\d+$/.test(lead) || days > SETTINGS_LIMITS.maxDays)
      return { ok: false, error: `lead days "${lead}" must be a whole number from 0 to ${SETTINGS_LIMITS.maxDays}` };
    return { ok: true, expectedAt: null, leadDays: days };
  }
  return { ok: true, expectedAt: null, leadDays: null };
}

/** Saves the merchant's word for variants (or their products) and re-dates each item through a job. */
export async function applyMerchantDates(
  deps: { db: Db; queue: JobQueue },
  shop: string,
  entries: readonly {
    target: DateTarget;
    on: "variant" | "product";
    expectedAt: Date | null;
    leadDays: number | null;
  }[],
): Promise<void> {
  const rows = new Map<string, RestockDateInput>();
  for (const { target, on, expectedAt, leadDays } of entries) {
    const ownerId = on === "variant" ? target.variantId : target.productId;
    rows.set(ownerId, {
      ownerId,
      productId: target.productId,
      sku: on === "variant" ? target.sku : null,
      expectedAt,
      leadDays,
    });
  }
  await saveRestockDates(deps.db, shop, [...rows.values()]);
  for (const { target } of entries) {
    await deps.queue.enqueue({
      shop,
      type: "redate",
      payload: { inventoryItemId: target.inventoryItemId, variantId: target.variantId, productId: target.productId },
      lockKey: shopLockKey(shop),
    });
  }
}
