import { productPayload } from "../webhooks/payloads";
import { activateLevel, changeQuantity } from "./inventory";
import type { Runtime } from "./runtime";
import type { Customer, Location, Product, Shop, Variant } from "./state";

export interface ShopInput {
  domain: string;
  name?: string;
  email?: string;
  scopes?: string[];
  /** Names of the locations to create; the first is the default. */
  locations?: string[];
}

export function createShop(rt: Runtime, input: ShopInput): Shop {
  if (rt.shopsByDomain.has(input.domain)) {
    throw new InputError("domain", `shop ${input.domain} already exists`);
  }
  const now = rt.clock.iso();
  const shop: Shop = {
    __typename: "Shop",
    id: rt.id(),
    domain: input.domain,
    name: input.name ?? input.domain.replace(/\.myshopify\.com$/, ""),
    email: input.email ?? `owner@${input.domain}`,
    currency: "USD",
    accessToken: rt.token("shpat_"),
    scopes: input.scopes ?? [],
    installationId: rt.id(),
    createdAt: now,
    nextOrderNumber: 1001,
    locations: [],
    products: new Map(),
    variants: new Map(),
    inventoryItems: new Map(),
    levels: new Map(),
    customers: new Map(),
    orders: new Map(),
    fulfillmentOrders: new Map(),
    fulfillmentOrdersByOrder: new Map(),
    fulfillments: new Map(),
    refunds: new Map(),
    transactions: new Map(),
    metafields: new Map(),
    jobs: new Map(),
    bulkOperations: new Map(),
    adjustmentGroups: new Map(),
    inventoryTransfers: new Map(),
    inventoryShipments: new Map(),
    calculatedOrders: new Map(),
    idempotency: new Map(),
    flowTriggers: [],
    flowWorkflows: [],
    lastFlowCallbackMs: 0,
  };
  for (const name of input.locations ?? ["Shop location"]) addLocation(rt, shop, name);
  rt.shopsByDomain.set(shop.domain, shop);
  rt.shopsByToken.set(shop.accessToken, shop);
  return shop;
}

/** A location; with `fulfillmentService`, the one Shopify creates for a fulfillment service app it names. */
export function addLocation(
  rt: Runtime,
  shop: Shop,
  name: string,
  fulfillmentService?: { serviceName?: string; handle?: string },
): Location {
  const now = rt.clock.iso();
  const location: Location = {
    __typename: "Location",
    id: rt.id(),
    name,
    isActive: true,
    fulfillsOnlineOrders: true,
    address1: "150 Elgin St",
    city: "Ottawa",
    zip: "K2P 1L4",
    countryCode: "CA",
    fulfillmentService: fulfillmentService
      ? {
          __typename: "FulfillmentService",
          id: rt.id(),
          serviceName: fulfillmentService.serviceName ?? name,
          handle: fulfillmentService.handle ?? handleize(fulfillmentService.serviceName ?? name),
        }
      : null,
    createdAt: now,
    updatedAt: now,
  };
  shop.locations.push(location);
  return location;
}

export interface VariantInput {
  title?: string;
  sku?: string;
  price?: string;
  inventoryPolicy?: "DENY" | "CONTINUE";
  tracked?: boolean;
  /** Available quantity per location id (or per location name). */
  available?: Record<string, number>;
}

export interface ProductInput {
  title: string;
  handle?: string;
  vendor?: string;
  productType?: string;
  tags?: string[];
  variants: VariantInput[];
}

export function createProduct(rt: Runtime, shop: Shop, input: ProductInput): Product {
  const now = rt.clock.iso();
  const product: Product = {
    __typename: "Product",
    id: rt.id(),
    title: input.title,
    handle: input.handle ?? handleize(input.title),
    vendor: input.vendor ?? shop.name,
    productType: input.productType ?? "",
    status: "ACTIVE",
    tags: input.tags ?? [],
    variantIds: [],
    createdAt: now,
    updatedAt: now,
  };
  shop.products.set(product.id, product);
  input.variants.forEach((variantInput, index) => {
    const variant = createVariant(rt, shop, product, variantInput, index + 1);
    product.variantIds.push(variant.id);
  });
  rt.emit(shop, "products/create", () => productPayload(shop, product));
  return product;
}

function createVariant(rt: Runtime, shop: Shop, product: Product, input: VariantInput, position: number): Variant {
  const now = rt.clock.iso();
  const variant: Variant = {
    __typename: "ProductVariant",
    id: rt.id(),
    productId: product.id,
    title: input.title ?? "Default Title",
    sku: input.sku ?? null,
    priceCents: parseCents(input.price ?? "10.00", "price"),
    inventoryPolicy: input.inventoryPolicy ?? "DENY",
    inventoryItemId: rt.id(),
    position,
    createdAt: now,
    updatedAt: now,
  };
  shop.variants.set(variant.id, variant);
  shop.inventoryItems.set(variant.inventoryItemId, {
    __typename: "InventoryItem",
    id: variant.inventoryItemId,
    variantId: variant.id,
    tracked: input.tracked ?? true,
    requiresShipping: true,
    createdAt: now,
    updatedAt: now,
  });
  for (const [locationRef, quantity] of Object.entries(input.available ?? {})) {
    const location = findLocation(shop, locationRef);
    const level = activateLevel(rt, shop, variant.inventoryItemId, location.id);
    changeQuantity(rt, shop, level, "available", quantity);
  }
  return variant;
}

export interface CustomerInput {
  firstName?: string;
  lastName?: string;
  email: string;
  /** The customer's tags (a new customer's; an existing one keeps its own). */
  tags?: string[];
  marketingState?: Customer["marketingState"];
}

export function upsertCustomer(rt: Runtime, shop: Shop, input: CustomerInput): Customer {
  for (const customer of shop.customers.values()) {
    if (customer.email === input.email) return customer;
  }
  const now = rt.clock.iso();
  const customer: Customer = {
    __typename: "Customer",
    id: rt.id(),
    firstName: input.firstName ?? "Jane",
    lastName: input.lastName ?? "Doe",
    email: input.email,
    tags: input.tags ?? [],
    marketingState: input.marketingState ?? "NOT_SUBSCRIBED",
    createdAt: now,
    updatedAt: now,
  };
  shop.customers.set(customer.id, customer);
  return customer;
}

/** A location by numeric id, gid or name. */
export function findLocation(shop: Shop, ref: string | number): Location {
  const location = shop.locations.find(
    (l) => String(l.id) === String(ref) || `gid://shopify/Location/${l.id}` === ref || l.name === ref,
  );
  if (!location) throw new InputError("locationId", `no location ${String(ref)} in ${shop.domain}`);
  return location;
}

export function parseCents(amount: string, field: string): number {
  if (!/^\d+(\.\d{1,2})?$/.test(amount)) throw new InputError(field, `"${amount}" is not a money amount like "19.99"`);
  return Math.round(Number(amount) * 100);
}

export function handleize(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** Bad input to the control API: names the field and the problem (answered as HTTP 422). */
export class InputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
