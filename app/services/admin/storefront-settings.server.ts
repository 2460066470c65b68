import type { Settings } from "../../models/settings.server";
import { AppInstallationIdDocument, SetStorefrontSettingsDocument } from "../../shopify/generated/operations";
import type { AdminGateway, UserError } from "../../shopify/gateway.server";

/** App-data metafields on the app installation, read by the theme extension (docs/decisions/0005). */
export const STOREFRONT_NAMESPACE = "backorder";

/** One of Shopify's locale-aware date formats; the contract accepts no other value. */
export const BADGE_DATE_FORMAT = "date";

export function storefrontMetafields(ownerId: string, settings: Settings) {
  const field = (key: string, type: string, value: string) => ({
    ownerId,
    namespace: STOREFRONT_NAMESPACE,
    key,
    type,
    value,
  });
  return [
    field("badge_enabled", "boolean", String(settings.badgeEnabled)),
    field("show_date", "boolean", String(settings.badgeShowDate)),
    field("date_format", "single_line_text_field", BADGE_DATE_FORMAT),
  ];
}

export type StorefrontWrite = { ok: true } | { ok: false; userErrors: UserError[] };

/** Writes the shop-level storefront settings in one atomic metafieldsSet. */
export async function writeStorefrontSettings(
  admin: Pick<AdminGateway, "query" | "mutate">,
  settings: Settings,
): Promise<StorefrontWrite> {
  const { currentAppInstallation } = await admin.query(AppInstallationIdDocument, {});
  const result = await admin.mutate(SetStorefrontSettingsDocument, {
    metafields: storefrontMetafields(currentAppInstallation.id, settings),
  });
  return result.ok ? { ok: true } : { ok: false, userErrors: result.userErrors };
}
