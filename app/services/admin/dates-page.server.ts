import { z } from "zod";

import type { Db } from "../../db.server";
import type { JobQueue } from "../../models/job-types";
import { findRestockDates, saveRestockDates, waitingByVariant, type RestockDateInput } from "../../models/dates.server";
import { dropSellingVariants, pageSellingVariants, type SellingVariantRow } from "../../models/selling-variants.server";
import { latestSyncRun } from "../../models/sync-runs.server";
import { SETTINGS_LIMITS } from "../../domain";
import { BackorderDateStockDocument } from "../../shopify/generated/operations";
import type { AdminGateway } from "../../shopify/gateway.server";
import { shopLockKey } from "../intake.server";

/**
 * The list is the app's (SellingVariant: Shopify cannot search variants by inventory policy), so it pages and
 * counts; each page's stock is read live. Saving re-dates through `redate` jobs
 * (docs/decisions/0019-promised-dates.md).
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
  /** The variant's own, else its product's. */
  expectedAt: string | null;
  leadDays: number | null;
  setOn: "variant" | "product" | null;
}

export interface DatesPage {
  rows: DateRow[];
  search: string;
  page: number;
  pageSize: number;
  total: number;
  syncedAt: string | null;
  syncing: boolean;
}

export async function loadDatesPage(
  deps: { db: Db; admin: Pick<AdminGateway, "query"> },
  shop: string,
  url: URL,
): Promise<DatesPage> {
  const search = url.searchParams.get("q")?.trim() ?? "";
  const page = Math.max(1, Math.floor(Number(url.searchParams.get("page")) || 1));
  const listed = await pageSellingVariants(deps.db, shop, {
    search,
    offset: (page - 1) * DATES_PAGE_SIZE,
    limit: DATES_PAGE_SIZE,
  });
  const variants = await withLiveStock(deps, shop, listed.rows);
  const ids = variants.map((v) => v.variantId);
  const waiting = await waitingByVariant(deps.db, shop, ids);
  const own = await findRestockDates(deps.db, shop, [...ids, ...new Set(variants.map((v) => v.productId))]);
  const rows: DateRow[] = variants.map((v) => {
    const mine = own.find((r) => r.ownerId === v.variantId);
    const product = own.find((r) => r.ownerId === v.productId);
    const word = mine ?? product;
    const wait = waiting.get(v.variantId);
    return {
      variantId: v.variantId,
      productId: v.productId,
      inventoryItemId: v.inventoryItemId,
      title: v.title === "Default Title" ? v.productTitle : `${v.productTitle} — ${v.title}`,
      sku: v.sku,
      stock: v.stock,
      waitingUnits: wait?.units ?? 0,
      waitingLines: wait?.lines ?? 0,
      promisedAt: wait?.latest ? day(wait.latest) : null,
      expectedAt: word?.expectedAt ? day(word.expectedAt) : null,
      leadDays: word?.leadDays ?? null,
      setOn: mine ? "variant" : product ? "product" : null,
    };
  });
  const sync = await latestSyncRun(deps.db, shop, "variants");
  const synced = sync?.status === "completed" ? sync : await latestSyncRun(deps.db, shop, "variants", "completed");
  return {
    rows,
    search,
    page,
    pageSize: DATES_PAGE_SIZE,
    total: listed.total - (listed.rows.length - variants.length),
    syncedAt: synced?.finishedAt?.toISOString() ?? null,
    syncing: sync?.status === "running",
  };
}

/** A variant deleted, or no longer tracked and continue-selling, leaves the list here, not at the next sync. */
async function withLiveStock(
  deps: { db: Db; admin: Pick<AdminGateway, "query"> },
  shop: string,
  rows: readonly SellingVariantRow[],
) {
  if (rows.length === 0) return [];
  const data = await deps.admin.query(BackorderDateStockDocument, { ids: rows.map((r) => r.variantId) });
  const live = new Map<string, number>();
  for (const node of data.nodes) {
    if (node && "inventoryPolicy" in node && node.inventoryPolicy === "CONTINUE" && node.inventoryItem.tracked)
      live.set(node.id, node.inventoryQuantity ?? 0);
  }
  const gone = rows.filter((r) => !live.has(r.variantId)).map((r) => r.variantId);
  await dropSellingVariants(deps.db, shop, gone);
  return rows.filter((r) => live.has(r.variantId)).map((r) => ({ ...r, stock: live.get(r.variantId)! }));
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

/** Checked as the CSV's are: a real future date, or 0–365 days. */
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
