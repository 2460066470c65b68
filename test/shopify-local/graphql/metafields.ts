import { createHash } from "node:crypto";
import { parseGid } from "../ids";
import type { Metafield, Shop } from "../store/state";
import { connection } from "./connection";
import type { RequestContext } from "./context";

/**
 * App-reserved namespaces: `$app` and `$app:suffix` are stored as `app--{appId}` and
 * `app--{appId}--suffix`, and read back under that resolved name, as Shopify does. An omitted
 * namespace in `metafieldsSet` means `$app`.
 */
export function resolveNamespace(namespace: string | null | undefined, appId: number): string {
  if (namespace === null || namespace === undefined || namespace === "$app") return `app--${appId}`;
  if (namespace.startsWith("$app:")) return `app--${appId}--${namespace.slice("$app:".length)}`;
  return namespace;
}

const OWNER_TYPES: Record<string, string> = {
  Order: "ORDER",
  Product: "PRODUCT",
  ProductVariant: "PRODUCTVARIANT",
  Customer: "CUSTOMER",
  Shop: "SHOP",
  Location: "LOCATION",
  AppInstallation: "API_PERMISSION",
};

export function ownerTypeOf(ownerId: string): string | null {
  const parsed = parseGid(ownerId);
  return parsed ? (OWNER_TYPES[parsed.type] ?? null) : null;
}

/** The record a metafield owner gid names, or undefined. */
export function ownerOf(shop: Shop, ownerId: string): object | undefined {
  const parsed = parseGid(ownerId);
  if (!parsed) return undefined;
  switch (parsed.type) {
    case "Order":
      return shop.orders.get(parsed.id);
    case "Product":
      return shop.products.get(parsed.id);
    case "ProductVariant":
      return shop.variants.get(parsed.id);
    case "Customer":
      return shop.customers.get(parsed.id);
    case "Location":
      return shop.locations.find((l) => l.id === parsed.id);
    case "Shop":
      return parsed.id === shop.id ? shop : undefined;
    case "AppInstallation":
      return parsed.id === shop.installationId ? { __typename: "AppInstallation", shop } : undefined;
    default:
      return undefined;
  }
}

export function metafieldsOf(shop: Shop, ownerId: string): Metafield[] {
  return [...shop.metafields.values()].filter((m) => m.ownerId === ownerId);
}

export function findMetafield(shop: Shop, ownerId: string, namespace: string, key: string): Metafield | undefined {
  return metafieldsOf(shop, ownerId).find((m) => m.namespace === namespace && m.key === key);
}

export function compareDigest(metafield: Metafield): string {
  return createHash("sha256").update(`${metafield.id}:${metafield.updatedAt}:${metafield.value}`).digest("hex");
}

/** Field resolvers shared by every `HasMetafields` owner. */
export function metafieldResolvers<S>(ownerGid: (source: S) => string) {
  return {
    metafield: (source: S, args: Record<string, unknown>, ctx: RequestContext) =>
      findMetafield(
        ctx.shop,
        ownerGid(source),
        resolveNamespace(args.namespace as string | undefined, ctx.rt.app.id),
        String(args.key),
      ) ?? null,
    metafields: (source: S, args: Record<string, unknown>, ctx: RequestContext) => {
      const namespace =
        args.namespace === undefined || args.namespace === null
          ? null
          : resolveNamespace(String(args.namespace), ctx.rt.app.id);
      const keys = args.keys as string[] | undefined;
      const list = metafieldsOf(ctx.shop, ownerGid(source)).filter((m) => {
        if (namespace !== null && m.namespace !== namespace) return false;
        if (
          keys &&
          !keys.some((k) => {
            const dot = k.lastIndexOf(".");
            return resolveNamespace(k.slice(0, dot), ctx.rt.app.id) === m.namespace && k.slice(dot + 1) === m.key;
          })
        )
          return false;
        return true;
      });
      return connection(list, args, ctx, (m) => m.id);
    },
  };
}

/** Value checks for the metafield types apps use; other types are stored as given. */
export function metafieldValueProblem(type: string, value: string): string | null {
  switch (type) {
    case "number_integer":
      return /^-?\d+$/.test(value) ? null : "Value must be an integer.";
    case "number_decimal":
      return /^-?\d+(\.\d+)?$/.test(value) ? null : "Value must be a decimal.";
    case "boolean":
      return value === "true" || value === "false" ? null : "Value must be true or false.";
    case "date":
      return /^\d{4}-\d{2}-\d{2}$/.test(value) ? null : "Value must be in YYYY-MM-DD format.";
    case "date_time":
      return Number.isNaN(Date.parse(value)) ? "Value must be in ISO 8601 format." : null;
    case "json":
      try {
        JSON.parse(value);
        return null;
      } catch {
        return "Value is invalid JSON.";
      }
    default:
      return null;
  }
}
