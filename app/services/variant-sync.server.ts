import { randomUUID } from "node:crypto";

import { saveSellingVariants, sweepSellingVariants, type SellingVariantInput } from "../models/selling-variants.server";
import { finishSyncRun, startSyncRun } from "../models/sync-runs.server";
import { BackorderDateVariantsDocument, type BackorderDateVariantsQuery } from "../shopify/generated/operations";
import type { Pipeline } from "./pipeline.server";

/** Shopify's page ceiling; a page stays under the 1,000 points per query. */
export const VARIANT_SYNC_PAGE = 250;

export type VariantSyncOutcome = { kind: "variants_synced"; read: number; selling: number; removed: number };

/** A run that dies part way removes nothing; the next run finishes the job (docs/decisions/0019-promised-dates.md). */
export async function syncSellingVariants(p: Pipeline, productId: string | null): Promise<VariantSyncOutcome> {
  // A whole-shop run is recorded (the page says when the list was read); a product's run needs only an id.
  const run = productId ? null : await startSyncRun(p.db, p.shop, "variants");
  const runId = run?.id ?? `product:${randomUUID()}`;
  const query = productId ? `product_id:${productId.split("/").pop()}` : null;
  let read = 0;
  let selling = 0;
  let after: string | null = null;
  try {
    do {
      const page: BackorderDateVariantsQuery = await p.admin.query(BackorderDateVariantsDocument, {
        first: VARIANT_SYNC_PAGE,
        after,
        query,
      });
      const rows: SellingVariantInput[] = page.productVariants.nodes
        .filter((v) => v.inventoryPolicy === "CONTINUE" && v.inventoryItem.tracked)
        .map((v) => ({
          variantId: v.id,
          productId: v.product.id,
          inventoryItemId: v.inventoryItem.id,
          productTitle: v.product.title,
          title: v.title,
          sku: v.sku || null,
        }));
      await saveSellingVariants(p.db, p.shop, runId, rows);
      read += page.productVariants.nodes.length;
      selling += rows.length;
      const { hasNextPage, endCursor } = page.productVariants.pageInfo;
      after = hasNextPage ? (endCursor ?? null) : null;
    } while (after);
  } catch (error) {
    if (run) await finishSyncRun(p.db, p.shop, run.id, { status: "failed", error: String(error) }, p.now());
    throw error;
  }
  const removed = await sweepSellingVariants(p.db, p.shop, runId, productId);
  const outcome: VariantSyncOutcome = { kind: "variants_synced", read, selling, removed };
  if (run)
    await finishSyncRun(p.db, p.shop, run.id, { status: "completed", detail: { read, selling, removed } }, p.now());
  return outcome;
}
