import { GraphQLError } from "graphql";
import { parseGid } from "../ids";
import { levelOf } from "../store/inventory";
import type { Order, Product, Shop, Variant } from "../store/state";
import { connection } from "./connection";
import { incomingQueries } from "./incoming";
import type { Args, RequestContext } from "./context";

/** The record behind any gid the local shop knows, as `node(id:)` returns it. */
export function nodeById(shop: Shop, id: unknown): object | null {
  const parsed = parseGid(id);
  if (!parsed) return null;
  switch (parsed.type) {
    case "Order":
      return shop.orders.get(parsed.id) ?? null;
    case "Product":
      return shop.products.get(parsed.id) ?? null;
    case "ProductVariant":
      return shop.variants.get(parsed.id) ?? null;
    case "InventoryItem":
      return shop.inventoryItems.get(parsed.id) ?? null;
    case "InventoryLevel":
      return parsed.inventoryItemId === undefined ? null : (levelOf(shop, parsed.inventoryItemId, parsed.id) ?? null);
    case "Location":
      return shop.locations.find((l) => l.id === parsed.id) ?? null;
    case "Customer":
      return shop.customers.get(parsed.id) ?? null;
    case "FulfillmentOrder":
      return shop.fulfillmentOrders.get(parsed.id) ?? null;
    case "Fulfillment":
      return shop.fulfillments.get(parsed.id) ?? null;
    case "Refund":
      return shop.refunds.get(parsed.id) ?? null;
    case "Metafield":
      return shop.metafields.get(parsed.id) ?? null;
    case "BulkOperation":
      return shop.bulkOperations.get(parsed.id) ?? null;
    case "CalculatedOrder":
      return shop.calculatedOrders.get(parsed.id) ?? null;
    case "Shop":
      return parsed.id === shop.id ? shop : null;
    case "InventoryTransfer":
      return shop.inventoryTransfers.get(parsed.id) ?? null;
    case "InventoryShipment":
      return shop.inventoryShipments.get(parsed.id) ?? null;
    case "FulfillmentHold":
      for (const fo of shop.fulfillmentOrders.values()) {
        const hold = fo.holds.find((h) => h.id === parsed.id);
        if (hold) return hold;
      }
      return null;
    default:
      return null;
  }
}

function typed<T>(shop: Shop, id: unknown, typename: string): T | null {
  const node = nodeById(shop, id) as { __typename?: string } | null;
  return node && node.__typename === typename ? (node as T) : null;
}

interface Term {
  field: string;
  op: ":" | ">" | ">=" | "<" | "<=";
  value: string;
}

