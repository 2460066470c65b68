import type { Db, Prisma } from "../db.server";

// Written before the trigger can reach Shopify, so no event is sent twice (docs/decisions/0018-effects-once.md).
export type FlowEventStatus = "queued" | "sending" | "sent" | "refused";

export interface NewFlowEvent {
  /** The same decision always makes the same key. */
  key: string;
  handle: string;
  payload: Record<string, unknown>;
}

export interface FlowEventRow extends NewFlowEvent {
  id: string;
}

type Client = Pick<Prisma.TransactionClient, "flowTriggerEvent">;

export async function queueFlowEvents(client: Client, shop: string, events: readonly NewFlowEvent[]): Promise<void> {
  for (const event of events) {
    await client.flowTriggerEvent.upsert({
      where: { shop_key: { shop, key: event.key } },
      create: { shop, key: event.key, handle: event.handle, payload: JSON.stringify(event.payload), status: "queued" },
      update: {},
    });
  }
}

export async function flowEventStatus(db: Db, shop: string, key: string): Promise<FlowEventStatus | null> {
  const row = await db.flowTriggerEvent.findUnique({ where: { shop_key: { shop, key } }, select: { status: true } });
  return (row?.status as FlowEventStatus | undefined) ?? null;
}

/** The event goes out inside another mutation's request (the hold's). */
export async function markFlowEventSending(db: Db, shop: string, event: NewFlowEvent): Promise<void> {
  await db.flowTriggerEvent.upsert({
    where: { shop_key: { shop, key: event.key } },
    create: { shop, key: event.key, handle: event.handle, payload: JSON.stringify(event.payload), status: "sending" },
    update: { status: "sending" },
  });
}

export async function claimQueuedFlowEvents(db: Db, shop: string, take: number): Promise<FlowEventRow[]> {
  const rows = await db.flowTriggerEvent.findMany({
    where: { shop, status: "queued" },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take,
  });
  if (rows.length === 0) return [];
  await db.flowTriggerEvent.updateMany({
    where: { shop, id: { in: rows.map((row) => row.id) }, status: "queued" },
    data: { status: "sending" },
  });
  return rows.map((row) => ({
    id: row.id,
    key: row.key,
    handle: row.handle,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
  }));
}

/** `unsent` when the request certainly ran nothing: those are queued again. */
export async function settleFlowEvents(
  db: Db,
  shop: string,
  outcome: { sent?: string[]; refused?: { key: string; error: string }[]; unsent?: string[] },
  now: Date,
): Promise<void> {
  await db.$transaction([
    db.flowTriggerEvent.updateMany({
      where: { shop, key: { in: outcome.sent ?? [] } },
      data: { status: "sent", sentAt: now },
    }),
    ...(outcome.refused ?? []).map(({ key, error }) =>
      db.flowTriggerEvent.updateMany({ where: { shop, key }, data: { status: "refused", error } }),
    ),
    db.flowTriggerEvent.updateMany({
      where: { shop, key: { in: outcome.unsent ?? [] }, status: "sending" },
      data: { status: "queued" },
    }),
  ]);
}

export async function flowEventsOf(db: Db, shop: string) {
  return db.flowTriggerEvent.findMany({ where: { shop }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}
