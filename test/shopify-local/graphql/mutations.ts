import { randomUUID } from "node:crypto";
import { GraphQLError } from "graphql";
import { gid, idOf, parseGid } from "../ids";
import {
  fulfil,
  mergeFulfillmentOrders,
  placeHold,
  releaseHolds,
  splitFulfillmentOrder,
  type LineSelection,
} from "../store/fulfillment";
import { activateLevel, changeQuantity, levelOf } from "../store/inventory";
import { moveFulfillmentOrder } from "../store/move";
import {
  cancelOrder,
  commitOrderEdit,
  orderCancelProblem,
  refundLines,
  touchOrder,
  type RefundLineInput,
} from "../store/orders";
import { add, lineRefundMoney, refundableShipping, ZERO, type Pair } from "../store/money";
import { recordRefundTransaction, refundable } from "../store/payments";
import type {
  InventoryAdjustmentGroup,
  InventoryChange,
  Job,
  Metafield,
  Order,
  OrderTransaction,
  Refund,
  StoredQuantityName,
} from "../store/state";
import { quantityOf } from "../store/state";
import { money, productPayload } from "../webhooks/payloads";
import { runBulkOperation, validateBulkQuery } from "./bulk";
import type { Args, FieldError, RequestContext } from "./context";
import type {
  FulfillmentArg,
  FulfillmentOrderHoldArg,
  FulfillmentOrderMergeArg,
  FulfillmentOrderSplitArg,
  InventoryAdjustQuantitiesArg,
  LineItemQuantityArg,
  MetafieldIdentifierArg,
  MetafieldsSetArg,
  OrderUpdateArg,
  ProductVariantsBulkArg,
  RefundArg,
} from "./inputs";
import { compareDigest, findMetafield, metafieldValueProblem, ownerOf, resolveNamespace } from "./metafields";
import { withIdempotency } from "./idempotency";
import { calculatedLineItem } from "./types";

/** "$25.00" for dollars, "EUR 25.00" for another currency. */
function priced(cents: number, currency: string): string {
  return currency === "USD" ? `$${money(cents)}` : `${currency} ${money(cents)}`;
}

/**
 * `refundCreate`'s `transactions`: each a REFUND against a successful SALE of the same order, through that
 * sale's gateway, for a positive amount that the sale still holds (summed over the request). Amounts are in the
 * order's presentment currency, which `currency` must name when it is not the shop's ("This is a required field
 * for orders where the currency and presentment currency differ", `RefundInput.currency`). Checked whole before
 * anything changes.
 */
function refundTransactions(
  ctx: RequestContext,
  order: Order,
  input: RefundArg,
): { sale: OrderTransaction; cents: number; gateway: string }[] | { userErrors: FieldError[] } {
  if (input.allowOverRefunding === true) {
    throw new GraphQLError("The local Shopify does not implement RefundInput.allowOverRefunding yet.");
  }
  if (input.currency == null && order.presentmentCurrency !== order.currency) {
    return {
      userErrors: [
        {
          field: ["currency"],
          message: `Currency is required for orders where the currency and presentment currency differ (${order.currency}, ${order.presentmentCurrency})`,
        },
      ],
    };
  }
  if (input.currency != null && input.currency !== order.presentmentCurrency) {
    return {
      userErrors: [
        { field: ["currency"], message: `Currency must be the presentment currency (${order.presentmentCurrency})` },
      ],
    };
  }
  const planned: { sale: OrderTransaction; cents: number; gateway: string }[] = [];
  const asked = new Map<number, number>();
  for (const [index, entry] of (input.transactions ?? []).entries()) {
    const field = (name: string) => ["transactions", String(index), name];
    const fail = (name: string, message: string) => ({ userErrors: [{ field: field(name), message }] });
    if (idOf(entry.orderId, "Order") !== order.id) return fail("orderId", "Order must be the order being refunded");
    if (entry.kind !== "REFUND") return fail("kind", `Kind ${entry.kind} cannot be used to refund; use REFUND`);
    const sale = ctx.shop.transactions.get(idOf(entry.parentId ?? "", "OrderTransaction") ?? -1);
    if (!sale || sale.orderId !== order.id || sale.kind !== "SALE" || sale.status !== "SUCCESS") {
      return fail("parentId", "Parent transaction does not exist");
    }
    if (entry.gateway !== sale.gateway) {
      return fail("gateway", `Gateway must be the parent transaction's gateway (${sale.gateway})`);
    }
    const cents = Math.round(Number(entry.amount) * 100);
    if (!Number.isFinite(cents) || cents <= 0) return fail("amount", "Amount must be greater than 0");
    const total = (asked.get(sale.id) ?? 0) + cents;
    const left = refundable(ctx.shop, sale).presentment;
    if (total > left) {
      return fail(
        "amount",
        `Refund amount ${priced(total, order.presentmentCurrency)} is greater than net payment received ${priced(left, order.presentmentCurrency)}`,
      );
    }
    asked.set(sale.id, total);
    planned.push({ sale, cents, gateway: entry.gateway });
  }
  return planned;
}

