/**
 * The order status block's side of its contract with the app (app/routes/api.customer.order-status.$orderId.tsx,
 * app/services/customer-page/order-status-block.server.ts): where it asks, what the answer holds, and how it reads
 * it. Plain code, no Shopify globals: tested offline (test/customer-account/).
 */

/**
 * The app's public URL, as `application_url` in shopify.app.toml (a test keeps the two equal). A customer account
 * extension's fetch is not resolved against the app as an admin block's is: it needs the absolute URL.
 */
export const APP_URL = "https://backorder-keeper.example.com";

export interface BlockLine {
  title: string;
  quantity: number;
  shipped: number;
  ready: number;
  waiting: number;
  cancelled: number;
  /** UTC days, `YYYY-MM-DD`. */
  promisedAt: string | null;
  deadlineAt: string | null;
}

export interface BlockOrder {
  id: string;
  name: string;
  lines: BlockLine[];
  status: {
    consentedUntil: string | null;
    cancelling: boolean;
    cancelledByYou: boolean;
    cancelledNoReply: boolean;
    /** The day by which the customer's yes is awaited (the Mail Order Rule), when one is. */
    replyBy: string | null;
    shipping: boolean;
  };
  /** Links to the customer's page on the shop's domain (signed for this order); null where not offered now. */
  links: {
    page: string;
    wait: { url: string; until: string } | null;
    cancel: string | null;
    ship: { url: string; ready: number } | null;
    expiresAt: string;
  };
}

/** `none`: the app keeps nothing of this order for this customer (404), so the block shows nothing. */
export type BlockAnswer = { kind: "order"; order: BlockOrder } | { kind: "none" } | { kind: "failed"; status: number };

/** The endpoint for an order of the Order status page (`gid://shopify/Order/{id}`). */
export function orderUrl(orderGid: string, appUrl = APP_URL): string | null {
  const id = /^gid:\/\/shopify\/Order\/(\d{1,20})$/.exec(orderGid)?.[1];
  return id ? `${appUrl}/api/customer/order-status/${id}` : null;
}

export function readAnswer(status: number, body: unknown): BlockAnswer {
  const order = (body as { order?: BlockOrder } | null)?.order;
  if (status === 200 && order && Array.isArray(order.lines)) return { kind: "order", order };
  if (status === 404) return { kind: "none" };
  return { kind: "failed", status };
}

/** A `YYYY-MM-DD` day as the Date the block formats (in UTC, so the day is the one the app meant). */
export const dayDate = (day: string) => new Date(`${day}T00:00:00.000Z`);

/** The translation keys and values of one line's parts, in the order the block shows them; empty counts left out. */
export function lineParts(
  line: BlockLine,
  formatDay: (day: string) => string,
): { key: string; values: Record<string, string | number> }[] {
  const parts: { key: string; values: Record<string, string | number> }[] = [];
  if (line.shipped > 0) parts.push({ key: "shipped", values: { count: line.shipped } });
  if (line.ready > 0) parts.push({ key: "ready", values: { count: line.ready } });
  if (line.waiting > 0) {
    parts.push(
      line.promisedAt
        ? { key: "waiting", values: { count: line.waiting, date: formatDay(line.promisedAt) } }
        : { key: "waitingNoDate", values: { count: line.waiting } },
    );
    if (line.deadlineAt) parts.push({ key: "deadline", values: { date: formatDay(line.deadlineAt) } });
  }
  if (line.cancelled > 0) parts.push({ key: "cancelled", values: { count: line.cancelled } });
  return parts;
}
