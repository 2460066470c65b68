/**
 * Storefront objects shaped like the Liquid objects Shopify hands a theme app extension
 * (product, variant, cart, app), holding only the fields the extension reads.
 */
export interface VariantInput {
  id: number;
  title: string;
  tracked?: boolean;
  policy?: "continue" | "deny";
  quantity: number;
  expectedDate?: string;
  message?: string;
}

export function variant({
  id,
  title,
  tracked = true,
  policy = "continue",
  quantity,
  expectedDate,
  message,
}: VariantInput) {
  const app: Record<string, { value: string }> = {};
  if (expectedDate !== undefined) app.expected_date = { value: expectedDate };
  if (message !== undefined) app.message = { value: message };
  return {
    id,
    title,
    inventory_management: tracked ? "shopify" : null,
    inventory_policy: policy,
    inventory_quantity: quantity,
    // Shopify: available unless tracked, DENY and sold out.
    available: !(tracked && policy === "deny" && quantity <= 0),
    metafields: { $app: app },
  };
}

export type Variant = ReturnType<typeof variant>;

export function product(handle: string, variants: Variant[], selected: Variant | undefined = variants[0]) {
  return { handle, title: handle, object_type: "product", variants, selected_or_first_available_variant: selected };
}

export interface ShopSettings {
  badgeEnabled?: boolean;
  showDate?: boolean;
  dateFormat?: string;
  badgeText?: string;
}

/** The `app` object: app-data metafields the app's settings page writes (namespace `backorder`). */
export function app({ badgeEnabled, showDate, dateFormat, badgeText }: ShopSettings = { badgeEnabled: true }) {
  const backorder: Record<string, { value: unknown }> = {};
  if (badgeEnabled !== undefined) backorder.badge_enabled = { value: badgeEnabled };
  if (showDate !== undefined) backorder.show_date = { value: showDate };
  if (dateFormat !== undefined) backorder.date_format = { value: dateFormat };
  if (badgeText !== undefined) backorder.badge_text = { value: badgeText };
  return { metafields: { backorder } };
}

export function badgeBlock(
  settings: Partial<{ show_date: boolean; label: string; background: string; text_color: string }> = {},
) {
  return {
    shopify_attributes: "",
    settings: { show_date: true, label: "", background: "#FFF4E0", text_color: "#5C3B00", ...settings },
  };
}

export function embedBlock(settings: Partial<{ show_date: boolean; page_size: number }> = {}) {
  return { shopify_attributes: "", settings: { show_date: true, page_size: 16, ...settings } };
}

export function cartItem(v: Variant, quantity: number, title = `Trail jacket - ${v.title}`) {
  return { variant: v, variant_id: v.id, quantity, title };
}