/** `RefundInput.shipping`: the full rest of the shipping (price and tax), or an amount of its price in presentment money. */
function refundShipping(order: Order, input: RefundArg): { price: Pair; tax: Pair } | { userErrors: FieldError[] } {
  const left = refundableShipping(order);
  const amount = input.shipping?.shippingRefundAmount;
  if (amount) {
    const cents = Math.round(Number(amount.amount) * 100);
    const most = left.price.presentment;
    if (!Number.isFinite(cents) || cents < 0 || cents > most) {
      return {
        userErrors: [
          {
            field: ["shipping", "shippingRefundAmount"],
            message: `Shipping refund amount must be between 0 and ${priced(most, order.presentmentCurrency)}`,
          },
        ],
      };
    }
    const shop =
      cents === most
        ? left.price.shop
        : Math.round((cents * order.shipping.price.shop) / order.shipping.price.presentment);
    return { price: { shop, presentment: cents }, tax: ZERO };
  }
  return input.shipping?.fullRefund ? left : { price: ZERO, tax: ZERO };
}

function lineSelection(items: LineItemQuantityArg[] | null | undefined): LineSelection[] | null {
  if (!items) return null;
  return items.map((i) => ({ id: idOf(i.id, "FulfillmentOrderLineItem"), quantity: Number(i.quantity) }));
}

const ORDER_CANCEL_DELAY_MS = 500;
const BULK_DELAY_MS = 1_000;

/** Names `inventoryAdjustQuantities` accepts, and the reasons Shopify lists for it. */
const ADJUSTABLE_NAMES = new Set([
  "available",
  "on_hand",
  "damaged",
  "incoming",
  "quality_control",
  "reserved",
  "safety_stock",
]);
const ADJUST_REASONS = new Set([
  "correction",
  "cycle_count_available",
  "damaged",
  "movement_created",
  "movement_updated",
  "movement_received",
  "movement_canceled",
  "other",
  "promotion",
  "quality_control",
  "received",
  "reservation_created",
  "reservation_deleted",
  "reservation_updated",
  "restock",
  "safety_stock",
  "shrinkage",
]);

