import { z } from "zod";

import {
  findHeldLinesOnFulfillmentOrder,
  findLinesByIds,
  findOrderLines,
  findOpenLinesForItem,
  knownOrderIds,
  openInventoryItems,
} from "../models/backorders.server";
import { findLatestOrderPayload, loadDelivery, markDeliveryProcessed } from "../models/deliveries.server";
import { settleDedupedJob } from "../models/jobs.server";
import { allocateFreeStock, allocateItem } from "./allocation.server";
import { backfillStep } from "./backfill.server";
import { syncSellingVariants } from "./variant-sync.server";
import { checkCaps } from "./caps.server";
import type { Pipeline } from "./pipeline.server";
import { removeUnfilled, sweepDeadlines } from "./deadlines.server";
import { shopLockKey } from "./intake.server";
import { incomingChanged, redateItem } from "./dates.server";
import { fulfillmentOrdersRestructured, isStale, processOrder } from "./orders.server";
import { reconcile } from "./reconcile.server";
import { shipOrders } from "./shipping.server";
import { readOrder, readOrderByFulfillmentOrder, readRoutedOrder } from "./shopify-reads.server";
import {
  IncomingPayloads,
  inventoryItemGid,
  type IncomingTopic,
  lineProductsFromPayload,
  type OrderPayload,
  parseWebhookPayload,
  reducedPayload,
  RestructuredPayloads,
  type RestructuredTopic,
} from "./webhook-payloads";

/**
 * What each job does, by job type. Webhook jobs read their delivery (the raw payload kept by intake), take only
 * ids and timestamps from it, and leave the rest to a fresh read of Shopify.
 */

export type WebhookTopicWork = (p: Pipeline, raw: string) => Promise<unknown>;

/**
 * How long after orders/create the app looks at an order whose order_routing_complete has not come: Shopify
 * routes within seconds, and a lost event would otherwise wait for the six-hourly reconciliation.
 */
export const ROUTING_CHECK_DELAY_MS = 5 * 60_000;
export const ROUTING_CHECK = "routing_check";
const routingCheckKey = (orderId: string) => `${ROUTING_CHECK}:${orderId}`;

