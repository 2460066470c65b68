import type { Db } from "../db.server";
import { queueCustomerMessages, type NewCustomerMessage } from "./customer-messages.server";
import { queueFlowEvents, type NewFlowEvent } from "./flow-events.server";

// Quantities always satisfy quantity = shippedQty + reservedQty + backorderedQty + lostQty.
export type LineStatus = "waiting" | "partially_allocated" | "allocated" | "fulfilled" | "cancelled" | "expired";
export type TimelineKind =
  | "held"
  | "not_held"
  | "allocated"
  | "released"
  | "reminder"
  | "delay_notice"
  | "redated"
  | "consent"
  | "cancelled"
  | "refunded"
  | "lost";

export type BackorderLineRow = NonNullable<Awaited<ReturnType<Db["backorderLine"]["findFirst"]>>>;

export interface NewBackorderLine {
  orderId: string;
  orderName: string;
  orderedAt: Date;
  orderUpdatedAt: Date | null;
  lineItemId: string;
  variantId: string | null;
  productId: string | null;
  inventoryItemId: string | null;
  sku: string | null;
  title: string;
  customerId: string | null;
  customerName: string | null;
  tags: string[];
  unitPriceCents: number;
  currency: string;
  quantity: number;
  shippedQty: number;
  reservedQty: number;
  backorderedQty: number;
  lostQty: number;
  lostReason: string | null;
  status: LineStatus;
  fulfillmentOrderId: string | null;
  locationId?: string | null;
  holdId: string | null;
  holdHandle: string | null;
  promisedAt: Date | null;
  promisedBasis?: string | null;
  deadlineAt: Date | null;
}

export type LineChange = Partial<
  Pick<
    BackorderLineRow,
    | "shippedQty"
    | "reservedQty"
    | "backorderedQty"
    | "lostQty"
    | "lostReason"
    | "status"
    | "fulfillmentOrderId"
    | "locationId"
    | "holdId"
    | "holdHandle"
    | "orderUpdatedAt"
    | "remindedAt"
    | "delayNoticeAt"
    | "promisedBasis"
    | "expiredAt"
    | "promisedAt"
  >
>;

export interface NewTimelineEvent {
  orderId: string;
  backorderLineId: string | null;
  kind: TimelineKind;
  quantity: number | null;
  detail?: Record<string, unknown>;
  at: Date;
}

export interface NewLostSale {
  orderId: string;
  orderName: string | null;
  lineItemId: string | null;
  variantId: string | null;
  productId: string | null;
  sku: string | null;
  title: string;
  quantity: number;
  unitPriceCents: number;
  currency: string;
  reason: "deadline" | "customer_cancelled" | "merchant_cancelled" | "cap_reached" | "no_consent";
  at: Date;
}

export type LostSaleLine = Pick<
  NewLostSale,
  "orderId" | "orderName" | "lineItemId" | "variantId" | "productId" | "sku" | "title" | "unitPriceCents" | "currency"
>;

/** The one place a lost sale's row is built. */
export function lostSale(line: LostSaleLine, quantity: number, reason: NewLostSale["reason"], at: Date): NewLostSale {
  return {
    orderId: line.orderId,
    orderName: line.orderName,
    lineItemId: line.lineItemId,
    variantId: line.variantId,
    productId: line.productId,
    sku: line.sku,
    title: line.title,
    quantity,
    unitPriceCents: line.unitPriceCents,
    currency: line.currency,
    reason,
    at,
  };
}

function checkQuantities(
  line: Pick<BackorderLineRow, "quantity" | "shippedQty" | "reservedQty" | "backorderedQty" | "lostQty">,
) {
  const parts = [line.shippedQty, line.reservedQty, line.backorderedQty, line.lostQty];
  if (parts.some((part) => !Number.isInteger(part) || part < 0)) {
    throw new Error(`backorder line quantities must be non-negative integers, got ${parts.join("/")}`);
  }
  if (parts.reduce((sum, part) => sum + part, 0) !== line.quantity) {
    throw new Error(
      `backorder line quantity ${line.quantity} must equal shipped + reserved + backordered + lost (${parts.join(" + ")})`,
    );
  }
}

