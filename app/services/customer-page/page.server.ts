import { createHash } from "node:crypto";

import type { Db } from "../../db.server";
import type { JobQueue } from "../../models/job-types";
import { findCustomerOrderIds, findOrderLines, type BackorderLineRow } from "../../models/backorders.server";
import { openJobKeys } from "../../models/jobs.server";
import { extendDeadlines } from "../../models/backorder-queue.server";
import type { Settings } from "../../models/settings.server";
import type { AdminGateway } from "../../shopify/gateway.server";
import { requestCancelRemainder, requestShipReady } from "../customer-requests.server";
import { unfilledRemovals } from "../deadlines.server";
import { previewRemovalRefund } from "../refunds.server";
import { numericId } from "../shopify-values";
import { readOrder } from "../reads/orders.server";
import { issueFormToken, spendToken, verifyCustomerLink } from "./links.server";
import { renderCustomerPage, type OrderView, type PageView } from "./render";
import { readOrderState, readyUnits, waitingLines } from "./state.server";

/**
 * docs/decisions/0022-customer-page.md. Any order the request may not see, or the app has no records of, is the same
 * 404 page, so the answer says nothing of whether it exists.
 */
export interface CustomerPageContext {
  db: Db;
  queue: JobQueue;
  shop: string;
  customerId: string | null;
  /** The merchant may move the proxy. */
  pathPrefix: string;
  secret: string;
  settings: Settings;
  now: Date;
  /** Only for the cancellation's preview (Shopify prices the refund). */
  admin: () => Promise<AdminGateway>;
}

export interface CustomerPageRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  form: URLSearchParams | null;
  /** Where Shopify passed it on. */
  fetchSite: string | null;
}

export interface CustomerPageAnswer {
  status: number;
  liquid: string;
}

type Action = "wait" | "cancel" | "ship";
const answer = (status: number, view: PageView): CustomerPageAnswer => ({ status, liquid: renderCustomerPage(view) });
const NOT_FOUND = answer(404, { kind: "not_found" });

export async function answerCustomerPage(ctx: CustomerPageContext, req: CustomerPageRequest) {
  const path = req.path.replace(/^\/+|\/+$/g, "");
  if (path === "" && req.method === "GET") return listPage(ctx);
  const match = /^orders\/(\d{1,20})(?:\/(cancel|wait|ship))?$/.exec(path);
  if (!match) return NOT_FOUND;
  const orderId = `gid://shopify/Order/${match[1]}`;
  const link = req.query.get("link");
  const lines = await openOrder(ctx, orderId, link);
  if (!lines) return NOT_FOUND;
  const where = { orderId, link: ctx.customerId && owns(ctx, lines) ? null : link };
  const step = match[2] as Action | undefined;
  if (req.method === "GET") {
    if (!step) return answer(200, { kind: "order", order: await orderView(ctx, where, lines, null) });
    if (step === "cancel") return confirmPage(ctx, where, lines);
    return NOT_FOUND;
  }
  if (req.method !== "POST" || !step) return NOT_FOUND;
  return act(ctx, req, where, lines, step);
}

const owns = (ctx: CustomerPageContext, lines: readonly BackorderLineRow[]) =>
  lines.some((line) => line.customerId !== null && line.customerId === ctx.customerId);

async function openOrder(ctx: CustomerPageContext, orderId: string, link: string | null) {
  const lines = await findOrderLines(ctx.db, ctx.shop, orderId);
  if (lines.length === 0) return null;
  if (ctx.customerId && owns(ctx, lines)) return lines;
  if (link && (await verifyCustomerLink(ctx.db, ctx.secret, ctx.shop, orderId, link, ctx.now))) return lines;
  return null;
}

interface Where {
  orderId: string;
  link: string | null;
}

function href(ctx: CustomerPageContext, where: Where, step = ""): string {
  const path = `${ctx.pathPrefix}/orders/${numericId(where.orderId)}${step ? `/${step}` : ""}`;
  return where.link ? `${path}?link=${encodeURIComponent(where.link)}` : path;
}

async function listPage(ctx: CustomerPageContext): Promise<CustomerPageAnswer> {
  if (!ctx.customerId) return answer(200, { kind: "list", loggedIn: false, orders: [] });
  const orders = [];
  for (const orderId of await findCustomerOrderIds(ctx.db, ctx.shop, ctx.customerId)) {
    const lines = await findOrderLines(ctx.db, ctx.shop, orderId);
    orders.push({
      orderName: lines[0]!.orderName,
      href: href(ctx, { orderId, link: null }),
      waiting: lines.reduce((n, line) => n + line.backorderedQty, 0),
    });
  }
  return answer(200, { kind: "list", loggedIn: true, orders });
}

const digest = (value: unknown) => createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 16);

