import { containsText, type Db } from "../db.server";

// Shopify cannot search variants by inventory policy, so the variant sync keeps this list.
export interface SellingVariantInput {
  variantId: string;
  productId: string;
  inventoryItemId: string;
  productTitle: string;
  title: string;
  sku: string | null;
}

export type SellingVariantRow = SellingVariantInput & { shop: string; syncRun: string };

export async function saveSellingVariants(
  db: Db,
  shop: string,
  syncRun: string,
  rows: readonly SellingVariantInput[],
): Promise<void> {
  if (rows.length === 0) return;
  await db.$transaction(
    rows.map(({ variantId, ...rest }) =>
      db.sellingVariant.upsert({
        where: { shop_variantId: { shop, variantId } },
        create: { shop, variantId, ...rest, syncRun },
        update: { ...rest, syncRun },
      }),
    ),
  );
}

/** Once a sync has read its whole scope, what it did not see is gone. */
export async function sweepSellingVariants(
  db: Db,
  shop: string,
  syncRun: string,
  productId: string | null,
): Promise<number> {
  const { count } = await db.sellingVariant.deleteMany({
    where: { shop, syncRun: { not: syncRun }, ...(productId ? { productId } : {}) },
  });
  return count;
}

export async function findSellingVariants(
  db: Db,
  shop: string,
  variantIds: readonly string[],
): Promise<SellingVariantRow[]> {
  if (variantIds.length === 0) return [];
  return db.sellingVariant.findMany({ where: { shop, variantId: { in: [...variantIds] } } });
}

export async function dropSellingVariants(db: Db, shop: string, variantIds: readonly string[]): Promise<void> {
  if (variantIds.length === 0) return;
  await db.sellingVariant.deleteMany({ where: { shop, variantId: { in: [...variantIds] } } });
}

function matching(db: Db, shop: string, search: string) {
  if (search === "") return { shop };
  const contains = containsText(db, search);
  return { shop, OR: [{ productTitle: contains }, { title: contains }, { sku: contains }] };
}

const ORDER = [{ productTitle: "asc" }, { title: "asc" }, { variantId: "asc" }] as const;

export async function pageSellingVariants(
  db: Db,
  shop: string,
  options: { search: string; offset: number; limit: number },
): Promise<{ rows: SellingVariantRow[]; total: number }> {
  const where = matching(db, shop, options.search);
  const [rows, total] = await db.$transaction([
    db.sellingVariant.findMany({ where, orderBy: [...ORDER], skip: options.offset, take: options.limit }),
    db.sellingVariant.count({ where }),
  ]);
  return { rows, total };
}

export async function allSellingVariants(
  db: Db,
  shop: string,
  search: string,
  limit: number,
): Promise<SellingVariantRow[]> {
  return db.sellingVariant.findMany({ where: matching(db, shop, search), orderBy: [...ORDER], take: limit });
}
