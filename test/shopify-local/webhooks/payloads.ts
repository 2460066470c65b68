/**
 * REST-shaped webhook payloads, key for key as Shopify's published samples (test/fixtures/webhooks):
 * snake_case keys, lower-case enums, money as strings, numeric ids next to `admin_graphql_api_id` gids.
 * payloads.test.ts compares every builder here with its sample.
 */
import { gid, inventoryLevelGid } from "../ids";
import { CHECKOUT_GATEWAY, financialStatusOf } from "../store/payments";
import { restTime, zoneAt } from "../store/shop-time";
import type {
  BulkOperation,
  FulfillmentHold,
  FulfillmentOrder,
  InventoryLevel,
  LineItem,
  Order,
  OrderTransaction,
  Product,
  Refund,
  Shop,
} from "../store/state";

export function money(cents: number): string {
  return (cents / 100).toFixed(2);
}

function moneySet(cents: number, currency: string) {
  const amount = { amount: money(cents), currency_code: currency };
  return { shop_money: amount, presentment_money: { ...amount } };
}

export function inventoryLevelPayload(level: InventoryLevel) {
  return {
    inventory_item_id: level.inventoryItemId,
    location_id: level.locationId,
    available: level.quantities.available,
    updated_at: restTime(level.updatedAt),
    admin_graphql_api_id: inventoryLevelGid(level.locationId, level.inventoryItemId),
  };
}

export function fulfillmentOrderStatusPayload(fo: FulfillmentOrder) {
  return { id: gid("FulfillmentOrder", fo.id), status: fo.status.toLowerCase() };
}

export function holdPayload(hold: FulfillmentHold, requestingAppId: number) {
  return {
    id: gid("FulfillmentHold", hold.id),
    reason: hold.reason.toLowerCase(),
    reason_notes: hold.reasonNotes,
    held_by_requesting_app: hold.appId === requestingAppId,
    handle: hold.handle,
    held_by_app: hold.appId === null ? null : { id: gid("App", hold.appId) },
  };
}

function address(shop: Shop, name: { first: string; last: string }) {
  return {
    first_name: name.first,
    address1: "150 Elgin St",
    phone: null,
    city: "Ottawa",
    zip: "K2P 1L4",
    province: "Ontario",
    country: "Canada",
    last_name: name.last,
    address2: null,
    company: null,
    latitude: null,
    longitude: null,
    name: `${name.first} ${name.last}`,
    country_code: "CA",
    province_code: "ON",
  };
}

function lineItemPayload(shop: Shop, order: Order, line: LineItem) {
  const variant = line.variantId === null ? undefined : shop.variants.get(line.variantId);
  const tracked = variant ? shop.inventoryItems.get(variant.inventoryItemId)?.tracked : false;
  const unfulfilled = line.currentQuantity - line.fulfilledQuantity;
  return {
    id: line.id,
    admin_graphql_api_id: gid("LineItem", line.id),
    attributed_staffs: [],
    current_quantity: line.currentQuantity,
    fulfillable_quantity: order.cancelledAt ? 0 : Math.max(unfulfilled, 0),
    fulfillment_service: "manual",
    fulfillment_status: line.fulfilledQuantity === 0 ? null : unfulfilled > 0 ? "partial" : "fulfilled",
    gift_card: false,
    grams: 0,
    name:
      line.variantTitle && line.variantTitle !== "Default Title" ? `${line.title} - ${line.variantTitle}` : line.title,
    price: money(line.priceCents),
    price_set: moneySet(line.priceCents, order.currency),
    product_exists: line.productId !== null && shop.products.has(line.productId),
    product_id: line.productId,
    properties: [],
    quantity: line.quantity,
    requires_shipping: line.requiresShipping,
    sales_line_item_group_id: null,
    sku: line.sku,
    taxable: true,
    title: line.title,
    total_discount: "0.00",
    total_discount_set: moneySet(0, order.currency),
    variant_id: line.variantId,
    variant_inventory_management: tracked ? "shopify" : null,
    variant_title: line.variantTitle,
    vendor: line.vendor,
    tax_lines: [],
    duties: [],
    discount_allocations: [],
  };
}