export const WEBHOOK_WORK: Record<string, WebhookTopicWork> = {
  // Fulfillment orders do not exist yet at orders/create; routing_complete (or reconciliation) detects. A check
  // is due a little later in case the routing event is lost; routing_complete settles it first (no Admin call).
  "orders/create": async (p, raw) => {
    const orderId = parseWebhookPayload("orders/create", raw).admin_graphql_api_id;
    await p.queue.enqueue({
      shop: p.shop,
      type: ROUTING_CHECK,
      payload: { orderId },
      lockKey: shopLockKey(p.shop),
      dedupeKey: routingCheckKey(orderId),
      runAt: new Date(p.now().getTime() + ROUTING_CHECK_DELAY_MS),
    });
    return { kind: "awaiting_routing" };
  },

  "fulfillment_orders/order_routing_complete": async (p, raw) => {
    const { fulfillment_order } = parseWebhookPayload("fulfillment_orders/order_routing_complete", raw);
    const routed = await readRoutedOrder(p.admin, fulfillment_order.id, async (orderId) => {
      // The order's own create/update payload, if the inbox has one by now: its lines' products never change.
      const payload = await findLatestOrderPayload(p.db, p.shop, orderId);
      return payload ? lineProductsFromPayload(payload) : new Map<string, string>();
    });
    // The routing read is cut to what detection needs; an order the app already knows (another location's
    // routing, a redelivery) is read whole for the sync.
    const known = routed !== null && (await findOrderLines(p.db, p.shop, routed.id)).length > 0;
    if (routed) {
      const check = { shop: p.shop, type: ROUTING_CHECK, dedupeKey: routingCheckKey(routed.id) };
      await settleDedupedJob(p.db, { ...check, payload: { orderId: routed.id } }, p.now());
    }
    const order = known ? await readOrder(p.admin, routed.id) : routed;
    const outcome = await processOrder(p, order);
    if (outcome.kind === "detected" && order) await allocateFreeStock(p, order);
    return outcome;
  },

  // Only orders with records: others are detected at routing (no Admin call for every order update).
  "orders/updated": (p, raw) => knownOrderChanged(p, parseWebhookPayload("orders/updated", raw), true),
  // A cancellation is final: never skipped as stale, even within the second of the app's own last change.
  "orders/cancelled": (p, raw) => knownOrderChanged(p, parseWebhookPayload("orders/cancelled", raw), false),

  // The app's own releases fire this too; only a hold the records still count as holding units can have
  // been released by someone else (the merchant, another app), and only then is the order read.
  "fulfillment_orders/hold_released": async (p, raw) => {
    const { fulfillment_order } = parseWebhookPayload("fulfillment_orders/hold_released", raw);
    const held = await findHeldLinesOnFulfillmentOrder(p.db, p.shop, fulfillment_order.id);
    if (held.length === 0) return { kind: "up_to_date" };
    return processOrder(p, await readOrderByFulfillmentOrder(p.admin, fulfillment_order.id));
  },

  "fulfillment_orders/fulfillment_request_accepted": async () => ({ kind: "nothing_to_do" }),

  // A merchant (or another app) moved, split, merged, cancelled or held fulfillment orders: the records follow
  // the order's fulfillment orders as Shopify has them now, before anything is taken as released.
  ...Object.fromEntries(
    (Object.keys(RestructuredPayloads) as RestructuredTopic[]).map((topic) => [
      topic,
      async (p: Pipeline, raw: string) => {
        const outcome = await fulfillmentOrdersRestructured(p, parseWebhookPayload(topic, raw));
        // Units now waiting at another location may ship from its stock.
        if (outcome.kind === "relinked" && p.settings.allocationWindow === "immediate") {
          for (const item of outcome.movedItems) await allocateItem(p, item, "manual");
        }
        return outcome;
      },
    ]),
  ),

  "inventory_levels/update": async (p, raw) => {
    const item = inventoryItemGid(raw);
    const waiting = (await findOpenLinesForItem(p.db, p.shop, item)).reduce((n, row) => n + row.backorderedQty, 0);
    if (waiting === 0) return { kind: "nothing_to_allocate", reason: "no_waiting_lines" };
    // Every order's own commit fires this topic too. When the level it reports leaves no free unit, there
    // is nothing to share and no Admin call is made; a later (or reconciled) level that does is re-read.
    const { available } = parseWebhookPayload("inventory_levels/update", raw);
    if (available !== null && available + waiting <= 0) return { kind: "nothing_to_allocate", reason: "no_supply" };
    return allocateItem(p, item, "stock_changed");
  },

  // Stock on its way changed: the items it carries are read again and their lines re-dated (decision 0019).
  ...Object.fromEntries(
    (Object.keys(IncomingPayloads) as IncomingTopic[]).map((topic) => [
      topic,
      (p: Pipeline, raw: string) => incomingChanged(p, parseWebhookPayload(topic, raw)),
    ]),
  ),

  // The merchant may change a variant's policy by hand; caps put it back where the open backorders say. The
  // restock dates page's list follows the product (its payload does not say whether a variant is tracked).
  "products/update": async (p, raw) => {
    const product = parseWebhookPayload("products/update", raw);
    await checkCaps(
      p,
      product.variants.map((variant) => ({
        variantId: variant.admin_graphql_api_id,
        productId: product.admin_graphql_api_id,
        inventoryItemId: null,
        policy:
          variant.inventory_policy === "deny" ? "DENY" : variant.inventory_policy === "continue" ? "CONTINUE" : null,
      })),
    );
    await syncSellingVariants(p, product.admin_graphql_api_id);
    return { kind: "caps_checked" };
  },
};

async function knownOrderChanged(p: Pipeline, payload: z.infer<typeof OrderPayload>, skipStale: boolean) {
  const orderId = payload.admin_graphql_api_id;
  if (!(await knownOrderIds(p.db, p.shop, [orderId])).has(orderId)) return { kind: "not_backordered" };
  if (skipStale && (await isStale(p, orderId, new Date(payload.updated_at)))) return { kind: "stale" };
  return processOrder(p, await readOrder(p.admin, orderId));
}

export async function runWebhookJob(p: Pipeline, topic: string, deliveryId: string) {
  const work = WEBHOOK_WORK[topic];
  if (!work) throw new Error(`no processing for webhook topic ${topic}`);
  const delivery = await loadDelivery(p.db, p.shop, deliveryId);
  // Gone with shop/redact, or another shop's: nothing to do for this shop.
  if (!delivery) return { kind: "delivery_gone" };
  const outcome = await work(p, delivery.payload);
  // Done with it: only what processing reads stays (routing still looks up an order's lines' products).
  await markDeliveryProcessed(p.db, p.shop, deliveryId, p.now(), reducedPayload(topic, delivery.payload));
  return outcome;
}

