import { z } from "zod";

import type { Db } from "../../db.server";
import type { JobQueue } from "../../models/job-types";
import { findRestockDates, waitingByVariant } from "../../models/dates.server";
import { getSettings } from "../../models/settings.server";
import { BackorderDateVariantsDocument, type BackorderDateVariantsQuery } from "../../shopify/generated/operations";
import type { AdminGateway } from "../../shopify/gateway.server";
import { applyMerchantDates, parseWord, type DateTarget } from "./dates-page.server";

/**
 * The product page's block (extensions/restock-date-block, docs/decisions/0019-promised-dates.md): variants are
 * read live, since the list may not have synced the product yet.
 */
type Deps = { db: Db; admin: Pick<AdminGateway, "query"> };
export type ProductDatesAnswer =
  { status: 200; body: { dates: ProductDates } } | { status: 422; body: { errors: Record<string, string> } };

export interface ProductDates {
  productId: string;
  expectedAt: string | null;
  leadDays: number | null;
  shopLeadDays: number;
  variants: {
    variantId: string;
    title: string;
    sku: string | null;
    expectedAt: string | null;
    leadDays: number | null;
    waitingUnits: number;
    promisedAt: string | null;
  }[];
}

const ProductId = z
  .string({ error: "productId is required" })
  .regex(/^gid:\/\/shopify\/Product\/\d+$/, "productId must be a Product GID");

const SaveBody = z.object({
  productId: ProductId,
  variantId: z
    .string()
    .regex(/^gid:\/\/shopify\/ProductVariant\/\d+$/, "variantId must be a ProductVariant GID")
    .nullable(),
  date: z.string().nullable(),
  leadDays: z.union([z.number(), z.string()]).nullable(),
});

export async function loadProductDates(deps: Deps, shop: string, productId: unknown): Promise<ProductDatesAnswer> {
  const id = ProductId.safeParse(productId);
  if (!id.success) return { status: 422, body: { errors: { productId: id.error.issues[0]!.message } } };
  const variants = await sellingVariantsOf(deps.admin, id.data);
  if (variants === null) return { status: 422, body: { errors: { productId: `no product ${id.data}` } } };
  return { status: 200, body: { dates: await productDates(deps.db, shop, id.data, variants) } };
}

export async function saveProductDate(
  deps: Deps & { queue: JobQueue },
  shop: string,
  input: unknown,
  today: string,
): Promise<ProductDatesAnswer> {
  const parsed = SaveBody.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { status: 422, body: { errors: { [String(issue.path[0] ?? "body")]: issue.message } } };
  }
  const { productId, variantId, date, leadDays } = parsed.data;
  const word = parseWord({ date, leadDays: leadDays === null ? null : String(leadDays) }, today);
  if (!word.ok) return { status: 422, body: { errors: { [date ? "date" : "leadDays"]: word.error } } };
  const variants = await sellingVariantsOf(deps.admin, productId);
  if (variants === null) return { status: 422, body: { errors: { productId: `no product ${productId}` } } };
  const targets = variantId ? variants.filter((v) => v.variantId === variantId) : variants;
  if (targets.length === 0) {
    const error = variantId
      ? "this variant is not one of the product's continue-selling variants"
      : "no variant of this product keeps selling when out of stock";
    return { status: 422, body: { errors: { variantId: error } } };
  }
  await applyMerchantDates(
    deps,
    shop,
    targets.map((target) => ({
      target,
      on: variantId ? "variant" : "product",
      expectedAt: word.expectedAt,
      leadDays: word.leadDays,
    })),
  );
  return { status: 200, body: { dates: await productDates(deps.db, shop, productId, variants) } };
}

type Selling = DateTarget & { title: string };

async function sellingVariantsOf(admin: Pick<AdminGateway, "query">, productId: string): Promise<Selling[] | null> {
  const found: BackorderDateVariantsQuery["productVariants"]["nodes"] = [];
  let after: string | null = null;
  do {
    const page: BackorderDateVariantsQuery = await admin.query(BackorderDateVariantsDocument, {
      first: 250,
      after,
      query: `product_id:${productId.split("/").pop()}`,
    });
    found.push(...page.productVariants.nodes);
    after = page.productVariants.pageInfo.hasNextPage ? (page.productVariants.pageInfo.endCursor ?? null) : null;
  } while (after);
  if (found.length === 0) return null;
  return found
    .filter((v) => v.inventoryPolicy === "CONTINUE" && v.inventoryItem.tracked)
    .map((v) => ({
      variantId: v.id,
      productId: v.product.id,
      inventoryItemId: v.inventoryItem.id,
      sku: v.sku || null,
      title: v.title,
    }));
}

async function productDates(db: Db, shop: string, productId: string, variants: Selling[]): Promise<ProductDates> {
  const ids = variants.map((v) => v.variantId);
  const own = await findRestockDates(db, shop, [productId, ...ids]);
  const waiting = await waitingByVariant(db, shop, ids);
  const product = own.find((r) => r.ownerId === productId);
  return {
    productId,
    expectedAt: day(product?.expectedAt ?? null),
    leadDays: product?.leadDays ?? null,
    shopLeadDays: (await getSettings(db, shop)).leadDays,
    variants: variants.map((v) => {
      const mine = own.find((r) => r.ownerId === v.variantId);
      const wait = waiting.get(v.variantId);
      return {
        variantId: v.variantId,
        title: v.title,
        sku: v.sku,
        expectedAt: day(mine?.expectedAt ?? null),
        leadDays: mine?.leadDays ?? null,
        waitingUnits: wait?.units ?? 0,
        promisedAt: day(wait?.latest ?? null),
      };
    }),
  };
}

const day = (date: Date | null) => (date ? date.toISOString().slice(0, 10) : null);