function transactionPayload(order: Order, t: OrderTransaction) {
  return {
    id: t.id,
    admin_graphql_api_id: gid("OrderTransaction", t.id),
    amount: money(t.amountCents),
    authorization: null,
    created_at: restTime(t.createdAt),
    currency: order.currency,
    device_id: null,
    error_code: null,
    gateway: t.gateway,
    kind: t.kind.toLowerCase(),
    location_id: null,
    manual_payment_gateway: t.gateway === "manual",
    message: null,
    order_id: order.id,
    parent_id: t.parentId,
    payment_id: `#${order.number}.${t.id}`,
    processed_at: restTime(t.createdAt),
    receipt: {},
    source_name: "web",
    status: t.status.toLowerCase(),
    test: false,
    total_unsettled_set: moneySet(0, order.currency),
    user_id: null,
  };
}

/** An order's refund as the REST Refund resource (the `refunds` of order payloads). */
function refundPayload(shop: Shop, order: Order, refund: Refund) {
  return {
    id: refund.id,
    admin_graphql_api_id: gid("Refund", refund.id),
    created_at: restTime(refund.createdAt),
    note: refund.note,
    order_id: order.id,
    processed_at: restTime(refund.createdAt),
    restock: refund.lines.some((l) => l.restockType !== "NO_RESTOCK"),
    total_duties_set: moneySet(0, order.currency),
    user_id: null,
    order_adjustments: [],
    transactions: refund.transactionIds.map((id) => transactionPayload(order, shop.transactions.get(id)!)),
    refund_line_items: refund.lines.map((l, index) => {
      const line = order.lineItems.find((li) => li.id === l.lineItemId)!;
      return {
        id: refund.id * 100 + index,
        line_item_id: l.lineItemId,
        location_id: l.locationId,
        quantity: l.quantity,
        restock_type: l.restockType.toLowerCase(),
        subtotal: money(line.priceCents * l.quantity),
        subtotal_set: moneySet(line.priceCents * l.quantity, order.currency),
        total_tax: "0.00",
        total_tax_set: moneySet(0, order.currency),
        line_item: lineItemPayload(shop, order, line),
      };
    }),
    duties: [],
    additional_fees: [],
    refund_shipping_lines: [],
  };
}

function fulfillmentStatus(order: Order): string | null {
  const shipped = order.lineItems.reduce((n, l) => n + l.fulfilledQuantity, 0);
  if (shipped === 0) return null;
  return order.lineItems.every((l) => l.fulfilledQuantity >= l.currentQuantity) ? "fulfilled" : "partial";
}

