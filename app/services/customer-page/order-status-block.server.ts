import type { BlockOrder } from "../../../extensions/order-status-block/src/contract";
import type { Db } from "../../db.server";
import { DAY_MS } from "../../domain";
import { findOrderLines } from "../../models/backorders.server";
import { findOfflineSession } from "../../models/sessions.server";
import type { Settings } from "../../models/settings.server";
import { isShopDomain } from "../delivery-checks.server";
import { issueCustomerLink } from "./links.server";
import { readOrderState } from "./state.server";

/**
 * docs/decisions/0026-order-status-block.md. Any order that is not the token's customer's (another's, unknown,
 * none) answers the same 404.
 */

/** Drawn again each time the block loads. */
export const BLOCK_LINK_MS = DAY_MS;

export interface OrderStatusBlockContext {
  db: Db;
  dest: string;
  /** Absent without a logged-in customer or without protected customer data. */
  customerId: string | undefined;
  secret: string;
  customDomain: string | undefined;
  settings: (shop: string) => Promise<Settings>;
  now: Date;
}

/** Defined once, in extensions/order-status-block/src/contract.ts. */
export interface OrderStatusJson {
  order: BlockOrder;
}

export type OrderStatusAnswer = { status: 200; body: OrderStatusJson } | { status: 404; body: { error: "not_found" } };

const NOT_FOUND: OrderStatusAnswer = { status: 404, body: { error: "not_found" } };
const day = (date: Date | null) => (date ? date.toISOString().slice(0, 10) : null);

/** `dest` is the bare domain in customer account tokens, a URL in admin ones: either names the shop. */
function shopOf(dest: string, customDomain: string | undefined): string | null {
  const shop = dest.replace(/^https:\/\//, "").toLowerCase();
  return isShopDomain(shop, customDomain) ? shop : null;
}

export async function answerOrderStatusBlock(ctx: OrderStatusBlockContext, orderParam: string) {
  const shop = shopOf(ctx.dest, ctx.customDomain);
  if (!shop || !ctx.customerId || !/^\d{1,20}$/.test(orderParam)) return NOT_FOUND;
  if (!(await findOfflineSession(ctx.db, shop))) return NOT_FOUND;
  const orderId = `gid://shopify/Order/${orderParam}`;
  const lines = await findOrderLines(ctx.db, shop, orderId);
  if (!lines.some((line) => line.customerId === ctx.customerId)) return NOT_FOUND;

  const state = await readOrderState(
    { db: ctx.db, shop, settings: await ctx.settings(shop), now: ctx.now },
    orderId,
    lines,
  );
  const link = await issueCustomerLink(ctx.db, ctx.secret, shop, orderId, new Date(ctx.now.getTime() + BLOCK_LINK_MS));
  // The forms are on the order's page (their tokens are single-use, drawn as the page is shown); Cancel's review is a page.
  const at = (step: string, anchor = "") => link.url.replace("?", `${step}?`) + anchor;
  const body: OrderStatusJson = {
    order: {
      id: orderId,
      name: state.orderName,
      lines: state.lines.map((line) => ({
        ...line,
        promisedAt: day(line.promisedAt),
        deadlineAt: day(line.deadlineAt),
      })),
      status: {
        ...state.status,
        consentedUntil: day(state.status.consentedUntil),
        replyBy: day(state.status.replyBy),
      },
      links: {
        page: link.url,
        wait: state.waitUntil ? { url: at("", "#bk-wait"), until: day(state.waitUntil)! } : null,
        cancel: state.canCancel ? at("/cancel") : null,
        ship: state.shipReady > 0 ? { url: at("", "#bk-ship"), ready: state.shipReady } : null,
        expiresAt: link.expiresAt.toISOString(),
      },
    },
  };
  return { status: 200, body } satisfies OrderStatusAnswer;
}