export async function findOrderLines(db: Db, shop: string, orderId: string): Promise<BackorderLineRow[]> {
  return db.backorderLine.findMany({ where: { shop, orderId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}

export async function findCustomerOrderIds(db: Db, shop: string, customerId: string): Promise<string[]> {
  const rows = await db.backorderLine.findMany({
    where: { shop, customerId },
    select: { orderId: true },
    distinct: ["orderId"],
    orderBy: { orderedAt: "desc" },
  });
  return rows.map((row) => row.orderId);
}

export async function findLinesByIds(db: Db, shop: string, ids: readonly string[]): Promise<BackorderLineRow[]> {
  return db.backorderLine.findMany({
    where: { shop, id: { in: [...ids] } },
    orderBy: [{ orderedAt: "asc" }, { createdAt: "asc" }],
  });
}

export async function findOpenLinesForItem(db: Db, shop: string, inventoryItemId: string): Promise<BackorderLineRow[]> {
  return db.backorderLine.findMany({
    where: { shop, inventoryItemId, OR: [{ backorderedQty: { gt: 0 } }, { reservedQty: { gt: 0 } }] },
    orderBy: [{ orderedAt: "asc" }, { createdAt: "asc" }, { id: "asc" }],
  });
}

export async function findOpenLines(db: Db, shop: string): Promise<BackorderLineRow[]> {
  return db.backorderLine.findMany({
    where: { shop, OR: [{ backorderedQty: { gt: 0 } }, { reservedQty: { gt: 0 } }] },
    orderBy: [{ orderedAt: "asc" }, { createdAt: "asc" }, { id: "asc" }],
  });
}

export async function openInventoryItems(db: Db, shop: string): Promise<string[]> {
  const rows = await db.backorderLine.findMany({
    where: { shop, backorderedQty: { gt: 0 }, inventoryItemId: { not: null } },
    select: { inventoryItemId: true },
    distinct: ["inventoryItemId"],
  });
  return rows.flatMap((row) => (row.inventoryItemId ? [row.inventoryItemId] : []));
}

export async function backorderedByVariant(
  db: Db,
  shop: string,
  variantIds: readonly string[],
): Promise<Map<string, number>> {
  const rows = await db.backorderLine.groupBy({
    by: ["variantId"],
    where: { shop, variantId: { in: [...variantIds] } },
    _sum: { backorderedQty: true },
  });
  const totals = new Map<string, number>(variantIds.map((id) => [id, 0]));
  for (const row of rows) if (row.variantId) totals.set(row.variantId, row._sum.backorderedQty ?? 0);
  return totals;
}

export async function knownOrderIds(db: Db, shop: string, orderIds: readonly string[]): Promise<Set<string>> {
  const rows = await db.backorderLine.findMany({
    where: { shop, orderId: { in: [...orderIds] } },
    select: { orderId: true },
    distinct: ["orderId"],
  });
  return new Set(rows.map((row) => row.orderId));
}

export async function findLinesByHold(db: Db, shop: string): Promise<BackorderLineRow[]> {
  return db.backorderLine.findMany({ where: { shop, holdId: { not: null } } });
}

/** A line already recorded (a retried job) is left as it is. */
export async function recordDetectedOrder(
  db: Db,
  shop: string,
  lines: readonly NewBackorderLine[],
  events: readonly NewTimelineEvent[],
  lostSales: readonly NewLostSale[],
  flows: readonly NewFlowEvent[] = [],
  messages: readonly NewCustomerMessage[] = [],
): Promise<BackorderLineRow[]> {
  for (const line of lines) checkQuantities(line);
  return db.$transaction(async (tx) => {
    const existing = await tx.backorderLine.findMany({
      where: { shop, lineItemId: { in: lines.map((line) => line.lineItemId) } },
    });
    if (existing.length > 0) return existing;
    const created: BackorderLineRow[] = [];
    for (const line of lines) {
      created.push(await tx.backorderLine.create({ data: { shop, ...line, tags: JSON.stringify(line.tags) } }));
    }
    const idByLineItem = new Map(created.map((row) => [row.lineItemId, row.id]));
    for (const event of events) {
      await tx.timelineEvent.create({
        data: {
          shop,
          orderId: event.orderId,
          backorderLineId: event.backorderLineId ? (idByLineItem.get(event.backorderLineId) ?? null) : null,
          kind: event.kind,
          quantity: event.quantity,
          detail: JSON.stringify(event.detail ?? {}),
          at: event.at,
        },
      });
    }
    for (const sale of lostSales) await tx.lostSale.create({ data: { shop, ...sale } });
    await queueFlowEvents(tx, shop, flows);
    await queueCustomerMessages(tx, shop, messages);
    return created;
  });
}

export interface LineUpdate {
  id: string;
  change: LineChange;
}

/** What else belongs to the same decision as the line changes (docs/decisions/0018-effects-once.md). */
export interface DecisionExtras {
  flows?: readonly NewFlowEvent[];
  /** Enqueued in the same transaction as the changes. */
  messages?: readonly NewCustomerMessage[];
  notices?: readonly NewDelayNotice[];
  /** The pending allocation of this inventory item that the changes apply: it is done once they are written. */
  settlesAllocation?: string;
}

/** Each change is checked against the quantity invariant before anything is written. */
export async function applyLineChanges(
  db: Db,
  shop: string,
  updates: readonly LineUpdate[],
  events: readonly NewTimelineEvent[],
  lostSales: readonly NewLostSale[] = [],
  extras: DecisionExtras = {},
): Promise<void> {
  // A cut-off writes every order it released in one transaction (shipping.server.ts): allow more than 5 s.
  await db.$transaction(
    async (tx) => {
      for (const { id, change } of updates) {
        const current = await tx.backorderLine.findFirst({ where: { shop, id } });
        if (!current) throw new Error(`backorder line ${id} does not exist in ${shop}`);
        checkQuantities({ ...current, ...change });
        await tx.backorderLine.update({ where: { id }, data: change });
      }
      for (const event of events) {
        await tx.timelineEvent.create({
          data: {
            shop,
            orderId: event.orderId,
            backorderLineId: event.backorderLineId,
            kind: event.kind,
            quantity: event.quantity,
            detail: JSON.stringify(event.detail ?? {}),
            at: event.at,
          },
        });
      }
      for (const sale of lostSales) await tx.lostSale.create({ data: { shop, ...sale } });
      await queueFlowEvents(tx, shop, extras.flows ?? []);
      await queueCustomerMessages(tx, shop, extras.messages ?? []);
      for (const notice of extras.notices ?? []) await tx.delayNotice.create({ data: { shop, ...notice } });
      if (extras.settlesAllocation) {
        await tx.pendingAllocation.deleteMany({ where: { shop, inventoryItemId: extras.settlesAllocation } });
      }
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
}

export async function setOrderUpdatedAt(db: Db, shop: string, orderId: string, orderUpdatedAt: Date): Promise<void> {
  await db.backorderLine.updateMany({ where: { shop, orderId }, data: { orderUpdatedAt } });
}

export async function installedShops(db: Db): Promise<string[]> {
  const rows = await db.session.findMany({ where: { isOnline: false }, select: { shop: true }, distinct: ["shop"] });
  return rows.map((row) => row.shop);
}

export async function findHeldLinesOnFulfillmentOrder(
  db: Db,
  shop: string,
  fulfillmentOrderId: string,
): Promise<BackorderLineRow[]> {
  return db.backorderLine.findMany({
    where: { shop, fulfillmentOrderId, OR: [{ backorderedQty: { gt: 0 } }, { reservedQty: { gt: 0 } }] },
  });
}

export async function lossesByLine(
  db: Db,
  shop: string,
  orderIds: readonly string[],
): Promise<Map<string, Record<string, number>>> {
  const sales = await db.lostSale.findMany({
    where: { shop, orderId: { in: [...orderIds] } },
    select: { lineItemId: true, reason: true, quantity: true },
    orderBy: { at: "asc" },
  });
  const byLine = new Map<string, Record<string, number>>();
  for (const sale of sales) {
    if (!sale.lineItemId) continue;
    const losses = byLine.get(sale.lineItemId) ?? {};
    losses[sale.reason] = (losses[sale.reason] ?? 0) + sale.quantity;
    byLine.set(sale.lineItemId, losses);
  }
  return byLine;
}

export async function savePendingAllocation(
  db: Db,
  shop: string,
  inventoryItemId: string,
  grants: ReadonlyMap<string, number>,
): Promise<void> {
  const data = JSON.stringify([...grants]);
  await db.pendingAllocation.upsert({
    where: { shop_inventoryItemId: { shop, inventoryItemId } },
    create: { shop, inventoryItemId, grants: data },
    update: { grants: data },
  });
}

/** Decided and not yet recorded: a crash came between. */
export async function findPendingAllocation(
  db: Db,
  shop: string,
  inventoryItemId: string,
): Promise<{ grants: Map<string, number>; orderIds: string[] } | null> {
  const row = await db.pendingAllocation.findUnique({ where: { shop_inventoryItemId: { shop, inventoryItemId } } });
  if (!row) return null;
  const grants = new Map(JSON.parse(row.grants) as [string, number][]);
  const lines = await db.backorderLine.findMany({
    where: { shop, lineItemId: { in: [...grants.keys()] } },
    select: { orderId: true },
    distinct: ["orderId"],
    orderBy: [{ orderedAt: "asc" }, { orderId: "asc" }],
  });
  return { grants, orderIds: lines.map((line) => line.orderId) };
}

export interface NewDelayNotice {
  orderId: string;
  backorderLineId: string;
  kind: "first" | "renewed";
  sentAt: Date;
  fromAt: Date;
  revisedAt: Date;
  silenceIsConsent: boolean;
  replyBy: Date | null;
}

export type DelayNoticeRow = NewDelayNotice & { id: string; shop: string };

export async function findWaitingDelayNotices(db: Db, shop: string): Promise<Map<string, DelayNoticeRow[]>> {
  const rows = await db.delayNotice.findMany({
    where: { shop, line: { shop, backorderedQty: { gt: 0 } } },
    orderBy: [{ sentAt: "asc" }, { fromAt: "asc" }],
  });
  return noticesByLine(rows);
}

function noticesByLine(rows: readonly (Omit<DelayNoticeRow, "kind"> & { kind: string })[]) {
  const byLine = new Map<string, DelayNoticeRow[]>();
  for (const row of rows) {
    const kind = row.kind === "renewed" ? "renewed" : "first";
    byLine.set(row.backorderLineId, [...(byLine.get(row.backorderLineId) ?? []), { ...row, kind }]);
  }
  return byLine;
}

export async function findOrderDelayNotices(
  db: Db,
  shop: string,
  orderId: string,
): Promise<Map<string, DelayNoticeRow[]>> {
  const rows = await db.delayNotice.findMany({
    where: { shop, orderId },
    orderBy: [{ sentAt: "asc" }, { fromAt: "asc" }],
  });
  return noticesByLine(rows);
}