/** `orders/create`, `orders/updated`, `orders/cancelled`, `orders/fulfilled`, `orders/partially_fulfilled`. */
export function orderPayload(shop: Shop, order: Order) {
  const c = order.currency;
  const original = order.lineItems.reduce((n, l) => n + l.priceCents * l.quantity, 0);
  const current = order.lineItems.reduce((n, l) => n + l.priceCents * l.currentQuantity, 0);
  const customer = order.customerId === null ? undefined : shop.customers.get(order.customerId);
  const name = { first: customer?.firstName ?? "", last: customer?.lastName ?? "" };
  return {
    id: order.id,
    admin_graphql_api_id: gid("Order", order.id),
    app_id: null,
    browser_ip: null,
    buyer_accepts_marketing: false,
    cancel_reason: order.cancelReason?.toLowerCase() ?? null,
    cancelled_at: restTime(order.cancelledAt),
    cart_token: null,
    checkout_token: null,
    client_details: null,
    closed_at: restTime(order.closedAt),
    confirmation_number: order.token.slice(0, 9).toUpperCase(),
    confirmed: true,
    contact_email: order.email,
    created_at: restTime(order.createdAt),
    currency: c,
    current_shipping_price_set: moneySet(0, c),
    current_subtotal_price: money(current),
    current_subtotal_price_set: moneySet(current, c),
    current_total_additional_fees_set: null,
    current_total_discounts: "0.00",
    current_total_discounts_set: moneySet(0, c),
    current_total_duties_set: null,
    current_total_price: money(current),
    current_total_price_set: moneySet(current, c),
    current_total_tax: "0.00",
    current_total_tax_set: moneySet(0, c),
    customer_locale: "en",
    device_id: null,
    discount_codes: [],
    duties_included: false,
    email: order.email,
    estimated_taxes: false,
    financial_status: financialStatusOf(shop, order).toLowerCase(),
    fulfillment_status: fulfillmentStatus(order),
    landing_site: null,
    landing_site_ref: null,
    location_id: null,
    merchant_business_entity_id: `MTU${shop.id}`,
    merchant_of_record_app_id: null,
    name: order.name,
    note: order.note,
    note_attributes: [],
    number: order.number - 1000,
    order_number: order.number,
    order_status_url: `https://${shop.domain}/${shop.id}/orders/${order.token}/authenticate?key=${order.token}`,
    original_total_additional_fees_set: null,
    original_total_duties_set: null,
    payment_gateway_names: [CHECKOUT_GATEWAY],
    phone: null,
    po_number: null,
    presentment_currency: c,
    processed_at: restTime(order.processedAt),
    reference: null,
    referring_site: null,
    source_identifier: null,
    source_name: "web",
    source_url: null,
    subtotal_price: money(original),
    subtotal_price_set: moneySet(original, c),
    tags: order.tags.join(", "),
    tax_exempt: false,
    tax_lines: [],
    taxes_included: false,
    test: false,
    token: order.token,
    total_cash_rounding_payment_adjustment_set: moneySet(0, c),
    total_cash_rounding_refund_adjustment_set: moneySet(0, c),
    total_discounts: "0.00",
    total_discounts_set: moneySet(0, c),
    total_line_items_price: money(original),
    total_line_items_price_set: moneySet(original, c),
    total_outstanding: "0.00",
    total_price: money(original),
    total_price_set: moneySet(original, c),
    total_shipping_price_set: moneySet(0, c),
    total_tax: "0.00",
    total_tax_set: moneySet(0, c),
    total_tip_received: "0.00",
    total_weight: 0,
    updated_at: restTime(order.updatedAt),
    user_id: null,
    billing_address: customer ? address(shop, name) : null,
    customer: customer
      ? {
          id: customer.id,
          created_at: restTime(customer.createdAt),
          updated_at: restTime(customer.updatedAt),
          first_name: customer.firstName,
          last_name: customer.lastName,
          state: "disabled",
          note: null,
          verified_email: true,
          multipass_identifier: null,
          tax_exempt: false,
          email: customer.email,
          phone: null,
          currency: c,
          tax_exemptions: [],
          admin_graphql_api_id: gid("Customer", customer.id),
          default_address: {
            id: customer.id + 1,
            customer_id: customer.id,
            ...pick(address(shop, name), [
              "first_name",
              "last_name",
              "company",
              "address1",
              "address2",
              "city",
              "province",
              "country",
              "zip",
              "phone",
              "name",
              "province_code",
              "country_code",
            ]),
            country_name: "Canada",
            default: true,
          },
        }
      : null,
    discount_applications: [],
    fulfillments: [],
    line_items: order.lineItems.map((line) => lineItemPayload(shop, order, line)),
    payment_terms: null,
    refunds: [...shop.refunds.values()].filter((r) => r.orderId === order.id).map((r) => refundPayload(shop, order, r)),
    shipping_address: customer ? address(shop, name) : null,
    shipping_lines: [],
    returns: [],
    line_item_groups: [],
  };
}

function pick<T extends Record<string, unknown>, K extends keyof T>(source: T, keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, source[k]])) as Pick<T, K>;
}

export function orderEditPayload(
  editId: number,
  order: Order,
  committedAt: string,
  additions: { id: number; delta: number }[],
  removals: { id: number; delta: number }[],
) {
  return {
    order_edit: {
      id: editId,
      app_id: null,
      created_at: restTime(committedAt),
      committed_at: restTime(committedAt),
      notify_customer: false,
      order_id: order.id,
      staff_note: "",
      user_id: null,
      line_items: { additions, removals },
      discounts: { line_item: { additions: [], removals: [] } },
      shipping_lines: { additions: [], removals: [] },
    },
  };
}