export const mutationResolvers = {
  fulfillmentOrderHold: (_s: unknown, args: Args, ctx: RequestContext) => {
    const hold = args.fulfillmentHold as FulfillmentOrderHoldArg;
    const fo = ctx.shop.fulfillmentOrders.get(idOf(args.id, "FulfillmentOrder") ?? -1);
    const result = placeHold(ctx.rt, ctx.shop, ctx.rt.app.id, fo, {
      reason: hold.reason,
      reasonNotes: hold.reasonNotes,
      handle: hold.handle,
      externalId: hold.externalId,
      notifyMerchant: hold.notifyMerchant,
      fulfillmentOrderLineItems: lineSelection(hold.fulfillmentOrderLineItems),
    });
    if (!result.ok)
      return {
        fulfillmentHold: null,
        fulfillmentOrder: null,
        remainingFulfillmentOrder: null,
        userErrors: [result.error],
      };
    return {
      fulfillmentHold: result.hold,
      fulfillmentOrder: result.fulfillmentOrder,
      remainingFulfillmentOrder: result.remaining,
      userErrors: [],
    };
  },

  fulfillmentOrderReleaseHold: (_s: unknown, args: Args, ctx: RequestContext) => {
    const fo = ctx.shop.fulfillmentOrders.get(idOf(args.id, "FulfillmentOrder") ?? -1);
    const holdIds =
      args.holdIds === undefined || args.holdIds === null
        ? null
        : (args.holdIds as string[]).map((h) => idOf(h, "FulfillmentHold") ?? -1);
    const result = releaseHolds(ctx.rt, ctx.shop, ctx.rt.app.id, fo, holdIds);
    return result.ok
      ? { fulfillmentOrder: result.fulfillmentOrder, userErrors: [] }
      : { fulfillmentOrder: null, userErrors: [result.error] };
  },

  fulfillmentOrderSplit: (_s: unknown, args: Args, ctx: RequestContext) => {
    const results = [];
    for (const [index, split] of (args.fulfillmentOrderSplits as FulfillmentOrderSplitArg[]).entries()) {
      const fo = ctx.shop.fulfillmentOrders.get(idOf(split.fulfillmentOrderId, "FulfillmentOrder") ?? -1);
      const result = splitFulfillmentOrder(
        ctx.rt,
        ctx.shop,
        fo,
        lineSelection(split.fulfillmentOrderLineItems) ?? [],
        index,
      );
      if (!result.ok) return { fulfillmentOrderSplits: null, userErrors: [result.error] };
      results.push({
        fulfillmentOrder: result.fulfillmentOrder,
        remainingFulfillmentOrder: result.remaining,
        replacementFulfillmentOrder: null,
      });
    }
    return { fulfillmentOrderSplits: results, userErrors: [] };
  },

  fulfillmentOrderMove: (_s: unknown, args: Args, ctx: RequestContext) => {
    const fo = ctx.shop.fulfillmentOrders.get(idOf(args.id as string, "FulfillmentOrder") ?? -1);
    const result = moveFulfillmentOrder(
      ctx.rt,
      ctx.shop,
      fo,
      idOf(args.newLocationId as string, "Location"),
      lineSelection(args.fulfillmentOrderLineItems as LineItemQuantityArg[] | null | undefined),
    );
    return result.ok
      ? {
          movedFulfillmentOrder: result.moved,
          originalFulfillmentOrder: result.original,
          remainingFulfillmentOrder: null,
          userErrors: [],
        }
      : {
          movedFulfillmentOrder: null,
          originalFulfillmentOrder: null,
          remainingFulfillmentOrder: null,
          userErrors: [result.error],
        };
  },

  fulfillmentOrderMerge: (_s: unknown, args: Args, ctx: RequestContext) => {
    const merges = [];
    for (const [index, input] of (args.fulfillmentOrderMergeInputs as FulfillmentOrderMergeArg[]).entries()) {
      const ids = input.mergeIntents.map((m) => idOf(m.fulfillmentOrderId, "FulfillmentOrder") ?? -1);
      const result = mergeFulfillmentOrders(ctx.rt, ctx.shop, ids, index);
      if (!result.ok) return { fulfillmentOrderMerges: null, userErrors: [result.error] };
      merges.push({ fulfillmentOrder: result.fulfillmentOrder });
    }
    return { fulfillmentOrderMerges: merges, userErrors: [] };
  },

  fulfillmentCreate: (_s: unknown, args: Args, ctx: RequestContext) => {
    const groups = (args.fulfillment as FulfillmentArg).lineItemsByFulfillmentOrder;
    if (groups.length !== 1) {
      return {
        fulfillment: null,
        userErrors: [
          {
            field: ["fulfillment", "lineItemsByFulfillmentOrder"],
            message: "The local Shopify fulfils one fulfillment order per call.",
          },
        ],
      };
    }
    const group = groups[0]!;
    const fo = ctx.shop.fulfillmentOrders.get(idOf(group.fulfillmentOrderId, "FulfillmentOrder") ?? -1);
    const result = fulfil(ctx.rt, ctx.shop, fo, lineSelection(group.fulfillmentOrderLineItems));
    return result.ok
      ? { fulfillment: result.fulfillment, userErrors: [] }
      : { fulfillment: null, userErrors: [result.error] };
  },

  orderCancel: (_s: unknown, args: Args, ctx: RequestContext) => {
    const order = ctx.shop.orders.get(idOf(args.orderId, "Order") ?? -1);
    const problem = orderCancelProblem(order);
    if (problem || !order) {
      return {
        job: null,
        jobResult: null,
        orderCancelUserErrors: [{ field: ["orderId"], message: problem, code: order ? "INVALID" : "NOT_FOUND" }],
      };
    }
    const job: Job = { __typename: "Job", id: `gid://shopify/Job/${randomUUID()}`, done: false };
    ctx.shop.jobs.set(job.id, job);
    // Shopify cancels in a background job: the order changes only once the job has run.
    ctx.rt.schedule(ORDER_CANCEL_DELAY_MS, () => {
      cancelOrder(ctx.rt, ctx.shop, order, {
        reason: String(args.reason),
        restock: Boolean(args.restock),
        staffNote: args.staffNote as string | null,
      });
      job.done = true;
    });
    return { job, jobResult: null, orderCancelUserErrors: [] };
  },

  orderEditBegin: (_s: unknown, args: Args, ctx: RequestContext) => {
    const order = ctx.shop.orders.get(idOf(args.id, "Order") ?? -1);
    if (!order)
      return {
        calculatedOrder: null,
        orderEditSession: null,
        userErrors: [{ field: ["id"], message: "The order does not exist." }],
      };
    if (order.cancelledAt)
      return {
        calculatedOrder: null,
        orderEditSession: null,
        userErrors: [{ field: ["id"], message: "Cannot edit a cancelled order." }],
      };
    const calculated = {
      __typename: "CalculatedOrder" as const,
      id: ctx.rt.id(),
      orderId: order.id,
      quantities: new Map(),
      committed: false,
    };
    ctx.shop.calculatedOrders.set(calculated.id, calculated);
    return {
      calculatedOrder: calculated,
      orderEditSession: { id: gid("OrderEditSession", calculated.id) },
      userErrors: [],
    };
  },

  orderEditSetQuantity: (_s: unknown, args: Args, ctx: RequestContext) => {
    const calculated = ctx.shop.calculatedOrders.get(idOf(args.id, "CalculatedOrder") ?? -1);
    const fail = (field: string[], message: string) => ({
      calculatedOrder: null,
      calculatedLineItem: null,
      orderEditSession: null,
      userErrors: [{ field, message }],
    });
    if (!calculated || calculated.committed) return fail(["id"], "The calculated order does not exist.");
    const order = ctx.shop.orders.get(calculated.orderId)!;
    const line = order.lineItems.find((l) => l.id === idOf(args.lineItemId, "CalculatedLineItem"));
    if (!line) return fail(["lineItemId"], "The line item does not exist on this order edit.");
    const quantity = Number(args.quantity);
    if (quantity < 0) return fail(["quantity"], "Quantity must be greater than or equal to 0.");
    if (quantity < line.fulfilledQuantity) {
      return fail(["quantity"], `Quantity cannot be less than the fulfilled quantity (${line.fulfilledQuantity}).`);
    }
    calculated.quantities.set(line.id, { quantity, restock: args.restock === true });
    return {
      calculatedOrder: calculated,
      calculatedLineItem: calculatedLineItem(calculated, line),
      orderEditSession: { id: gid("OrderEditSession", calculated.id) },
      userErrors: [],
    };
  },

  orderEditCommit: (_s: unknown, args: Args, ctx: RequestContext) => {
    const calculated = ctx.shop.calculatedOrders.get(idOf(args.id, "CalculatedOrder") ?? -1);
    if (!calculated || calculated.committed)
      return {
        order: null,
        successMessages: null,
        userErrors: [{ field: ["id"], message: "The calculated order does not exist." }],
      };
    const order = ctx.shop.orders.get(calculated.orderId)!;
    calculated.committed = true;
    commitOrderEdit(ctx.rt, ctx.shop, order, calculated.quantities);
    return { order, successMessages: ["Order updated"], userErrors: [] };
  },

  refundCreate: withIdempotency(
    "refundCreate",
    (_s: unknown, args: Args, ctx: RequestContext) => {
      const input = args.input as RefundArg;
      const order = ctx.shop.orders.get(idOf(input.orderId, "Order") ?? -1);
      if (!order)
        return { order: null, refund: null, userErrors: [{ field: ["orderId"], message: "Order does not exist" }] };
      const lines: RefundLineInput[] = [];
      for (const [index, entry] of (input.refundLineItems ?? []).entries()) {
        const line = order.lineItems.find((l) => l.id === idOf(entry.lineItemId, "LineItem"));
        const field = ["refundLineItems", String(index)];
        if (!line)
          return {
            order: null,
            refund: null,
            userErrors: [{ field: [...field, "lineItemId"], message: "Line item does not exist" }],
          };
        const already = lines.filter((l) => l.lineItemId === line.id).reduce((n, l) => n + l.quantity, 0);
        if (entry.quantity + already > line.currentQuantity) {
          return {
            order: null,
            refund: null,
            userErrors: [
              {
                field: [...field, "quantity"],
                message: `Quantity cannot refund more items than were purchased (${line.currentQuantity})`,
              },
            ],
          };
        }
        lines.push({
          lineItemId: line.id,
          quantity: entry.quantity,
          restockType: entry.restockType ?? "NO_RESTOCK",
          locationId: entry.locationId ? idOf(entry.locationId, "Location") : null,
        });
      }
      const shipping = refundShipping(order, input);
      if ("userErrors" in shipping) return { order: null, refund: null, userErrors: shipping.userErrors };
      const payments = refundTransactions(ctx, order, input);
      if ("userErrors" in payments) return { order: null, refund: null, userErrors: payments.userErrors };
      const transactionIds = payments.map(
        (p) => recordRefundTransaction(ctx.rt, ctx.shop, p.sale, p.cents, p.gateway).id,
      );
      order.shipping.refunded = {
        price: add(order.shipping.refunded.price, shipping.price),
        tax: add(order.shipping.refunded.tax, shipping.tax),
      };
      // Each line's share is taken before refundLines counts these units as refunded.
      const withMoney = lines.map((l) => ({
        ...l,
        money: lineRefundMoney(
          order.lineItems.find((li) => li.id === l.lineItemId)!,
          l.quantity,
        ),
      }));
      const refund: Refund = {
        __typename: "Refund",
        id: ctx.rt.id(),
        orderId: order.id,
        note: input.note ?? null,
        lines: withMoney,
        transactionIds,
        shipping: add(shipping.price, shipping.tax),
        createdAt: ctx.rt.clock.iso(),
      };
      ctx.shop.refunds.set(refund.id, refund);
      // Last, so the orders/updated it fires carries the refund and its transactions.
      refundLines(ctx.rt, ctx.shop, order, lines);
      return { order, refund, userErrors: [] };
    },
    { order: null, refund: null },
  ),

  /**
   * `orderUpdate`: `tags` REPLACE the order's tags (unlike tagsAdd), `metafields` are set on the order, `note`
   * replaces the note. Checked whole, then applied; the order's updatedAt moves and orders/updated fires.
   */
  orderUpdate: (_s: unknown, args: Args, ctx: RequestContext) => {
    const input = args.input as OrderUpdateArg;
    const unsupported = Object.keys(input).find((k) => !["id", "tags", "note", "metafields"].includes(k));
    if (unsupported) throw new GraphQLError(`The local Shopify does not implement OrderInput.${unsupported} yet.`);
    const order = ctx.shop.orders.get(idOf(input.id, "Order") ?? -1);
    if (!order) return { order: null, userErrors: [{ field: ["id"], message: "Order does not exist" }] };
    const ownerId = gid("Order", order.id);
    const planned: { namespace: string; key: string; type: string; value: string; existing?: Metafield }[] = [];
    for (const [index, entry] of (input.metafields ?? []).entries()) {
      const field = (name: string) => ["metafields", String(index), name];
      const byId = entry.id ? ctx.shop.metafields.get(idOf(entry.id, "Metafield") ?? -1) : undefined;
      if (entry.id && (!byId || byId.ownerId !== ownerId))
        return { order: null, userErrors: [{ field: field("id"), message: "Metafield does not exist" }] };
      const namespace = byId?.namespace ?? resolveNamespace(entry.namespace, ctx.rt.app.id);
      const key = byId?.key ?? entry.key;
      if (!key) return { order: null, userErrors: [{ field: field("key"), message: "Key can't be blank" }] };
      const existing = byId ?? findMetafield(ctx.shop, ownerId, namespace, key);
      const type = entry.type ?? existing?.type;
      if (!type) return { order: null, userErrors: [{ field: field("type"), message: "Type can't be blank" }] };
      const value = entry.value ?? existing?.value;
      if (value === undefined)
        return { order: null, userErrors: [{ field: field("value"), message: "Value can't be blank" }] };
      const problem = metafieldValueProblem(type, value);
      if (problem) return { order: null, userErrors: [{ field: field("value"), message: problem }] };
      planned.push({ namespace, key, type, value, existing });
    }
    const now = ctx.rt.clock.iso();
    for (const plan of planned) {
      const metafield: Metafield = plan.existing ?? {
        __typename: "Metafield",
        id: ctx.rt.id(),
        ownerId,
        namespace: plan.namespace,
        key: plan.key,
        type: plan.type,
        value: plan.value,
        createdAt: now,
        updatedAt: now,
      };
      Object.assign(metafield, { type: plan.type, value: plan.value, updatedAt: now });
      ctx.shop.metafields.set(metafield.id, metafield);
    }
    if (input.tags) order.tags = normalTags(input.tags);
    if (input.note !== undefined) order.note = input.note ?? null;
    touchOrder(ctx.rt, ctx.shop, order);
    return { order, userErrors: [] };
  },

  tagsAdd: (_s: unknown, args: Args, ctx: RequestContext) => changeTags(ctx, args, "add"),
  tagsRemove: (_s: unknown, args: Args, ctx: RequestContext) => changeTags(ctx, args, "remove"),

  metafieldsSet: (_s: unknown, args: Args, ctx: RequestContext) => {
    const inputs = args.metafields as MetafieldsSetArg[];
    const errors: (FieldError & { elementIndex: number | null })[] = [];
    if (inputs.length > 25) {
      return {
        metafields: null,
        userErrors: [
          {
            field: ["metafields"],
            message: "Exceeded the maximum metafields input limit of 25.",
            code: "LESS_THAN_OR_EQUAL_TO",
            elementIndex: null,
          },
        ],
      };
    }
    const plans = inputs.map((input, index) => {
      const field = (name: string) => ["metafields", String(index), name];
      const namespace = resolveNamespace(input.namespace, ctx.rt.app.id);
      if (!ownerOf(ctx.shop, input.ownerId)) {
        errors.push({
          field: field("ownerId"),
          message: "Owner does not exist.",
          code: "INVALID",
          elementIndex: index,
        });
        return null;
      }
      const existing = findMetafield(ctx.shop, input.ownerId, namespace, input.key);
      const type = input.type ?? existing?.type;
      if (!type) {
        errors.push({ field: field("type"), message: "Type can't be blank.", code: "BLANK", elementIndex: index });
        return null;
      }
      const problem = metafieldValueProblem(type, input.value);
      if (problem) {
        errors.push({ field: field("value"), message: problem, code: "INVALID_VALUE", elementIndex: index });
        return null;
      }
      if (
        input.compareDigest !== undefined &&
        input.compareDigest !== null &&
        (!existing || compareDigest(existing) !== input.compareDigest)
      ) {
        errors.push({
          field: field("compareDigest"),
          message: "The resource has been updated since it was loaded.",
          code: "STALE_OBJECT",
          elementIndex: index,
        });
        return null;
      }
      return { input, namespace, existing, type };
    });
    // Shopify applies metafieldsSet atomically: one bad entry and nothing is written.
    if (errors.length > 0) return { metafields: null, userErrors: errors };
    const now = ctx.rt.clock.iso();
    const written: Metafield[] = [];
    for (const plan of plans) {
      if (!plan) continue;
      const metafield: Metafield = plan.existing ?? {
        __typename: "Metafield",
        id: ctx.rt.id(),
        ownerId: plan.input.ownerId,
        namespace: plan.namespace,
        key: plan.input.key,
        type: plan.type,
        value: plan.input.value,
        createdAt: now,
        updatedAt: now,
      };
      metafield.value = plan.input.value;
      metafield.type = plan.type;
      metafield.updatedAt = now;
      ctx.shop.metafields.set(metafield.id, metafield);
      written.push(metafield);
    }
    return { metafields: written, userErrors: [] };
  },

  metafieldsDelete: (_s: unknown, args: Args, ctx: RequestContext) => {
    const deleted = (args.metafields as MetafieldIdentifierArg[]).map((input) => {
      const namespace = resolveNamespace(input.namespace, ctx.rt.app.id);
      const existing = findMetafield(ctx.shop, input.ownerId, namespace, input.key);
      if (!existing) return null;
      ctx.shop.metafields.delete(existing.id);
      return { ownerId: input.ownerId, namespace, key: input.key };
    });
    return { deletedMetafields: deleted, userErrors: [] };
  },

  productVariantsBulkUpdate: (_s: unknown, args: Args, ctx: RequestContext) => {
    const product = ctx.shop.products.get(idOf(args.productId, "Product") ?? -1);
    if (!product) {
      return {
        product: null,
        productVariants: null,
        userErrors: [{ field: ["productId"], message: "Product does not exist", code: "PRODUCT_DOES_NOT_EXIST" }],
      };
    }
    const inputs = args.variants as ProductVariantsBulkArg[];
    for (const [index, input] of inputs.entries()) {
      if (!input.id) {
        return {
          product: null,
          productVariants: null,
          userErrors: [
            {
              field: ["variants", String(index), "id"],
              message: "Product variant is missing ID attribute",
              code: "PRODUCT_VARIANT_ID_MISSING",
            },
          ],
        };
      }
      const variantId = idOf(input.id, "ProductVariant");
      if (variantId === null || !product.variantIds.includes(variantId)) {
        return {
          product: null,
          productVariants: null,
          userErrors: [
            {
              field: ["variants", String(index), "id"],
              message: "Product variant does not exist",
              code: "PRODUCT_VARIANT_DOES_NOT_EXIST",
            },
          ],
        };
      }
      if (input.inventoryQuantities) {
        return {
          product: null,
          productVariants: null,
          userErrors: [
            {
              field: ["variants", String(index), "inventoryQuantities"],
              message:
                "Inventory quantities can only be provided during create. To update inventory for existing variants, use inventoryAdjustQuantities.",
              code: "NO_INVENTORY_QUANTITIES_ON_VARIANTS_UPDATE",
            },
          ],
        };
      }
      if (input.price !== undefined && input.price !== null && Number(input.price) < 0) {
        return {
          product: null,
          productVariants: null,
          userErrors: [
            {
              field: ["variants", String(index), "price"],
              message: "Price must be greater than or equal to 0",
              code: "GREATER_THAN_OR_EQUAL_TO",
            },
          ],
        };
      }
    }
    const now = ctx.rt.clock.iso();
    const updated = inputs.map((input) => {
      const variant = ctx.shop.variants.get(idOf(input.id, "ProductVariant")!)!;
      if (input.inventoryPolicy) variant.inventoryPolicy = input.inventoryPolicy;
      if (input.price !== undefined && input.price !== null) variant.priceCents = Math.round(Number(input.price) * 100);
      const item = ctx.shop.inventoryItems.get(variant.inventoryItemId)!;
      if (input.inventoryItem?.tracked !== undefined && input.inventoryItem.tracked !== null)
        item.tracked = input.inventoryItem.tracked;
      if (input.inventoryItem?.sku !== undefined) variant.sku = input.inventoryItem.sku;
      variant.updatedAt = now;
      return variant;
    });
    product.updatedAt = now;
    ctx.rt.emit(ctx.shop, "products/update", () => productPayload(ctx.shop, product));
    return { product, productVariants: updated, userErrors: [] };
  },

  flowTriggerReceive: (_s: unknown, args: Args, ctx: RequestContext) => {
    if (!args.handle && !args.body) {
      return {
        userErrors: [{ field: ["handle"], message: "Either a handle with a payload, or a body, is required." }],
      };
    }
    if (
      args.payload !== undefined &&
      args.payload !== null &&
      Buffer.byteLength(JSON.stringify(args.payload)) > 50_000
    ) {
      return {
        userErrors: [
          {
            field: ["payload"],
            message: "Errors validating schema:\n  Properties size exceeds the limit of 50000 bytes.\n",
          },
        ],
      };
    }
    const handle = (args.handle as string) ?? null;
    ctx.shop.flowTriggers.push({
      handle,
      payload: args.payload ?? null,
      body: (args.body as string) ?? null,
      receivedAt: ctx.rt.clock.iso(),
      startedWorkflows: ctx.shop.flowWorkflows.filter((w) => w.enabled && w.trigger === handle).length,
    });
    return { userErrors: [] };
  },

  bulkOperationRunQuery: (_s: unknown, args: Args, ctx: RequestContext) => {
    const running = [...ctx.shop.bulkOperations.values()].find((b) => b.status === "CREATED" || b.status === "RUNNING");
    if (running) {
      return {
        bulkOperation: null,
        userErrors: [
          {
            field: null,
            message: `A bulk query operation for this app and shop is already in progress: ${gid("BulkOperation", running.id)}.`,
            code: "OPERATION_IN_PROGRESS",
          },
        ],
      };
    }
    const problem = validateBulkQuery(ctx.version, String(args.query));
    if (problem) return { bulkOperation: null, userErrors: [{ field: ["query"], message: problem, code: "INVALID" }] };
    const operation = {
      __typename: "BulkOperation" as const,
      id: ctx.rt.id(),
      query: String(args.query),
      status: "CREATED" as const,
      createdAt: ctx.rt.clock.iso(),
      completedAt: null,
      objectCount: 0,
      rootObjectCount: 0,
      fileSize: null,
      jsonl: null,
      errorCode: null,
    };
    ctx.shop.bulkOperations.set(operation.id, operation);
    ctx.rt.schedule(BULK_DELAY_MS, () => {
      void runBulkOperation(ctx, operation);
    });
    return { bulkOperation: operation, userErrors: [] };
  },

  inventoryAdjustQuantities: withIdempotency(
    "inventoryAdjustQuantities",
    (_s: unknown, args: Args, ctx: RequestContext) => adjustQuantities(ctx, args.input as InventoryAdjustQuantitiesArg),
    { inventoryAdjustmentGroup: null },
  ),
};

