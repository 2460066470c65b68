/**
 * Field resolvers per Admin API type over the store's records. Fields not listed here read the
 * record's property of the same name; a field neither lists nor stores fails with a field error, so
 * gaps show instead of passing silently.
 */
import { GraphQLError } from "graphql";
import { gid, inventoryLevelGid } from "../ids";
import { levelOf, totalAvailable } from "../store/inventory";
import { fulfillmentOrdersOf } from "../store/orders";
import {
  add,
  lineSubtotal,
  lineTotal,
  orderDiscounts,
  orderTaxes,
  orderTotal,
  sub,
  ZERO,
  type Pair,
} from "../store/money";
import { amountOf, financialStatusOf, received, refunded, transactionsOf } from "../store/payments";
import { supportedActions } from "../store/fulfillment";
import { SHOP_TIMEZONE, zoneAt } from "../store/shop-time";
import { quantityOf, QUANTITY_NAMES, type QuantityName } from "../store/state";
import type {
  BulkOperation,
  CalculatedOrder,
  Customer,
  Fulfillment,
  FulfillmentHold,
  FulfillmentOrder,
  FulfillmentOrderLineItem,
  FulfillmentService,
  InventoryAdjustmentGroup,
  InventoryItem,
  InventoryLevel,
  LineItem,
  Location,
  Metafield,
  Order,
  OrderTransaction,
  Product,
  Refund,
  Shop,
  Variant,
} from "../store/state";
import { money } from "../webhooks/payloads";
import { connection } from "./connection";
import type { Args, RequestContext, TypeResolvers } from "./context";
import { incomingTypes, scheduledChangesOf } from "./incoming";
import { compareDigest, metafieldResolvers, ownerOf, ownerTypeOf } from "./metafields";
import { orderMoney, suggestedRefund } from "./suggested-refund";

/** GraphQL's `Decimal` drops trailing zeros ("20.0", "19.9"), unlike REST's "20.00". */
export function decimal(cents: number): string {
  const text = String(cents / 100);
  return text.includes(".") ? text : `${text}.0`;
}

/** What a refund's units and shipping were worth, whatever money moved with it. */
function refundValue(r: Refund): Pair {
  return r.lines.reduce((n, l) => add(n, l.money.total), r.shipping);
}

/** Refunds' value, and the units order edits took off (an edit lowers the total without refunding). */
function refundedValue(ctx: RequestContext, o: Order): Pair {
  const edited = o.lineItems.reduce((n, l) => {
    const gone = l.quantity - l.currentQuantity - l.refundedQuantity;
    const total = lineTotal(l);
    return add(n, {
      shop: Math.round((total.shop * gone) / l.quantity),
      presentment: Math.round((total.presentment * gone) / l.quantity),
    });
  }, ZERO);
  return [...ctx.shop.refunds.values()]
    .filter((r) => r.orderId === o.id)
    .reduce((n, r) => add(n, refundValue(r)), edited);
}

export function moneyBag(cents: number, currencyCode: string) {
  const amount = { amount: decimal(cents), currencyCode };
  return { shopMoney: amount, presentmentMoney: { ...amount } };
}

export function inventoryQuantityRecord(level: InventoryLevel, name: string) {
  return {
    id: `gid://shopify/InventoryQuantity/${level.locationId}?inventory_item_id=${level.inventoryItemId}&name=${name}`,
    name,
    quantity: quantityOf(level, name as QuantityName),
    updatedAt: level.updatedAt,
  };
}

const KNOWN_QUANTITY_NAMES = new Set<string>([...QUANTITY_NAMES, "on_hand"]);

function orderDisplayFulfillmentStatus(shop: Shop, order: Order): string {
  const shipped = order.lineItems.reduce((n, l) => n + l.fulfilledQuantity, 0);
  const wanted = order.lineItems.reduce((n, l) => n + l.currentQuantity, 0);
  if (wanted > 0 && shipped >= wanted) return "FULFILLED";
  if (shipped > 0) return "PARTIALLY_FULFILLED";
  const fos = fulfillmentOrdersOf(shop, order.id).filter((fo) => fo.status !== "CLOSED" && fo.status !== "CANCELLED");
  if (fos.length > 0 && fos.every((fo) => fo.status === "ON_HOLD")) return "ON_HOLD";
  return "UNFULFILLED";
}

const legacy = (source: { id: number }) => String(source.id);

const PROTECTED_DATA_DOC = "https://shopify.dev/docs/apps/launch/protected-customer-data";

