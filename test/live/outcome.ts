/**
 * The outcome of a live replay as Shopify shows it, in `simulate --json`'s shape: per scenario line, shipped =
 * units fulfilled; of the units on hold, backordered = those the order's app metafield (`$app.backorder`) still
 * counts as waiting for stock, reserved = the rest (allocated, held until the order may ship); lost = units taken
 * off the order by refund, edit or cancellation, with the reason the line-status metafield gives.
 */
import {
  metrics,
  type LostReason,
  type Metrics,
  type MetricsLine,
  type ReplayLine,
  type Scenario,
} from "../../app/domain";
import type { LiveStack } from "./stack";

/** A scenario order as placed at checkout: Shopify's ids per scenario line (null when the cart refused it). */
export interface LiveOrder {
  orderId: number | null;
  lineItemIds: (number | null)[];
  /** Positions of the lines the storefront refused (their variant had stopped selling at the backorder cap). */
  refused: number[];
}

export interface LiveResult {
  policy: Scenario["settings"]["allocationPolicy"];
  lines: ReplayLine[];
  metrics: Metrics;
}

interface StateShop {
  domain: string;
  orders: {
    id: number;
    createdAt: string;
    cancelledAt: string | null;
    lineItems: { id: number; quantity: number; currentQuantity: number; fulfilledQuantity: number }[];
  }[];
  fulfillmentOrders: {
    orderId: number;
    status: string;
    holds: unknown[];
    lineItems: { lineItemId: number; remainingQuantity: number }[];
  }[];
  fulfillments: { orderId: number; createdAt: string; lines: { lineItemId: number; quantity: number }[] }[];
  metafields: { ownerId: string; namespace: string; key: string; value: string }[];
}

/** A line of the order metafield the app writes (app/services/metafields.ts). */
interface MetafieldLine {
  lineItemId: string;
  backordered: number;
  lost: number;
  lostReason?: LostReason | null;
  losses?: Partial<Record<LostReason, number>>;
}

function metafieldLines(shop: StateShop, orderId: number): Map<number, MetafieldLine> {
  const metafield = shop.metafields.find(
    (m) => m.ownerId === `gid://shopify/Order/${orderId}` && m.namespace.startsWith("app--") && m.key === "backorder",
  );
  const lines = metafield ? (JSON.parse(metafield.value) as { lines: MetafieldLine[] }).lines : [];
  return new Map(lines.map((line) => [Number(/\d+$/.exec(line.lineItemId)![0]), line]));
}

export async function readOutcome(
  stack: LiveStack,
  domain: string,
  scenario: Scenario,
  orders: ReadonlyMap<string, LiveOrder>,
): Promise<LiveResult> {
  const state = await stack.shopify.control.state();
  const shop = state.shops.find((candidate) => candidate.domain === domain) as unknown as StateShop;
  const prices = new Map(scenario.items.map((item) => [item.sku, item.price]));
  const lines: (ReplayLine & { metrics: MetricsLine })[] = [];
  const seen = new Set<string>();
  for (const event of scenario.events) {
    if (event.type !== "order" || seen.has(event.id)) continue;
    seen.add(event.id);
    const placed = orders.get(event.id)!;
    const order = shop.orders.find((candidate) => candidate.id === placed.orderId);
    const status = order ? metafieldLines(shop, order.id) : new Map<number, MetafieldLine>();
    event.lines.forEach((scenarioLine, position) => {
      const base = { orderId: event.id, sku: scenarioLine.sku, ordered: scenarioLine.quantity };
      const price = prices.get(scenarioLine.sku)!;
      const lineItemId = placed.lineItemIds[position];
      if (!order || lineItemId === null || lineItemId === undefined) {
        // Refused at checkout: the variant had stopped selling at its cap, so the demand was lost there.
        const at = event.at;
        const losses = [{ reason: "cap_reached" as const, quantity: base.ordered, at }];
        lines.push({
          ...base,
          shipped: 0,
          reserved: 0,
          backordered: 0,
          lost: base.ordered,
          lostReason: "cap_reached",
          metrics: {
            orderId: event.id,
            ordered: base.ordered,
            shipped: 0,
            price,
            orderedAt: at,
            lastShippedAt: null,
            losses,
          },
        });
        return;
      }
      lines.push(lineOutcome(shop, order, lineItemId, status.get(lineItemId), base, price));
    });
  }
  const result = {
    policy: scenario.settings.allocationPolicy,
    lines: lines.map(({ metrics: _metrics, ...line }) => line),
    metrics: metrics(lines.map((line) => line.metrics)),
  };
  return result;
}

function lineOutcome(
  shop: StateShop,
  order: StateShop["orders"][number],
  lineItemId: number,
  status: MetafieldLine | undefined,
  base: { orderId: string; sku: string; ordered: number },
  price: number,
): ReplayLine & { metrics: MetricsLine } {
  const item = order.lineItems.find((line) => line.id === lineItemId)!;
  const held = shop.fulfillmentOrders
    .filter((fo) => fo.orderId === order.id && fo.status === "ON_HOLD")
    .flatMap((fo) => fo.lineItems)
    .filter((line) => line.lineItemId === lineItemId)
    .reduce((n, line) => n + line.remainingQuantity, 0);
  const removed = item.quantity - item.currentQuantity;
  const cancelled = order.cancelledAt ? item.currentQuantity - item.fulfilledQuantity : 0;
  const lost = removed + cancelled;
  const backordered = Math.min(held, status?.backordered ?? 0);
  const line: ReplayLine = {
    ...base,
    shipped: item.fulfilledQuantity,
    reserved: held - backordered,
    backordered,
    lost,
    lostReason: lost > 0 ? (status?.lostReason ?? null) : null,
  };
  if (line.shipped + line.reserved + line.backordered + line.lost !== line.ordered) {
    throw new Error(
      `order ${base.orderId} line ${base.sku}: ${JSON.stringify(line)} does not add up: units neither fulfilled, held nor removed`,
    );
  }
  const shippedAt = shop.fulfillments
    .filter((f) => f.orderId === order.id && f.lines.some((l) => l.lineItemId === lineItemId && l.quantity > 0))
    .map((f) => Date.parse(f.createdAt));
  const losses = Object.entries(status?.losses ?? (line.lostReason ? { [line.lostReason]: lost } : {})).map(
    ([reason, quantity]) => ({ reason: reason as LostReason, quantity: quantity ?? 0, at: 0 }),
  );
  return {
    ...line,
    metrics: {
      orderId: base.orderId,
      ordered: base.ordered,
      shipped: line.shipped,
      price,
      orderedAt: Date.parse(order.createdAt),
      lastShippedAt: shippedAt.length > 0 ? Math.max(...shippedAt) : null,
      losses,
    },
  };
}
