import { backorderCapFor } from "../domain";
import { backorderedByVariant } from "../models/backorders.server";
import type { Pipeline } from "./pipeline.server";
import { latestEffect } from "../models/ledger.server";
import { setVariantPolicy } from "./apply";
import { readInventory } from "./reads/inventory.server";

export interface CappedVariant {
  variantId: string;
  productId: string | null;
  inventoryItemId: string | null;
  /** Null to have it read. */
  policy: "CONTINUE" | "DENY" | null;
}

export function variantsOf(
  rows: readonly { variantId: string | null; productId: string | null; inventoryItemId: string | null }[],
): CappedVariant[] {
  return rows.flatMap(({ variantId, productId, inventoryItemId }) =>
    variantId ? [{ variantId, productId, inventoryItemId, policy: null }] : [],
  );
}

/** Variants without a cap, and variants the merchant set to stop selling, are left as the merchant set them. */
export async function checkCaps(p: Pipeline, variants: readonly CappedVariant[]): Promise<void> {
  const settings = { backorderCap: p.settings.backorderCap, variantCaps: p.settings.variantCaps };
  const unique = [...new Map(variants.map((variant) => [variant.variantId, variant])).values()];
  const capped = unique.filter((variant) => backorderCapFor(variant.variantId, settings) !== null && variant.productId);
  if (capped.length === 0) return;
  const totals = await backorderedByVariant(
    p.db,
    p.shop,
    capped.map((variant) => variant.variantId),
  );
  for (const variant of capped) {
    const cap = backorderCapFor(variant.variantId, settings)!;
    const desired = (totals.get(variant.variantId) ?? 0) >= cap ? "DENY" : "CONTINUE";
    let current = variant.policy;
    if (current === null && variant.inventoryItemId)
      current = (await readInventory(p.admin, variant.inventoryItemId))?.policy ?? null;
    if (current === desired) continue;
    // Only a stop the app made is lifted: a variant the merchant set to stop selling stays so.
    if (desired === "CONTINUE" && !(await stoppedByApp(p, variant.variantId))) continue;
    await setVariantPolicy(
      p,
      `policy:${variant.variantId}:${desired}:${p.now().toISOString()}`,
      variant.productId!,
      variant.variantId,
      desired,
    );
  }
}

/** The ledger's `policy:` keys. */
async function stoppedByApp(p: Pipeline, variantId: string): Promise<boolean> {
  const last = await latestEffect(p.db, p.shop, `policy:${variantId}:`);
  return last?.key.startsWith(`policy:${variantId}:DENY:`) ?? false;
}