/**
 * Shopify withholds protected customer data from apps without approval: a field error with code ACCESS_DENIED
 * (the field is null; a non-null field nulls its parent). Messages as Shopify words them for the Customer
 * object and its fields (our best reading; the code and the null are what apps rely on).
 */
function accessDenied(message: string): GraphQLError {
  return new GraphQLError(`${message} See ${PROTECTED_DATA_DOC} for more details.`, {
    extensions: { code: "ACCESS_DENIED", documentation: PROTECTED_DATA_DOC },
  });
}

/** A name or contact field of a customer: protected customer data level 2. */
function level2<T>(field: string, value: (c: Customer) => T) {
  return (c: Customer, _a: Args, ctx: RequestContext): T => {
    if ((ctx.shop.protectedCustomerData ?? 2) < 2) {
      throw accessDenied(`This app is not approved to use the ${field} field.`);
    }
    return value(c);
  };
}

export const typeResolvers: TypeResolvers = {
  ...incomingTypes,
  Shop: {
    id: (s: Shop) => gid("Shop", s.id),
    myshopifyDomain: (s: Shop) => s.domain,
    contactEmail: (s: Shop) => s.email,
    currencyCode: (s: Shop) => s.currency,
    url: (s: Shop) => `https://${s.domain}`,
    primaryDomain: (s: Shop) => ({
      id: gid("Domain", s.id),
      host: s.domain,
      url: `https://${s.domain}`,
      sslEnabled: true,
    }),
    ianaTimezone: () => SHOP_TIMEZONE,
    timezoneAbbreviation: (_s: Shop, _a: Args, ctx: RequestContext) => zoneAt(ctx.rt.clock.nowMs()).abbreviation,
    timezoneOffset: (_s: Shop, _a: Args, ctx: RequestContext) => zoneAt(ctx.rt.clock.nowMs()).offset,
    timezoneOffsetMinutes: (_s: Shop, _a: Args, ctx: RequestContext) => zoneAt(ctx.rt.clock.nowMs()).offsetMinutes,
    plan: () => ({ partnerDevelopment: true, publicDisplayName: "Development", shopifyPlus: false }),
    updatedAt: (s: Shop) => s.createdAt,
    ...metafieldResolvers((s: Shop) => gid("Shop", s.id)),
  },
  Location: {
    id: (l: Location) => gid("Location", l.id),
    legacyResourceId: legacy,
    address: (l: Location) => ({
      address1: l.address1,
      address2: null,
      city: l.city,
      province: "Ontario",
      provinceCode: "ON",
      country: "Canada",
      phone: null,
      latitude: null,
      longitude: null,
      zip: l.zip,
      countryCode: l.countryCode,
      formatted: [l.address1, `${l.city} ${l.zip}`, l.countryCode],
    }),
    shipsInventory: () => true,
    isFulfillmentService: (l: Location) => l.fulfillmentService !== null,
    fulfillmentService: (l: Location) => l.fulfillmentService,
    hasActiveInventory: (l: Location, _a: Args, ctx: RequestContext) =>
      [...ctx.shop.levels.values()].some((lv) => lv.locationId === l.id),
    inventoryLevel: (l: Location, args: Args, ctx: RequestContext) => {
      const itemId = Number(/(\d+)$/.exec(String(args.inventoryItemId))?.[1]);
      return levelOf(ctx.shop, itemId, l.id) ?? null;
    },
    inventoryLevels: (l: Location, args: Args, ctx: RequestContext) =>
      connection(
        [...ctx.shop.levels.values()].filter((lv) => lv.locationId === l.id),
        args,
        ctx,
        (lv) => lv.inventoryItemId,
      ),
    ...metafieldResolvers((l: Location) => gid("Location", l.id)),
  },
  Product: {
    id: (p: Product) => gid("Product", p.id),
    legacyResourceId: legacy,
    variants: (p: Product, args: Args, ctx: RequestContext) =>
      connection(
        p.variantIds.map((id) => ctx.shop.variants.get(id)!),
        args,
        ctx,
        (v) => v.id,
      ),
    variantsCount: (p: Product) => ({ count: p.variantIds.length, precision: "EXACT" }),
    hasOnlyDefaultVariant: (p: Product, _a: Args, ctx: RequestContext) =>
      p.variantIds.length === 1 && ctx.shop.variants.get(p.variantIds[0]!)?.title === "Default Title",
    totalInventory: (p: Product, _a: Args, ctx: RequestContext) =>
      p.variantIds.reduce((n, id) => n + totalAvailable(ctx.shop, ctx.shop.variants.get(id)!.inventoryItemId), 0),
    tracksInventory: (p: Product, _a: Args, ctx: RequestContext) =>
      p.variantIds.some((id) => ctx.shop.inventoryItems.get(ctx.shop.variants.get(id)!.inventoryItemId)?.tracked),
    description: () => "",
    descriptionHtml: () => "",
    isGiftCard: () => false,
    onlineStoreUrl: (p: Product, _a: Args, ctx: RequestContext) => `https://${ctx.shop.domain}/products/${p.handle}`,
    ...metafieldResolvers((p: Product) => gid("Product", p.id)),
  },
  ProductVariant: {
    id: (v: Variant) => gid("ProductVariant", v.id),
    legacyResourceId: legacy,
    price: (v: Variant) => money(v.priceCents),
    displayName: (v: Variant, _a: Args, ctx: RequestContext) =>
      `${ctx.shop.products.get(v.productId)?.title ?? ""} - ${v.title}`,
    product: (v: Variant, _a: Args, ctx: RequestContext) => ctx.shop.products.get(v.productId),
    inventoryItem: (v: Variant, _a: Args, ctx: RequestContext) => ctx.shop.inventoryItems.get(v.inventoryItemId),
    inventoryQuantity: (v: Variant, _a: Args, ctx: RequestContext) => totalAvailable(ctx.shop, v.inventoryItemId),
    sellableOnlineQuantity: (v: Variant, _a: Args, ctx: RequestContext) =>
      Math.max(0, totalAvailable(ctx.shop, v.inventoryItemId)),
    availableForSale: (v: Variant, _a: Args, ctx: RequestContext) =>
      v.inventoryPolicy === "CONTINUE" ||
      !ctx.shop.inventoryItems.get(v.inventoryItemId)?.tracked ||
      totalAvailable(ctx.shop, v.inventoryItemId) > 0,
    selectedOptions: (v: Variant) => [{ name: "Title", value: v.title, optionValue: null }],
    taxable: () => true,
    barcode: () => null,
    compareAtPrice: () => null,
    ...metafieldResolvers((v: Variant) => gid("ProductVariant", v.id)),
  },
  InventoryItem: {
    id: (i: InventoryItem) => gid("InventoryItem", i.id),
    legacyResourceId: legacy,
    sku: (i: InventoryItem, _a: Args, ctx: RequestContext) => ctx.shop.variants.get(i.variantId)?.sku ?? null,
    variant: (i: InventoryItem, _a: Args, ctx: RequestContext) => ctx.shop.variants.get(i.variantId),
    variants: (i: InventoryItem, args: Args, ctx: RequestContext) =>
      connection([ctx.shop.variants.get(i.variantId)!], args, ctx, (v) => v.id),
    inventoryLevel: (i: InventoryItem, args: Args, ctx: RequestContext) => {
      const locationId = Number(/(\d+)$/.exec(String(args.locationId))?.[1]);
      return levelOf(ctx.shop, i.id, locationId) ?? null;
    },
    inventoryLevels: (i: InventoryItem, args: Args, ctx: RequestContext) =>
      connection(
        ctx.shop.locations.flatMap((l) => levelOf(ctx.shop, i.id, l.id) ?? []),
        args,
        ctx,
        (lv) => lv.locationId,
      ),
    locationsCount: (i: InventoryItem, _a: Args, ctx: RequestContext) => ({
      count: ctx.shop.locations.filter((l) => levelOf(ctx.shop, i.id, l.id)).length,
      precision: "EXACT",
    }),
    duplicateSkuCount: () => 0,
  },
  InventoryLevel: {
    id: (lv: InventoryLevel) => inventoryLevelGid(lv.locationId, lv.inventoryItemId),
    item: (lv: InventoryLevel, _a: Args, ctx: RequestContext) => ctx.shop.inventoryItems.get(lv.inventoryItemId),
    location: (lv: InventoryLevel, _a: Args, ctx: RequestContext) =>
      ctx.shop.locations.find((l) => l.id === lv.locationId),
    isActive: () => true,
    canDeactivate: () => true,
    quantities: (lv: InventoryLevel, args: Args) => {
      const names = args.names as string[];
      const unknown = names.find((n) => !KNOWN_QUANTITY_NAMES.has(n));
      if (unknown) throw new Error(`Invalid quantity name: ${unknown}`);
      return names.map((name) => inventoryQuantityRecord(lv, name));
    },
    scheduledChanges: (lv: InventoryLevel, args: Args, ctx: RequestContext) => scheduledChangesOf(lv, args, ctx),
  },
  Customer: {
    id: (c: Customer) => gid("Customer", c.id),
    legacyResourceId: legacy,
    displayName: level2("displayName", (c) => `${c.firstName} ${c.lastName}`),
    firstName: level2("firstName", (c) => c.firstName),
    lastName: level2("lastName", (c) => c.lastName),
    email: level2("email", (c) => c.email),
    phone: level2("phone", () => null),
    defaultEmailAddress: level2("defaultEmailAddress", (c) => ({
      emailAddress: c.email,
      marketingState: c.marketingState,
      validFormat: true,
    })),
    state: () => "DISABLED",
    verifiedEmail: () => true,
    taxExempt: () => false,
    ...metafieldResolvers((c: Customer) => gid("Customer", c.id)),
  },
  Order: {
    id: (o: Order) => gid("Order", o.id),
    legacyResourceId: legacy,
    number: (o: Order) => o.number - 1000,
    currencyCode: (o: Order) => o.currency,
    presentmentCurrencyCode: (o: Order) => o.presentmentCurrency,
    // The order's contact e-mail is protected customer data level 2, as the customer's own is.
    email: (o: Order, _a: Args, ctx: RequestContext) => {
      if ((ctx.shop.protectedCustomerData ?? 2) < 2) {
        throw accessDenied("This app is not approved to use the email field.");
      }
      return o.email === "" ? null : o.email;
    },
    customerLocale: (o: Order) => o.customerLocale,
    suggestedRefund: (o: Order, args: Args, ctx: RequestContext) => suggestedRefund(ctx.shop, o, args),
    closed: (o: Order) => o.closedAt !== null,
    confirmed: () => true,
    test: () => false,
    unpaid: () => false,
    fullyPaid: () => true,
    fulfillable: (o: Order) => !o.cancelledAt && o.lineItems.some((l) => l.currentQuantity > l.fulfilledQuantity),
    customer: (o: Order, _a: Args, ctx: RequestContext) => {
      if (o.customerId === null) return null;
      if (ctx.shop.protectedCustomerData === 0) {
        throw accessDenied("This app is not approved to access the Customer object.");
      }
      return ctx.shop.customers.get(o.customerId);
    },
    lineItems: (o: Order, args: Args, ctx: RequestContext) => connection(o.lineItems, args, ctx, (l) => l.id),
    fulfillmentOrders: (o: Order, args: Args, ctx: RequestContext) =>
      connection(
        fulfillmentOrdersOf(ctx.shop, o.id).filter(
          (fo) => args.displayable !== true || fo.status !== "CLOSED" || fo.lineItems.length > 0,
        ),
        args,
        ctx,
        (fo) => fo.id,
      ),
    fulfillments: (o: Order, _a: Args, ctx: RequestContext) =>
      [...ctx.shop.fulfillments.values()].filter((f) => f.orderId === o.id),
    refunds: (o: Order, _a: Args, ctx: RequestContext) =>
      [...ctx.shop.refunds.values()].filter((r) => r.orderId === o.id),
    displayFulfillmentStatus: (o: Order, _a: Args, ctx: RequestContext) => orderDisplayFulfillmentStatus(ctx.shop, o),
    displayFinancialStatus: (o: Order, _a: Args, ctx: RequestContext) => financialStatusOf(ctx.shop, o),
    transactions: (o: Order, args: Args, ctx: RequestContext) =>
      transactionsOf(ctx.shop, o.id).slice(0, typeof args.first === "number" ? args.first : undefined),
    totalReceivedSet: (o: Order, _a: Args, ctx: RequestContext) => orderMoney(o, received(ctx.shop, o.id)),
    totalRefundedSet: (o: Order, _a: Args, ctx: RequestContext) => orderMoney(o, refunded(ctx.shop, o.id)),
    netPaymentSet: (o: Order, _a: Args, ctx: RequestContext) =>
      orderMoney(o, sub(received(ctx.shop, o.id), refunded(ctx.shop, o.id))),
    subtotalLineItemsQuantity: (o: Order) => o.lineItems.reduce((n, l) => n + l.quantity, 0),
    currentSubtotalLineItemsQuantity: (o: Order) => o.lineItems.reduce((n, l) => n + l.currentQuantity, 0),
    totalPriceSet: (o: Order) => orderMoney(o, orderTotal(o)),
    originalTotalPriceSet: (o: Order) => orderMoney(o, orderTotal(o)),
    // What is left to pay for: the original total less what refunds gave back (units and shipping alike).
    currentTotalPriceSet: (o: Order, _a: Args, ctx: RequestContext) =>
      orderMoney(o, sub(orderTotal(o), refundedValue(ctx, o))),
    subtotalPriceSet: (o: Order) =>
      orderMoney(
        o,
        o.lineItems.reduce((n, l) => add(n, sub(lineSubtotal(l), l.money.discount)), ZERO),
      ),
    totalDiscountsSet: (o: Order) => orderMoney(o, orderDiscounts(o)),
    totalTaxSet: (o: Order) => orderMoney(o, orderTaxes(o)),
    totalShippingPriceSet: (o: Order) => orderMoney(o, o.shipping.price),
    totalRefundedShippingSet: (o: Order) => orderMoney(o, o.shipping.refunded.price),
    requiresShipping: (o: Order) => o.lineItems.some((l) => l.requiresShipping),
    ...metafieldResolvers((o: Order) => gid("Order", o.id)),
  },
  LineItem: {
    id: (l: LineItem) => gid("LineItem", l.id),
    name: (l: LineItem) =>
      l.variantTitle && l.variantTitle !== "Default Title" ? `${l.title} - ${l.variantTitle}` : l.title,
    unfulfilledQuantity: (l: LineItem) => Math.max(0, l.currentQuantity - l.fulfilledQuantity),
    refundableQuantity: (l: LineItem) => l.currentQuantity,
    nonFulfillableQuantity: (l: LineItem) => l.quantity - l.currentQuantity,
    variant: (l: LineItem, _a: Args, ctx: RequestContext) =>
      l.variantId === null ? null : (ctx.shop.variants.get(l.variantId) ?? null),
    product: (l: LineItem, _a: Args, ctx: RequestContext) =>
      l.productId === null ? null : (ctx.shop.products.get(l.productId) ?? null),
    originalUnitPriceSet: (l: LineItem, _a: Args, ctx: RequestContext) =>
      orderMoney(ctx.shop.orders.get(l.orderId)!, l.money.unitPrice),
    originalTotalSet: (l: LineItem, _a: Args, ctx: RequestContext) =>
      orderMoney(ctx.shop.orders.get(l.orderId)!, lineSubtotal(l)),
    totalDiscountSet: (l: LineItem, _a: Args, ctx: RequestContext) =>
      orderMoney(ctx.shop.orders.get(l.orderId)!, l.money.discount),
    isGiftCard: () => false,
    restockable: () => true,
    merchantEditable: () => true,
    taxable: () => true,
    customAttributes: () => [],
    discountAllocations: () => [],
  },
  FulfillmentService: {
    id: (f: FulfillmentService) => gid("FulfillmentService", f.id),
    location: (f: FulfillmentService, _a: Args, ctx: RequestContext) =>
      ctx.shop.locations.find((l) => l.fulfillmentService?.id === f.id) ?? null,
  },
  FulfillmentOrder: {
    id: (fo: FulfillmentOrder) => gid("FulfillmentOrder", fo.id),
    order: (fo: FulfillmentOrder, _a: Args, ctx: RequestContext) => ctx.shop.orders.get(fo.orderId),
    orderId: (fo: FulfillmentOrder) => gid("Order", fo.orderId),
    orderName: (fo: FulfillmentOrder, _a: Args, ctx: RequestContext) => ctx.shop.orders.get(fo.orderId)?.name,
    orderProcessedAt: (fo: FulfillmentOrder, _a: Args, ctx: RequestContext) =>
      ctx.shop.orders.get(fo.orderId)?.processedAt,
    assignedLocation: (fo: FulfillmentOrder, _a: Args, ctx: RequestContext) => {
      const location = ctx.shop.locations.find((l) => l.id === fo.locationId)!;
      return {
        name: location.name,
        location,
        address1: location.address1,
        address2: null,
        city: location.city,
        province: "Ontario",
        zip: location.zip,
        phone: null,
        countryCode: location.countryCode,
      };
    },
    lineItems: (fo: FulfillmentOrder, args: Args, ctx: RequestContext) =>
      connection(fo.lineItems, args, ctx, (l) => l.id),
    fulfillmentHolds: (fo: FulfillmentOrder) => fo.holds,
    supportedActions: (fo: FulfillmentOrder, _a: Args, ctx: RequestContext) =>
      supportedActions(ctx.shop, fo).map((action) => ({ action, externalUrl: null })),
    fulfillments: (fo: FulfillmentOrder, args: Args, ctx: RequestContext) =>
      connection(
        [...ctx.shop.fulfillments.values()].filter((f) => f.fulfillmentOrderId === fo.id),
        args,
        ctx,
        (f) => f.id,
      ),
    merchantRequests: (_fo: FulfillmentOrder, args: Args, ctx: RequestContext) => connection([], args, ctx, () => 0),
    fulfillmentOrdersForMerge: (fo: FulfillmentOrder, args: Args, ctx: RequestContext) =>
      connection(
        fulfillmentOrdersOf(ctx.shop, fo.orderId).filter(
          (o) => o.id !== fo.id && o.locationId === fo.locationId && o.status === "OPEN",
        ),
        args,
        ctx,
        (o) => o.id,
      ),
    fulfillAt: () => null,
    fulfillBy: () => null,
    destination: () => null,
    deliveryMethod: () => null,
  },
  FulfillmentOrderLineItem: {
    id: (l: FulfillmentOrderLineItem) => gid("FulfillmentOrderLineItem", l.id),
    lineItem: (l: FulfillmentOrderLineItem, _a: Args, ctx: RequestContext) => lineItemOf(ctx, l),
    variant: (l: FulfillmentOrderLineItem, _a: Args, ctx: RequestContext) => {
      const variantId = lineItemOf(ctx, l)?.variantId;
      return variantId ? (ctx.shop.variants.get(variantId) ?? null) : null;
    },
    inventoryItemId: (l: FulfillmentOrderLineItem, _a: Args, ctx: RequestContext) => {
      const variantId = lineItemOf(ctx, l)?.variantId;
      const variant = variantId ? ctx.shop.variants.get(variantId) : undefined;
      return variant ? gid("InventoryItem", variant.inventoryItemId) : null;
    },
    sku: (l: FulfillmentOrderLineItem, _a: Args, ctx: RequestContext) => lineItemOf(ctx, l)?.sku ?? null,
    productTitle: (l: FulfillmentOrderLineItem, _a: Args, ctx: RequestContext) => lineItemOf(ctx, l)?.title,
    variantTitle: (l: FulfillmentOrderLineItem, _a: Args, ctx: RequestContext) =>
      lineItemOf(ctx, l)?.variantTitle ?? null,
    vendor: (l: FulfillmentOrderLineItem, _a: Args, ctx: RequestContext) => lineItemOf(ctx, l)?.vendor ?? null,
    requiresShipping: (l: FulfillmentOrderLineItem, _a: Args, ctx: RequestContext) =>
      lineItemOf(ctx, l)?.requiresShipping ?? true,
    warnings: () => [],
    financialSummaries: () => [],
  },
  FulfillmentHold: {
    id: (h: FulfillmentHold) => gid("FulfillmentHold", h.id),
    heldByApp: (h: FulfillmentHold, _a: Args, ctx: RequestContext) =>
      h.appId === null ? null : h.appId === ctx.rt.app.id ? ctx.rt.app : { id: h.appId },
    heldByRequestingApp: (h: FulfillmentHold, _a: Args, ctx: RequestContext) => h.appId === ctx.rt.app.id,
    displayReason: (h: FulfillmentHold) => h.reason.charAt(0) + h.reason.slice(1).toLowerCase().replace(/_/g, " "),
  },
  Fulfillment: {
    id: (f: Fulfillment) => gid("Fulfillment", f.id),
    legacyResourceId: legacy,
    name: (f: Fulfillment, _a: Args, ctx: RequestContext) => `${ctx.shop.orders.get(f.orderId)?.name ?? ""}-F${f.id}`,
    order: (f: Fulfillment, _a: Args, ctx: RequestContext) => ctx.shop.orders.get(f.orderId),
    status: () => "SUCCESS",
    displayStatus: () => "FULFILLED",
    requiresShipping: () => true,
    totalQuantity: (f: Fulfillment) => f.lines.reduce((n, l) => n + l.quantity, 0),
    updatedAt: (f: Fulfillment) => f.createdAt,
    trackingInfo: () => [],
    location: (f: Fulfillment, _a: Args, ctx: RequestContext) => {
      const fo = ctx.shop.fulfillmentOrders.get(f.fulfillmentOrderId);
      return ctx.shop.locations.find((l) => l.id === fo?.locationId) ?? null;
    },
  },
  OrderTransaction: {
    id: (t: OrderTransaction) => gid("OrderTransaction", t.id),
    amountSet: (t: OrderTransaction, _a: Args, ctx: RequestContext) =>
      orderMoney(ctx.shop.orders.get(t.orderId)!, amountOf(t)),
    formattedGateway: (t: OrderTransaction) => t.gateway,
    processedAt: (t: OrderTransaction) => t.createdAt,
    test: () => false,
    manuallyCapturable: () => false,
    errorCode: () => null,
    order: (t: OrderTransaction, _a: Args, ctx: RequestContext) => ctx.shop.orders.get(t.orderId),
    parentTransaction: (t: OrderTransaction, _a: Args, ctx: RequestContext) =>
      t.parentId === null ? null : (ctx.shop.transactions.get(t.parentId) ?? null),
  },
  Refund: {
    id: (r: Refund) => gid("Refund", r.id),
    legacyResourceId: legacy,
    order: (r: Refund, _a: Args, ctx: RequestContext) => ctx.shop.orders.get(r.orderId),
    processedAt: (r: Refund) => r.createdAt,
    updatedAt: (r: Refund) => r.createdAt,
    transactions: (r: Refund, args: Args, ctx: RequestContext) =>
      connection(
        r.transactionIds.map((id) => ctx.shop.transactions.get(id)!),
        args,
        ctx,
        (t) => t.id,
      ),
    totalRefundedSet: (r: Refund, _a: Args, ctx: RequestContext) => {
      const order = ctx.shop.orders.get(r.orderId)!;
      if (r.transactionIds.length > 0) {
        return orderMoney(
          order,
          r.transactionIds.reduce((n, id) => add(n, amountOf(ctx.shop.transactions.get(id)!)), ZERO),
        );
      }
      // Line items refunded without transactions: the value of the units (Local Shopify's earlier reading).
      return orderMoney(order, refundValue(r));
    },
    refundLineItems: (r: Refund, args: Args, ctx: RequestContext) => {
      const order = ctx.shop.orders.get(r.orderId)!;
      const items = r.lines.map((l, index) => ({
        id: gid("RefundLineItem", r.id * 100 + index),
        quantity: l.quantity,
        restockType: l.restockType,
        restocked: l.restockType !== "NO_RESTOCK",
        lineItem: order.lineItems.find((li) => li.id === l.lineItemId),
        location: ctx.shop.locations.find((loc) => loc.id === l.locationId) ?? null,
        subtotalSet: orderMoney(order, sub(l.money.subtotal, l.money.discount)),
        totalTaxSet: orderMoney(order, l.money.tax),
      }));
      return connection(items, args, ctx, (i) => i.id);
    },
  },
  Metafield: {
    id: (m: Metafield) => gid("Metafield", m.id),
    legacyResourceId: legacy,
    jsonValue: (m: Metafield) =>
      m.type === "json" || m.type.startsWith("list.")
        ? JSON.parse(m.value)
        : m.type === "number_integer"
          ? Number(m.value)
          : m.type === "boolean"
            ? m.value === "true"
            : m.value,
    ownerType: (m: Metafield) => ownerTypeOf(m.ownerId),
    owner: (m: Metafield, _a: Args, ctx: RequestContext) => ownerOf(ctx.shop, m.ownerId),
    compareDigest: (m: Metafield) => compareDigest(m),
    sizeInBytes: (m: Metafield) => Buffer.byteLength(m.value),
    definition: () => null,
  },
  App: {
    id: (a: { id: number }) => gid("App", a.id),
    installation: (_a: unknown, _args: Args, ctx: RequestContext) => ({
      __typename: "AppInstallation",
      shop: ctx.shop,
    }),
  },
  AppInstallation: {
    id: (i: { shop: Shop }) => gid("AppInstallation", i.shop.installationId),
    app: (_i: unknown, _a: Args, ctx: RequestContext) => ctx.rt.app,
    accessScopes: (i: { shop: Shop }) => i.shop.scopes.map((handle) => ({ handle, description: handle })),
    launchUrl: (i: { shop: Shop }, _a: Args, ctx: RequestContext) =>
      `https://${i.shop.domain}/admin/apps/${ctx.rt.app.handle}`,
    activeSubscriptions: () => [],
    ...metafieldResolvers((i: { shop: Shop }) => gid("AppInstallation", i.shop.installationId)),
  },
  Job: {
    query: () => ({}),
  },
  BulkOperation: {
    id: (b: BulkOperation) => gid("BulkOperation", b.id),
    type: () => "QUERY",
    objectCount: (b: BulkOperation) => String(b.objectCount),
    rootObjectCount: (b: BulkOperation) => String(b.rootObjectCount),
    fileSize: (b: BulkOperation) => (b.fileSize === null ? null : String(b.fileSize)),
    url: (b: BulkOperation, _a: Args, ctx: RequestContext) =>
      b.status === "COMPLETED" ? `${ctx.origin}/_local/bulk/${ctx.shop.id}/${b.id}.jsonl` : null,
    partialDataUrl: () => null,
  },
  InventoryAdjustmentGroup: {
    id: (g: InventoryAdjustmentGroup) => gid("InventoryAdjustmentGroup", g.id),
    app: (_g: unknown, _a: Args, ctx: RequestContext) => ctx.rt.app,
    changes: (g: InventoryAdjustmentGroup, args: Args, ctx: RequestContext) => {
      const names = args.quantityNames as string[] | undefined;
      return g.changes
        .filter((c) => !names || names.includes(c.name))
        .map((c) => ({
          ...c,
          item: ctx.shop.inventoryItems.get(c.inventoryItemId),
          location: ctx.shop.locations.find((l) => l.id === c.locationId),
        }));
    },
  },
  CalculatedOrder: {
    id: (c: CalculatedOrder) => gid("CalculatedOrder", c.id),
    originalOrder: (c: CalculatedOrder, _a: Args, ctx: RequestContext) => ctx.shop.orders.get(c.orderId),
    lineItems: (c: CalculatedOrder, args: Args, ctx: RequestContext) => {
      const order = ctx.shop.orders.get(c.orderId)!;
      return connection(
        order.lineItems.map((l) => calculatedLineItem(c, l)),
        args,
        ctx,
        (l) => l.id,
      );
    },
    addedLineItems: (_c: CalculatedOrder, args: Args, ctx: RequestContext) => connection([], args, ctx, () => 0),
    stagedChanges: (_c: CalculatedOrder, args: Args, ctx: RequestContext) => connection([], args, ctx, () => 0),
    subtotalLineItemsQuantity: (c: CalculatedOrder, _a: Args, ctx: RequestContext) =>
      ctx.shop.orders
        .get(c.orderId)!
        .lineItems.reduce((n, l) => n + (c.quantities.get(l.id)?.quantity ?? l.currentQuantity), 0),
    totalPriceSet: (c: CalculatedOrder, _a: Args, ctx: RequestContext) => {
      const order = ctx.shop.orders.get(c.orderId)!;
      return moneyBag(
        order.lineItems.reduce((n, l) => n + l.priceCents * (c.quantities.get(l.id)?.quantity ?? l.currentQuantity), 0),
        order.currency,
      );
    },
    shippingLines: () => [],
    taxLines: () => [],
  },
};

