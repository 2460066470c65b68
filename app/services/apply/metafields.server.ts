import { applyOnce, latestEffect, recordEffect } from "../../models/ledger.server";
import type { MetafieldIdentifierInput, MetafieldsSetInput } from "../../shopify/generated/admin.types";
import { BackorderMetafieldsDeleteDocument, BackorderMetafieldsSetDocument } from "../../shopify/generated/operations";
import type { Pipeline } from "../pipeline.server";
import { unwrap } from "./user-errors";

const variantDatePrefix = (variantId: string) => `variant-date:${variantId}:`;

/** The metafield is app-owned (`$app`), so only the app changes it and its own ledger says what Shopify shows. */
export async function variantDatesToWrite<T extends MetafieldsSetInput>(p: Pipeline, dates: T[]): Promise<T[]> {
  const stale: T[] = [];
  for (const date of dates) {
    const last = await latestEffect(p.db, p.shop, variantDatePrefix(date.ownerId));
    if (!last?.key.startsWith(`${variantDatePrefix(date.ownerId)}set:${date.value}:`)) stale.push(date);
  }
  return stale;
}

export async function recordVariantDates(p: Pipeline, orderId: string, dates: MetafieldsSetInput[]): Promise<void> {
  for (const date of dates) {
    await recordEffect(
      p.db,
      p.shop,
      `${variantDatePrefix(date.ownerId)}set:${date.value}:${orderId}`,
      "metafields_set",
      null,
    );
  }
}

/** metafieldsSet takes at most 25 metafields per call and is atomic. */
export async function setMetafields(p: Pipeline, key: string, metafields: MetafieldsSetInput[]): Promise<void> {
  if (metafields.length === 0) return;
  await applyOnce(p.db, p.shop, key, "metafields_set", async () => {
    for (let start = 0; start < metafields.length; start += 25) {
      const result = await p.admin.mutate(BackorderMetafieldsSetDocument, {
        metafields: metafields.slice(start, start + 25),
      });
      unwrap("metafieldsSet", result);
    }
    return null;
  });
}

export async function deleteMetafields(
  p: Pipeline,
  key: string,
  metafields: MetafieldIdentifierInput[],
): Promise<void> {
  if (metafields.length === 0) return;
  await applyOnce(p.db, p.shop, key, "metafields_delete", async () => {
    unwrap("metafieldsDelete", await p.admin.mutate(BackorderMetafieldsDeleteDocument, { metafields }));
    return null;
  });
}
