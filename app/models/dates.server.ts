import type { Db } from "../db.server";

export interface RestockDateInput {
  ownerId: string;
  productId: string | null;
  sku: string | null;
  expectedAt: Date | null;
  leadDays: number | null;
}

export type RestockDateRow = NonNullable<Awaited<ReturnType<Db["restockDate"]["findFirst"]>>>;

/** Writes every row in one transaction; a row with neither a date nor lead days removes the owner's entry. */
export async function saveRestockDates(db: Db, shop: string, rows: readonly RestockDateInput[]): Promise<void> {
  await db.$transaction(async (tx) => {
    for (const row of rows) {
      if (row.expectedAt === null && row.leadDays === null) {
        await tx.restockDate.deleteMany({ where: { shop, ownerId: row.ownerId } });
        continue;
      }
      const data = { productId: row.productId, sku: row.sku, expectedAt: row.expectedAt, leadDays: row.leadDays };
      await tx.restockDate.upsert({
        where: { shop_ownerId: { shop, ownerId: row.ownerId } },
        create: { shop, ownerId: row.ownerId, ...data },
        update: data,
      });
    }
  });
}

export async function findRestockDates(db: Db, shop: string, ownerIds: readonly string[]): Promise<RestockDateRow[]> {
  if (ownerIds.length === 0) return [];
  return db.restockDate.findMany({ where: { shop, ownerId: { in: [...ownerIds] } } });
}

export interface IncomingRow {
  inventoryItemId: string;
  variantId: string;
  locationId: string;
  sourceId: string;
  transferId: string | null;
  quantity: number;
  arrivesAt: Date;
}

export async function replaceIncoming(
  db: Db,
  shop: string,
  inventoryItemId: string,
  rows: readonly IncomingRow[],
  readAt: Date,
): Promise<void> {
  await db.$transaction([
    db.incomingStock.deleteMany({ where: { shop, inventoryItemId } }),
    ...rows.map((row) => db.incomingStock.create({ data: { shop, ...row, readAt } })),
  ]);
}

export async function findIncoming(db: Db, shop: string, inventoryItemIds: readonly string[]) {
  if (inventoryItemIds.length === 0) return [];
  return db.incomingStock.findMany({
    where: { shop, inventoryItemId: { in: [...inventoryItemIds] } },
    orderBy: [{ arrivesAt: "asc" }, { sourceId: "asc" }],
  });
}

/** The items a shipment or a transfer was last seen carrying (their webhooks name no item). */
export async function itemsOfIncomingSource(
  db: Db,
  shop: string,
  source: { shipmentId?: string; transferId?: string },
) {
  const rows = await db.incomingStock.findMany({
    where: {
      shop,
      ...(source.shipmentId ? { sourceId: source.shipmentId } : {}),
      ...(source.transferId ? { transferId: source.transferId } : {}),
    },
    select: { inventoryItemId: true, variantId: true },
  });
  return [...new Map(rows.map((row) => [row.inventoryItemId, row])).values()];
}

export async function waitingByVariant(db: Db, shop: string, variantIds: readonly string[]) {
  if (variantIds.length === 0) return new Map<string, { units: number; lines: number; latest: Date | null }>();
  const rows = await db.backorderLine.groupBy({
    by: ["variantId"],
    where: { shop, variantId: { in: [...variantIds] }, backorderedQty: { gt: 0 } },
    _sum: { backorderedQty: true },
    _count: { _all: true },
    _max: { promisedAt: true },
  });
  return new Map(
    rows.map((row) => [
      row.variantId!,
      { units: row._sum.backorderedQty ?? 0, lines: row._count._all, latest: row._max.promisedAt },
    ]),
  );
}
