import type { Db } from "../db.server";

export type SyncKind = "backfill" | "reconcile" | "variants";

export async function startSyncRun(db: Db, shop: string, kind: SyncKind, bulkOperationId: string | null = null) {
  return db.syncRun.create({ data: { shop, kind, bulkOperationId } });
}

export async function currentSyncRun(db: Db, shop: string, kind: SyncKind) {
  return db.syncRun.findFirst({ where: { shop, kind, status: "running" }, orderBy: { startedAt: "desc" } });
}

export async function latestSyncRun(db: Db, shop: string, kind: SyncKind, status?: "completed") {
  return db.syncRun.findFirst({ where: { shop, kind, ...(status ? { status } : {}) }, orderBy: { startedAt: "desc" } });
}

export async function updateSyncRun(
  db: Db,
  shop: string,
  id: string,
  change: { objectCount?: number; processed?: number; healed?: number; detail?: Record<string, unknown> },
) {
  const { detail, ...rest } = change;
  await db.syncRun.updateMany({
    where: { shop, id },
    data: { ...rest, ...(detail ? { detail: JSON.stringify(detail) } : {}) },
  });
}

export async function finishSyncRun(
  db: Db,
  shop: string,
  id: string,
  result: { status: "completed" | "failed"; error?: string; detail?: Record<string, unknown> },
  now: Date,
) {
  await db.syncRun.updateMany({
    where: { shop, id },
    data: {
      status: result.status,
      error: result.error ?? null,
      finishedAt: now,
      ...(result.detail ? { detail: JSON.stringify(result.detail) } : {}),
    },
  });
}