/** A subset of Shopify's search syntax: `field:value`, `field:>value` … joined by spaces (AND). */
function parseSearch(query: unknown): Term[] {
  if (typeof query !== "string" || query.trim() === "") return [];
  const terms: Term[] = [];
  for (const token of query.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? []) {
    if (token.toUpperCase() === "AND") continue;
    const match = /^(\w+):(>=|<=|>|<)?(.*)$/.exec(token);
    if (!match) throw new GraphQLError(`Unsupported search term in the local Shopify: ${token}`);
    terms.push({ field: match[1]!, op: (match[2] as Term["op"]) ?? ":", value: match[3]!.replace(/^["']|["']$/g, "") });
  }
  return terms;
}

function compare(actual: string | number, term: Term): boolean {
  const a = typeof actual === "number" ? actual : Date.parse(actual);
  const b = typeof actual === "number" ? Number(term.value) : Date.parse(term.value);
  switch (term.op) {
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    default:
      return a === b;
  }
}

function matchesOrder(order: Order, terms: Term[]): boolean {
  return terms.every((term) => {
    switch (term.field) {
      case "updated_at":
        return compare(order.updatedAt, term);
      case "created_at":
        return compare(order.createdAt, term);
      case "tag":
        return order.tags.includes(term.value);
      case "name":
        return order.name === term.value || order.name === `#${term.value}`;
      case "id":
        return compare(order.id, term);
      case "status":
        return term.value === "cancelled"
          ? order.cancelledAt !== null
          : term.value === "closed"
            ? order.closedAt !== null
            : order.closedAt === null;
      default:
        throw new GraphQLError(`Unsupported orders search field in the local Shopify: ${term.field}`);
    }
  });
}

function matchesProduct(product: Product, terms: Term[]): boolean {
  return terms.every((term) => {
    switch (term.field) {
      case "updated_at":
        return compare(product.updatedAt, term);
      case "tag":
        return product.tags.includes(term.value);
      case "title":
        return product.title === term.value;
      case "status":
        return product.status === term.value.toUpperCase();
      default:
        throw new GraphQLError(`Unsupported products search field in the local Shopify: ${term.field}`);
    }
  });
}

/**
 * `productVariants(query:)`: `sku:`, `title:`, `product_id:` and free text (the product's title or the SKU,
 * case-insensitive, as Shopify's default field), joined by AND or OR (OR binds looser, as in Shopify's syntax).
 */
function matchesVariant(shop: Shop, variant: Variant, query: unknown): boolean {
  if (typeof query !== "string" || query.trim() === "") return true;
  return query.split(/\s+OR\s+/).some((part) =>
    parseFreeText(part).every((term) => {
      const product = shop.products.get(variant.productId);
      switch (term.field) {
        case "sku":
          return variant.sku === term.value;
        case "title":
          return variant.title === term.value;
        case "product_id":
          return String(variant.productId) === term.value;
        case "default": {
          const text = term.value.toLowerCase();
          return [product?.title, variant.sku, variant.title].some((v) => v?.toLowerCase().includes(text));
        }
        default:
          throw new GraphQLError(`Unsupported productVariants search field in the local Shopify: ${term.field}`);
      }
    }),
  );
}

function parseFreeText(query: string): Term[] {
  const terms: Term[] = [];
  for (const token of query.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? []) {
    if (token.toUpperCase() === "AND") continue;
    if (!/^\w+:/.test(token)) terms.push({ field: "default", op: ":", value: token.replace(/^["']|["']$/g, "") });
    else terms.push(...parseSearch(token));
  }
  return terms;
}

export const queryResolvers = {
  shop: (_s: unknown, _a: Args, ctx: RequestContext) => ctx.shop,
  node: (_s: unknown, args: Args, ctx: RequestContext) => nodeById(ctx.shop, args.id),
  nodes: (_s: unknown, args: Args, ctx: RequestContext) => (args.ids as string[]).map((id) => nodeById(ctx.shop, id)),
  order: (_s: unknown, args: Args, ctx: RequestContext) => typed(ctx.shop, args.id, "Order"),
  orders: (_s: unknown, args: Args, ctx: RequestContext) => {
    const terms = parseSearch(args.query);
    const orders = [...ctx.shop.orders.values()].filter((o) => matchesOrder(o, terms));
    if (args.sortKey === "UPDATED_AT") orders.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.id - b.id);
    if (args.sortKey === "CREATED_AT") orders.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id);
    return connection(orders, args, ctx, (o) => o.id);
  },
  product: (_s: unknown, args: Args, ctx: RequestContext) => typed(ctx.shop, args.id, "Product"),
  products: (_s: unknown, args: Args, ctx: RequestContext) => {
    const terms = parseSearch(args.query);
    return connection(
      [...ctx.shop.products.values()].filter((p) => matchesProduct(p, terms)),
      args,
      ctx,
      (p) => p.id,
    );
  },
  productVariant: (_s: unknown, args: Args, ctx: RequestContext) => typed(ctx.shop, args.id, "ProductVariant"),
  productVariants: (_s: unknown, args: Args, ctx: RequestContext) =>
    connection(
      [...ctx.shop.variants.values()].filter((v) => matchesVariant(ctx.shop, v, args.query)),
      args,
      ctx,
      (v) => v.id,
    ),
  inventoryItem: (_s: unknown, args: Args, ctx: RequestContext) => typed(ctx.shop, args.id, "InventoryItem"),
  inventoryItems: (_s: unknown, args: Args, ctx: RequestContext) =>
    connection([...ctx.shop.inventoryItems.values()], args, ctx, (i) => i.id),
  inventoryLevel: (_s: unknown, args: Args, ctx: RequestContext) => typed(ctx.shop, args.id, "InventoryLevel"),
  location: (_s: unknown, args: Args, ctx: RequestContext) =>
    args.id === undefined || args.id === null ? (ctx.shop.locations[0] ?? null) : typed(ctx.shop, args.id, "Location"),
  locations: (_s: unknown, args: Args, ctx: RequestContext) =>
    connection(
      ctx.shop.locations.filter((l) => l.isActive || args.includeInactive === true),
      args,
      ctx,
      (l) => l.id,
    ),
  customer: (_s: unknown, args: Args, ctx: RequestContext) => typed(ctx.shop, args.id, "Customer"),
  fulfillmentOrder: (_s: unknown, args: Args, ctx: RequestContext) => typed(ctx.shop, args.id, "FulfillmentOrder"),
  fulfillmentOrders: (_s: unknown, args: Args, ctx: RequestContext) =>
    connection(
      [...ctx.shop.fulfillmentOrders.values()].filter(
        (fo) => args.includeClosed === true || (fo.status !== "CLOSED" && fo.status !== "CANCELLED"),
      ),
      args,
      ctx,
      (fo) => fo.id,
    ),
  job: (_s: unknown, args: Args, ctx: RequestContext) => ctx.shop.jobs.get(String(args.id)) ?? null,
  bulkOperation: (_s: unknown, args: Args, ctx: RequestContext) => typed(ctx.shop, args.id, "BulkOperation"),
  currentBulkOperation: (_s: unknown, _a: Args, ctx: RequestContext) => {
    const all = [...ctx.shop.bulkOperations.values()];
    return all[all.length - 1] ?? null;
  },
  currentAppInstallation: (_s: unknown, _a: Args, ctx: RequestContext) => ({
    __typename: "AppInstallation",
    shop: ctx.shop,
  }),
  app: (_s: unknown, _a: Args, ctx: RequestContext) => ctx.rt.app,
  ...incomingQueries,
};
