import type { Db, Prisma } from "../db.server";
import { DAY_MS } from "../domain";

/** The OpenBackorders rollup's triggers (prisma/migrations/20261128090000_analytics_rollups) name the same. */
export const OPEN_STATUSES = ["waiting", "partially_allocated"] as const;
export type OpenStatus = (typeof OPEN_STATUSES)[number];
export const QUEUE_SORTS = ["orderedAt", "promisedAt", "deadlineAt", "backorderedQty"] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];
export type Due = "soon" | "overdue";

export const DUE_SOON_DAYS = 3;
export const PAGE_SIZE = 50;

export interface QueueQuery {
  status: OpenStatus | null;
  productId: string | null;
  due: Due | null;
  sort: QueueSort;
  direction: "asc" | "desc";
  page: number;
  now: Date;
}

function queueWhere(shop: string, query: QueueQuery): Prisma.BackorderLineWhereInput {
  const soon = new Date(query.now.getTime() + DUE_SOON_DAYS * DAY_MS);
  return {
    shop,
    status: query.status ?? { in: [...OPEN_STATUSES] },
    ...(query.productId ? { productId: query.productId } : {}),
    ...(query.due === "overdue" ? { promisedAt: { lt: query.now } } : {}),
    ...(query.due === "soon" ? { promisedAt: { gte: query.now, lte: soon } } : {}),
  };
}

export interface QueueRow {
  id: string;
  orderId: string;
  orderName: string;
  title: string;
  sku: string | null;
  customerName: string | null;
  quantity: number;
  reservedQty: number;
  backorderedQty: number;
  status: string;
  orderedAt: Date;
  promisedAt: Date | null;
  promisedBasis: string | null;
  deadlineAt: Date | null;
}

export async function listQueue(db: Db, shop: string, query: QueueQuery): Promise<{ rows: QueueRow[]; total: number }> {
  const where = queueWhere(shop, query);
  const [rows, total] = await Promise.all([
    db.backorderLine.findMany({
      where,
      orderBy: [{ [query.sort]: query.direction }, { id: "asc" }],
      skip: (query.page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
      select: {
        id: true,
        orderId: true,
        orderName: true,
        title: true,
        sku: true,
        customerName: true,
        quantity: true,
        reservedQty: true,
        backorderedQty: true,
        status: true,
        orderedAt: true,
        promisedAt: true,
        promisedBasis: true,
        deadlineAt: true,
      },
    }),
    db.backorderLine.count({ where }),
  ]);
  return { rows, total };
}

export interface ProductGroup {
  productId: string | null;
  title: string;
  lines: number;
  units: number;
  oldestOrderedAt: Date | null;
}

export async function waitingByProduct(db: Db, shop: string): Promise<ProductGroup[]> {
  const groups = await db.backorderLine.groupBy({
    by: ["productId", "title"],
    where: { shop, status: { in: [...OPEN_STATUSES] } },
    _count: { _all: true },
    _sum: { backorderedQty: true },
    _min: { orderedAt: true },
    orderBy: { _sum: { backorderedQty: "desc" } },
  });
  return groups.map((group) => ({
    productId: group.productId,
    title: group.title,
    lines: group._count._all,
    units: group._sum.backorderedQty ?? 0,
    oldestOrderedAt: group._min.orderedAt,
  }));
}

export const LINE_SUMMARY_SELECT = {
  id: true,
  orderName: true,
  orderedAt: true,
  title: true,
  sku: true,
  customerName: true,
  quantity: true,
  shippedQty: true,
  reservedQty: true,
  backorderedQty: true,
  lostQty: true,
  lostReason: true,
  status: true,
  promisedAt: true,
  promisedBasis: true,
  deadlineAt: true,
} as const;

export async function orderTimeline(db: Db, shop: string, orderId: string) {
  const lines = await db.backorderLine.findMany({
    where: { shop, orderId },
    orderBy: { lineItemId: "asc" },
    select: { ...LINE_SUMMARY_SELECT, lineItemId: true, consentUntil: true },
  });
  if (lines.length === 0) return null;
  const events = await db.timelineEvent.findMany({
    where: { shop, orderId },
    orderBy: [{ at: "asc" }, { id: "asc" }],
    select: { id: true, kind: true, quantity: true, detail: true, at: true, backorderLineId: true },
  });
  return { lines, events };
}

export async function openLinesByIds(db: Db, shop: string, ids: readonly string[]) {
  return db.backorderLine.findMany({
    where: { shop, id: { in: [...ids] }, status: { in: [...OPEN_STATUSES] } },
    select: { id: true, orderId: true, inventoryItemId: true, deadlineAt: true },
  });
}

export type ConsentSource = "merchant" | "customer";

/** The one path every consent takes; the deadline moves to `until`, never earlier than it was. */
export async function extendDeadlines(
  db: Db,
  shop: string,
  ids: readonly string[],
  until: Date,
  now: Date,
  source: ConsentSource = "merchant",
) {
  return db.$transaction(async (tx) => {
    const lines = await tx.backorderLine.findMany({
      where: { shop, id: { in: [...ids] }, status: { in: [...OPEN_STATUSES] } },
      select: { id: true, orderId: true, deadlineAt: true },
    });
    for (const line of lines) {
      const deadlineAt = line.deadlineAt && line.deadlineAt > until ? line.deadlineAt : until;
      await tx.backorderLine.updateMany({ where: { shop, id: line.id }, data: { deadlineAt, consentUntil: until } });
    }
    await tx.timelineEvent.createMany({
      data: lines.map((line) => ({
        shop,
        orderId: line.orderId,
        backorderLineId: line.id,
        kind: "consent",
        detail: JSON.stringify({
          until: until.toISOString(),
          previousDeadline: line.deadlineAt?.toISOString() ?? null,
          source,
        }),
        at: now,
      })),
    });
    return { extended: lines.length };
  });
}