function adjustQuantities(ctx: RequestContext, input: InventoryAdjustQuantitiesArg) {
  const fail = (field: string[], message: string, code: string) => ({
    inventoryAdjustmentGroup: null,
    userErrors: [{ field, message, code }],
  });
  const name = String(input.name);
  if (!ADJUSTABLE_NAMES.has(name))
    return fail(
      ["input", "name"],
      `The quantity name must be one of: ${[...ADJUSTABLE_NAMES].join(", ")}.`,
      "INVALID_QUANTITY_NAME",
    );
  if (!ADJUST_REASONS.has(String(input.reason)))
    return fail(["input", "reason"], "The specified reason is invalid.", "INVALID_REASON");
  const plans = [];
  for (const [index, change] of input.changes.entries()) {
    const field = (f: string) => ["input", "changes", String(index), f];
    const itemId = idOf(change.inventoryItemId, "InventoryItem");
    const item = itemId === null ? undefined : ctx.shop.inventoryItems.get(itemId);
    if (!item)
      return fail(
        field("inventoryItemId"),
        "The specified inventory item could not be found.",
        "INVALID_INVENTORY_ITEM",
      );
    const locationId = idOf(change.locationId, "Location");
    const location = ctx.shop.locations.find((l) => l.id === locationId);
    if (!location) return fail(field("locationId"), "The specified location could not be found.", "INVALID_LOCATION");
    if (name === "available" && change.ledgerDocumentUri) {
      return fail(
        field("ledgerDocumentUri"),
        "A ledger document URI is not allowed when adjusting available.",
        "INVALID_AVAILABLE_DOCUMENT",
      );
    }
    if (name !== "available" && name !== "on_hand" && !change.ledgerDocumentUri) {
      return fail(
        field("ledgerDocumentUri"),
        "A ledger document URI is required except when adjusting available.",
        "INVALID_QUANTITY_DOCUMENT",
      );
    }
    const level = levelOf(ctx.shop, item.id, location.id);
    const current = level ? quantityOf(level, name as StoredQuantityName) : 0;
    if (
      change.changeFromQuantity !== undefined &&
      change.changeFromQuantity !== null &&
      change.changeFromQuantity !== current
    ) {
      return fail(
        field("changeFromQuantity"),
        "The changeFromQuantity argument no longer matches the persisted quantity.",
        "CHANGE_FROM_QUANTITY_STALE",
      );
    }
    plans.push({
      item,
      location,
      delta: Number(change.delta),
      ledgerDocumentUri: (change.ledgerDocumentUri as string) ?? null,
    });
  }
  const changes: InventoryChange[] = [];
  for (const plan of plans) {
    const level = activateLevel(ctx.rt, ctx.shop, plan.item.id, plan.location.id);
    // Adjusting on_hand moves available with it: on_hand is the sum of the states.
    const stored: StoredQuantityName = name === "on_hand" ? "available" : (name as StoredQuantityName);
    changeQuantity(ctx.rt, ctx.shop, level, stored, plan.delta);
    changes.push({
      name,
      delta: plan.delta,
      inventoryItemId: plan.item.id,
      locationId: plan.location.id,
      quantityAfterChange: quantityOf(level, name as StoredQuantityName),
      ledgerDocumentUri: plan.ledgerDocumentUri,
    });
    if (name !== "on_hand" && name !== "incoming") {
      changes.push({
        name: "on_hand",
        delta: plan.delta,
        inventoryItemId: plan.item.id,
        locationId: plan.location.id,
        quantityAfterChange: quantityOf(level, "on_hand"),
        ledgerDocumentUri: null,
      });
    }
  }
  const group: InventoryAdjustmentGroup = {
    __typename: "InventoryAdjustmentGroup",
    id: ctx.rt.id(),
    reason: String(input.reason),
    referenceDocumentUri: (input.referenceDocumentUri as string) ?? null,
    changes,
    createdAt: ctx.rt.clock.iso(),
  };
  ctx.shop.adjustmentGroups.set(group.id, group);
  return { inventoryAdjustmentGroup: group, userErrors: [] as FieldError[] };
}

