import type { Db } from "../../db.server";
import { replyDate } from "../../domain";
import { findOrderDelayNotices, type BackorderLineRow } from "../../models/backorders.server";
import { openJobKeys } from "../../models/jobs.server";
import type { Settings } from "../../models/settings.server";
import { ruleLine } from "../deadlines.server";
import type { LineView, OrderView } from "./render";

/** The one reading both the customer's page and the order status block show, so neither defines a status alone. */
export interface OrderState {
  orderId: string;
  orderName: string;
  lines: LineView[];
  status: OrderView["status"];
  waitUntil: Date | null;
  canCancel: boolean;
  shipReady: number;
}

export interface StateContext {
  db: Db;
  shop: string;
  settings: Settings;
  now: Date;
}

export const waitingLines = (lines: readonly BackorderLineRow[]) => lines.filter((line) => line.backorderedQty > 0);
const endOfDay = (date: Date) => new Date(`${date.toISOString().slice(0, 10)}T23:59:59.000Z`);

export function waitUntil(lines: readonly BackorderLineRow[], now: Date): Date | null {
  const dates = waitingLines(lines).map((line) => line.promisedAt?.getTime() ?? 0);
  if (dates.length === 0) return null;
  return endOfDay(new Date(Math.max(now.getTime(), ...dates)));
}

export function readyUnits(settings: Settings, lines: readonly BackorderLineRow[]): number {
  // Under "ship what is available" allocated units are released as they come; nothing waits to be asked for.
  if (!settings.shipReadyOnRequest || settings.partialShipment === "ship_available") return 0;
  return waitingLines(lines).length === 0 ? 0 : lines.reduce((n, line) => n + line.reservedQty, 0);
}

export async function readOrderState(
  ctx: StateContext,
  orderId: string,
  lines: readonly BackorderLineRow[],
): Promise<OrderState> {
  const jobs = await openJobKeys(ctx.db, ctx.shop, `customer:${orderId}:`);
  const cancelling = jobs.some((key) => key.includes(":cancel:"));
  const shipping = jobs.some((key) => key.includes(":ship:"));
  const waiting = waitingLines(lines);
  const until = waitUntil(lines, ctx.now);
  const consented = waiting.length > 0 && waiting.every((l) => l.consentUntil && until && l.consentUntil >= until);
  const ready = readyUnits(ctx.settings, lines);
  const open = waiting.length > 0 && !cancelling;
  const replyBy = await awaitedReply(ctx, orderId, waiting);
  return {
    orderId,
    orderName: lines[0]!.orderName,
    lines: lines.map((line) => ({
      title: line.title,
      quantity: line.quantity,
      shipped: line.shippedQty,
      ready: line.reservedQty,
      waiting: line.backorderedQty,
      cancelled: line.lostQty,
      promisedAt: line.promisedAt,
      deadlineAt: line.deadlineAt,
    })),
    status: {
      consentedUntil: consented ? until : null,
      cancelling,
      cancelledByYou: lines.some((line) => line.lostReason === "customer_cancelled"),
      cancelledNoReply: lines.some((line) => line.lostReason === "no_consent"),
      replyBy: consented ? null : replyBy,
      shipping,
    },
    waitUntil: open && until && !consented ? until : null,
    canCancel: open,
    shipReady: open && !shipping ? ready : 0,
  };
}

async function awaitedReply(ctx: StateContext, orderId: string, waiting: readonly BackorderLineRow[]) {
  const notices = await findOrderDelayNotices(ctx.db, ctx.shop, orderId);
  const dates = waiting.flatMap((row) => {
    const line = ruleLine(row, notices.get(row.id) ?? []);
    const at = line ? replyDate(line) : null;
    return at === null ? [] : [at];
  });
  return dates.length > 0 ? new Date(Math.min(...dates)) : null;
}