function lineItemOf(ctx: RequestContext, line: FulfillmentOrderLineItem): LineItem | undefined {
  const fo = ctx.shop.fulfillmentOrders.get(line.fulfillmentOrderId);
  return fo ? ctx.shop.orders.get(fo.orderId)?.lineItems.find((l) => l.id === line.lineItemId) : undefined;
}

/** The edit's view of a line: its staged quantity, editable down to what is already fulfilled. */
export function calculatedLineItem(calculated: CalculatedOrder, line: LineItem) {
  const staged = calculated.quantities.get(line.id);
  const money = (cents: number) => moneyBag(cents, "USD");
  return {
    id: gid("CalculatedLineItem", line.id),
    title: line.title,
    sku: line.sku,
    variantTitle: line.variantTitle,
    variantId: line.variantId,
    quantity: staged?.quantity ?? line.currentQuantity,
    editableQuantity: (staged?.quantity ?? line.currentQuantity) - line.fulfilledQuantity,
    editableQuantityBeforeChanges: line.currentQuantity - line.fulfilledQuantity,
    restockable: true,
    restocking: staged?.restock ?? false,
    hasStagedLineItemDiscount: false,
    originalUnitPriceSet: money(line.priceCents),
    discountedUnitPriceSet: money(line.priceCents),
    editableSubtotalSet: money(line.priceCents * ((staged?.quantity ?? line.currentQuantity) - line.fulfilledQuantity)),
    uneditableSubtotalSet: money(line.priceCents * line.fulfilledQuantity),
    calculatedDiscountAllocations: [],
    customAttributes: [],
    stagedChanges: [],
  };
}

typeResolvers.CalculatedLineItem = {
  variant: (l: { variantId: number | null }, _a: Args, ctx: RequestContext) =>
    l.variantId === null ? null : (ctx.shop.variants.get(l.variantId) ?? null),
};