const RoutingCheckPayload = z.object({ orderId: z.string().startsWith("gid://shopify/Order/") });

/**
 * `routing_check`: orders/create came, order_routing_complete did not (lost, or still retrying on Shopify's side).
 * The order is read and processed as routing would; an order the app already knows needs nothing.
 */
export async function runRoutingCheck(p: Pipeline, payload: unknown) {
  const { orderId } = payloadOf(RoutingCheckPayload, ROUTING_CHECK, payload);
  if ((await findOrderLines(p.db, p.shop, orderId)).length > 0) return { kind: "up_to_date" };
  const order = await readOrder(p.admin, orderId);
  const outcome = await processOrder(p, order);
  if (outcome.kind === "detected" && order) await allocateFreeStock(p, order);
  return outcome;
}

const AllocatePayload = z.object({ inventoryItemId: z.string().startsWith("gid://shopify/InventoryItem/").optional() });
const CancelRemainderPayload = z.object({
  backorderLineIds: z.array(z.string().min(1)).min(1, "at least one backorder line"),
  reason: z.enum(["merchant_cancelled", "customer_cancelled"]),
});

function payloadOf<T>(schema: z.ZodType<T>, type: string, payload: unknown): T {
  const result = schema.safeParse(payload);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`${type} job payload: ${issue.path.join(".") || "payload"} ${issue.message}`);
  }
  return result.data;
}

/** `allocate`: allocate now (one item) or the batch cut-off (every item with waiting lines). */
export async function runAllocate(p: Pipeline, payload: unknown) {
  const { inventoryItemId } = payloadOf(AllocatePayload, "allocate", payload);
  const items = inventoryItemId ? [inventoryItemId] : await openInventoryItems(p.db, p.shop);
  const outcomes = [];
  for (const item of items) outcomes.push(await allocateItem(p, item, inventoryItemId ? "manual" : "cutoff"));
  return outcomes;
}

/**
 * `cancel_remainder`: the merchant cancels the unfilled units of some lines, on their own decision or at the
 * customer's request (the reason); they are removed and refunded.
 */
export async function runCancelRemainder(p: Pipeline, payload: unknown) {
  const { backorderLineIds, reason } = payloadOf(CancelRemainderPayload, "cancel_remainder", payload);
  const rows = await findLinesByIds(p.db, p.shop, backorderLineIds);
  const missing = backorderLineIds.filter((id) => !rows.some((row) => row.id === id));
  if (missing.length > 0)
    throw new Error(`cancel_remainder job payload: backorderLineIds ${missing.join(", ")} not found in ${p.shop}`);
  const byOrder = new Map<string, typeof rows>();
  for (const row of rows) byOrder.set(row.orderId, [...(byOrder.get(row.orderId) ?? []), row]);
  let units = 0;
  for (const [orderId, lines] of byOrder) units += await removeUnfilled(p, orderId, lines, reason);
  return { kind: "cancelled", units };
}

const ShipReadyPayload = z.object({ orderId: z.string().startsWith("gid://shopify/Order/") });

/**
 * `ship_ready`: the customer asked, on their page, for what is allocated to their order to ship now. Where the
 * merchant allows it (`shipReadyOnRequest`), the order's shipment plan is made as under "ship what is available"
 * and goes through the release path every allocation takes; never-split products still ship only complete.
 */
export async function runShipReady(p: Pipeline, payload: unknown) {
  const { orderId } = payloadOf(ShipReadyPayload, "ship_ready", payload);
  if (!p.settings.shipReadyOnRequest) return { kind: "not_allowed" as const };
  const released = await shipOrders(
    { ...p, settings: { ...p.settings, partialShipment: "ship_available" } },
    [orderId],
    new Map(),
  );
  return { kind: "released" as const, units: released };
}

const RedatePayload = z.object({
  inventoryItemId: z.string().startsWith("gid://shopify/InventoryItem/"),
  variantId: z.string().startsWith("gid://shopify/ProductVariant/"),
  productId: z.string().startsWith("gid://shopify/Product/").nullable(),
});

/** `redate`: the merchant changed a date's source (a restock date, lead days): the item's dates follow. */
export async function runRedate(p: Pipeline, payload: unknown) {
  return redateItem(p, payloadOf(RedatePayload, "redate", payload), `merchant:${p.now().toISOString()}`);
}

export const runDeadlineSweep = (p: Pipeline) => sweepDeadlines(p);
export const runReconcile = (p: Pipeline) => reconcile(p);
export const runBackfill = (p: Pipeline) => backfillStep(p);