/** Shopify splits tags on commas, trims them and keeps each once. */
function normalTags(tags: string[]): string[] {
  return [
    ...new Set(
      tags
        .flatMap((t) => t.split(","))
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
}

function changeTags(ctx: RequestContext, args: Args, mode: "add" | "remove") {
  const parsed = parseGid(args.id);
  const tags = normalTags(args.tags as string[]);
  const apply = (current: string[]) =>
    mode === "add"
      ? [...current, ...tags.filter((t) => !current.includes(t))]
      : current.filter((t) => !tags.includes(t));
  const now = ctx.rt.clock.iso();
  if (parsed?.type === "Order") {
    const order = ctx.shop.orders.get(parsed.id);
    if (order) {
      const next = apply(order.tags);
      if (next.join() !== order.tags.join()) {
        order.tags = next;
        touchOrder(ctx.rt, ctx.shop, order);
      }
      return { node: order, userErrors: [] };
    }
  }
  if (parsed?.type === "Product") {
    const product = ctx.shop.products.get(parsed.id);
    if (product) {
      product.tags = apply(product.tags);
      product.updatedAt = now;
      ctx.rt.emit(ctx.shop, "products/update", () => productPayload(ctx.shop, product));
      return { node: product, userErrors: [] };
    }
  }
  if (parsed?.type === "Customer") {
    const customer = ctx.shop.customers.get(parsed.id);
    if (customer) {
      customer.tags = apply(customer.tags);
      customer.updatedAt = now;
      return { node: customer, userErrors: [] };
    }
  }
  return { node: null, userErrors: [{ field: ["id"], message: "Resource not found" }] };
}