/** `products/create` and `products/update`. */
export function productPayload(shop: Shop, product: Product) {
  const variants = product.variantIds.map((id) => shop.variants.get(id)!).filter(Boolean);
  return {
    admin_graphql_api_id: gid("Product", product.id),
    body_html: "",
    created_at: restTime(product.createdAt),
    handle: product.handle,
    id: product.id,
    product_type: product.productType,
    published_at: restTime(product.createdAt),
    template_suffix: null,
    title: product.title,
    updated_at: restTime(product.updatedAt),
    vendor: product.vendor,
    status: product.status.toLowerCase(),
    published_scope: "web",
    tags: product.tags.join(", "),
    variants: variants.map((v) => {
      const quantity = [...shop.levels.values()]
        .filter((l) => l.inventoryItemId === v.inventoryItemId)
        .reduce((n, l) => n + l.quantities.available, 0);
      return {
        admin_graphql_api_id: gid("ProductVariant", v.id),
        barcode: null,
        compare_at_price: null,
        created_at: restTime(v.createdAt),
        id: v.id,
        inventory_policy: v.inventoryPolicy.toLowerCase(),
        position: v.position,
        price: money(v.priceCents),
        product_id: product.id,
        sku: v.sku,
        taxable: true,
        title: v.title,
        updated_at: restTime(v.updatedAt),
        option1: v.title,
        option2: null,
        option3: null,
        image_id: null,
        inventory_item_id: v.inventoryItemId,
        inventory_quantity: quantity,
        old_inventory_quantity: quantity,
      };
    }),
    options: [],
    images: [],
    image: null,
    media: [],
    variant_gids: variants.map((v) => ({ admin_graphql_api_id: gid("ProductVariant", v.id), updated_at: v.updatedAt })),
    has_variants_that_requires_components: false,
    category: null,
  };
}

/** `app/uninstalled` carries the shop resource. */
export function shopPayload(shop: Shop) {
  const primary = shop.locations[0];
  return {
    id: shop.id,
    name: shop.name,
    email: shop.email,
    domain: shop.domain,
    province: "Ontario",
    country: "CA",
    address1: "150 Elgin St",
    zip: "K2P 1L4",
    city: "Ottawa",
    source: null,
    phone: "",
    latitude: null,
    longitude: null,
    primary_locale: "en",
    address2: null,
    created_at: restTime(shop.createdAt),
    updated_at: restTime(shop.createdAt),
    country_code: "CA",
    country_name: "Canada",
    currency: shop.currency,
    customer_email: shop.email,
    timezone: zoneAt(Date.parse(shop.createdAt)).label,
    iana_timezone: zoneAt(Date.parse(shop.createdAt)).ianaTimezone,
    shop_owner: "Local Owner",
    money_format: "${{amount}}",
    money_with_currency_format: "${{amount}} USD",
    weight_unit: "kg",
    province_code: "ON",
    taxes_included: false,
    auto_configure_tax_inclusivity: null,
    tax_shipping: null,
    county_taxes: true,
    plan_display_name: "Basic",
    plan_name: "basic",
    has_discounts: false,
    has_gift_cards: false,
    myshopify_domain: shop.domain,
    google_apps_domain: null,
    google_apps_login_enabled: null,
    money_in_emails_format: "${{amount}}",
    money_with_currency_in_emails_format: "${{amount}} USD",
    eligible_for_payments: true,
    requires_extra_payments_agreement: false,
    password_enabled: false,
    has_storefront: true,
    finances: true,
    primary_location_id: primary?.id ?? null,
    checkout_api_supported: true,
    multi_location_enabled: true,
    setup_required: false,
    pre_launch_enabled: false,
    enabled_presentment_currencies: [shop.currency],
    marketing_sms_consent_enabled_at_checkout: false,
    transactional_sms_disabled: false,
  };
}

export function scopesUpdatePayload(shop: Shop, previous: string[], updatedAt: string) {
  return {
    id: shop.installationId,
    shop_id: gid("Shop", shop.id),
    previous,
    current: shop.scopes,
    updated_at: updatedAt,
  };
}

/** `bulk_operations/finish`: tells the app to fetch the result through `bulkOperation(id:)`. */
export function bulkOperationPayload(operation: BulkOperation) {
  return {
    admin_graphql_api_id: gid("BulkOperation", operation.id),
    completed_at: restTime(operation.completedAt),
    created_at: restTime(operation.createdAt),
    error_code: operation.errorCode?.toLowerCase() ?? null,
    status: operation.status.toLowerCase(),
    type: "query",
  };
}
