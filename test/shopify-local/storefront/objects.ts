/**
 * Local Shopify's state as the Liquid objects Shopify hands a theme (product, variant, cart item, `app`), with
 * the fields the theme app extension reads (test/theme/fixtures.ts has the same shapes for hand-made cases).
 */
import { gid } from "../ids";
import { totalAvailable } from "../store/inventory";
import type { Metafield, Product, Shop, Variant } from "../store/state";

/** A metafield's `value` in Liquid: typed for booleans, numbers and JSON; text otherwise (dates stay ISO days). */
function liquidValue(metafield: Metafield): unknown {
  switch (metafield.type) {
    case "boolean":
      return metafield.value === "true";
    case "number_integer":
    case "number_decimal":
      return Number(metafield.value);
    case "json":
      return JSON.parse(metafield.value) as unknown;
    default:
      return metafield.value;
  }
}

/** The owner's metafields in one namespace, keyed by key, each as `{ value }`. */
function metafieldsIn(shop: Shop, ownerId: string, namespace: string): Record<string, { value: unknown }> {
  const fields: Record<string, { value: unknown }> = {};
  for (const metafield of shop.metafields.values()) {
    if (metafield.ownerId === ownerId && metafield.namespace === namespace) {
      fields[metafield.key] = { value: liquidValue(metafield) };
    }
  }
  return fields;
}

export function liquidVariant(shop: Shop, appId: number, variant: Variant) {
  const tracked = shop.inventoryItems.get(variant.inventoryItemId)?.tracked ?? false;
  const quantity = totalAvailable(shop, variant.inventoryItemId);
  return {
    id: variant.id,
    title: variant.title,
    price: variant.priceCents,
    inventory_management: tracked ? "shopify" : null,
    inventory_policy: variant.inventoryPolicy.toLowerCase(),
    inventory_quantity: quantity,
    // Shopify: a variant can be bought unless it is tracked, DENY and sold out.
    available: !(tracked && variant.inventoryPolicy === "DENY" && quantity <= 0),
    // `variant.metafields['$app']` reads the app's reserved namespace, stored as app--{appId}.
    metafields: { $app: metafieldsIn(shop, gid("ProductVariant", variant.id), `app--${appId}`) },
  };
}

export type LiquidVariant = ReturnType<typeof liquidVariant>;

export function liquidProduct(shop: Shop, appId: number, product: Product, selectedId?: number) {
  const variants = product.variantIds.map((id) => liquidVariant(shop, appId, shop.variants.get(id)!));
  const selected = variants.find((v) => v.id === selectedId) ?? variants.find((v) => v.available) ?? variants[0];
  return {
    id: product.id,
    handle: product.handle,
    title: product.title,
    object_type: "product",
    variants,
    selected_or_first_available_variant: selected,
  };
}

export type LiquidProduct = ReturnType<typeof liquidProduct>;

/** A cart line: Shopify titles it "Product - Variant", or the product alone for a default variant. */
export function liquidCartItem(product: LiquidProduct, variant: LiquidVariant, quantity: number) {
  const title = variant.title === "Default Title" ? product.title : `${product.title} - ${variant.title}`;
  return { variant, variant_id: variant.id, quantity, title, product, line_price: variant.price * quantity };
}

/** The `app` object: the app-data metafields on the app's installation (namespace `backorder` and any other). */
export function liquidApp(shop: Shop) {
  const ownerId = gid("AppInstallation", shop.installationId);
  const namespaces = new Set(
    [...shop.metafields.values()].filter((m) => m.ownerId === ownerId).map((m) => m.namespace),
  );
  return {
    metafields: Object.fromEntries(
      [...namespaces].map((namespace) => [namespace, metafieldsIn(shop, ownerId, namespace)]),
    ),
  };
}
