import type { Db } from "../../db.server";
import {
  DUE_SOON_DAYS,
  listQueue,
  OPEN_STATUSES,
  PAGE_SIZE,
  QUEUE_SORTS,
  waitingByProduct,
  type Due,
  type OpenStatus,
  type QueueQuery,
  type QueueSort,
} from "../../models/backorder-queue.server";
import { DAY_MS } from "../../domain";

const oneOf = <T extends string>(values: readonly T[], value: string | null): T | null =>
  values.includes(value as T) ? (value as T) : null;

/** Unknown values fall back to "all" rather than failing the page. */
export function parseQueueQuery(url: URL, now: Date): QueueQuery {
  const params = url.searchParams;
  const page = Number.parseInt(params.get("page") ?? "1", 10);
  return {
    status: oneOf<OpenStatus>(OPEN_STATUSES, params.get("status")),
    productId: params.get("product") || null,
    due: oneOf<Due>(["soon", "overdue"], params.get("due")),
    sort: oneOf<QueueSort>(QUEUE_SORTS, params.get("sort")) ?? "orderedAt",
    direction: params.get("direction") === "desc" ? "desc" : "asc",
    page: Number.isFinite(page) && page > 0 ? page : 1,
    now,
  };
}

export async function loadQueuePage(db: Db, shop: string, url: URL, now: Date) {
  const query = parseQueueQuery(url, now);
  const [{ rows, total }, groups] = await Promise.all([listQueue(db, shop, query), waitingByProduct(db, shop)]);
  const soon = now.getTime() + DUE_SOON_DAYS * DAY_MS;
  return {
    query: { ...query, now: now.toISOString() },
    total,
    pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    rows: rows.map((row) => ({
      ...row,
      ageDays: Math.floor((now.getTime() - row.orderedAt.getTime()) / DAY_MS),
      due:
        row.promisedAt === null
          ? null
          : row.promisedAt < now
            ? ("overdue" as const)
            : row.promisedAt.getTime() <= soon
              ? ("soon" as const)
              : null,
    })),
    groups,
  };
}