/** A token for other units (the order changed since the page was shown) or another date is refused like a used one. */
function actionKey(step: Action, lines: readonly BackorderLineRow[], until?: Date): string {
  if (step === "wait") return `wait:${until!.toISOString().slice(0, 10)}`;
  if (step === "cancel") return `cancel:${digest(waitingLines(lines).map((l) => [l.lineItemId, l.backorderedQty]))}`;
  return `ship:${digest(lines.filter((l) => l.reservedQty > 0).map((l) => [l.lineItemId, l.reservedQty]))}`;
}

async function orderView(
  ctx: CustomerPageContext,
  where: Where,
  lines: readonly BackorderLineRow[],
  done: OrderView["done"],
): Promise<OrderView> {
  const state = await readOrderState(ctx, where.orderId, lines);
  const token = (step: Action, until?: Date) =>
    issueFormToken(ctx.db, ctx.shop, where.orderId, actionKey(step, lines, until), ctx.now);
  const until = state.waitUntil;
  return {
    orderName: state.orderName,
    lines: state.lines,
    status: state.status,
    wait: until
      ? {
          action: href(ctx, where, "wait"),
          token: await token("wait", until),
          fields: { until: until.toISOString().slice(0, 10) },
          until,
        }
      : null,
    cancelHref: state.canCancel ? href(ctx, where, "cancel") : null,
    ship:
      state.shipReady > 0
        ? { action: href(ctx, where, "ship"), token: await token("ship"), ready: state.shipReady }
        : null,
    done,
  };
}

/** Priced by Shopify's suggestedRefund, as the refund itself will be. */
async function confirmPage(ctx: CustomerPageContext, where: Where, lines: readonly BackorderLineRow[]) {
  const waiting = waitingLines(lines);
  const pending = await openJobKeys(ctx.db, ctx.shop, `customer:${where.orderId}:cancel:`);
  if (waiting.length === 0 || pending.length > 0)
    return answer(200, { kind: "order", order: await orderView(ctx, where, lines, null) });
  const admin = await ctx.admin();
  const order = await readOrder(admin, where.orderId);
  if (!order) return NOT_FOUND;
  const pipeline = { db: ctx.db, shop: ctx.shop, admin, queue: ctx.queue, settings: ctx.settings, now: () => ctx.now };
  const refund = await previewRemovalRefund(pipeline, order, unfilledRemovals(waiting));
  const token = await issueFormToken(ctx.db, ctx.shop, where.orderId, actionKey("cancel", lines), ctx.now);
  return answer(200, {
    kind: "confirm",
    orderName: lines[0]!.orderName,
    items: waiting.map((line) => ({ title: line.title, quantity: line.backorderedQty })),
    refund,
    form: { action: href(ctx, where, "cancel"), token },
    backHref: href(ctx, where),
  });
}

/** Refused, with nothing written, unless its token is unused and matches, and the request is not cross-site. */
async function act(
  ctx: CustomerPageContext,
  req: CustomerPageRequest,
  where: Where,
  lines: readonly BackorderLineRow[],
  step: Action,
): Promise<CustomerPageAnswer> {
  const refused = answer(403, { kind: "refused", backHref: href(ctx, where) });
  if (req.fetchSite === "cross-site") return refused;
  const until = step === "wait" ? parseDay(req.form?.get("until")) : undefined;
  if (step === "wait" && (!until || until.getTime() < ctx.now.getTime())) return refused;
  if (step === "ship" && readyUnits(ctx.settings, lines) === 0) return refused;
  const waiting = waitingLines(lines);
  if (waiting.length === 0) return refused;
  const token = req.form?.get("token") ?? "";
  if (!(await spendToken(ctx.db, ctx.shop, where.orderId, actionKey(step, lines, until), token, ctx.now)))
    return refused;

  let done: OrderView["done"];
  if (step === "wait") {
    await extendDeadlines(
      ctx.db,
      ctx.shop,
      waiting.map((line) => line.id),
      until!,
      ctx.now,
      "customer",
    );
    done = { kind: "wait", until: until! };
  } else if (step === "cancel") {
    const key = `customer:${where.orderId}:${actionKey("cancel", lines)}`;
    await requestCancelRemainder(
      ctx.queue,
      ctx.shop,
      waiting.map((line) => line.id),
      "customer_cancelled",
      key,
    );
    done = { kind: "cancel" };
  } else {
    await requestShipReady(ctx.queue, ctx.shop, where.orderId, `customer:${where.orderId}:${actionKey("ship", lines)}`);
    done = { kind: "ship" };
  }
  const after = await findOrderLines(ctx.db, ctx.shop, where.orderId);
  return answer(200, { kind: "order", order: await orderView(ctx, where, after, done) });
}

function parseDay(value: string | null | undefined): Date | undefined {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const date = new Date(`${value}T23:59:59.000Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Shopify signed it for a shop the app is not installed on. */
export function notFoundPage(): string {
  return renderCustomerPage({ kind: "not_found" });
}
