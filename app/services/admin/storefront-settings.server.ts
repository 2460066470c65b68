import type { Settings } from "../../models/settings.server";
import {
  AppInstallationIdDocument,
  DeleteStorefrontSettingsDocument,
  SetStorefrontSettingsDocument,
} from "../../shopify/generated/operations";
import type { AdminGateway, UserError } from "../../shopify/gateway.server";

/** Read by the theme extension (docs/decisions/0005-storefront-metafields.md); `date_format` has no setting yet. */
export const STOREFRONT_NAMESPACE = "backorder";

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
    ...(settings.badgeText ? [field("badge_text", "single_line_text_field", settings.badgeText)] : []),
  ];
}

export type StorefrontWrite = { ok: true } | { ok: false; userErrors: UserError[] };

export async function writeStorefrontSettings(
  admin: Pick<AdminGateway, "query" | "mutate">,
  settings: Settings,
): Promise<StorefrontWrite> {
  const { currentAppInstallation } = await admin.query(AppInstallationIdDocument, {});
  const ownerId = currentAppInstallation.id;
  const set = await admin.mutate(SetStorefrontSettingsDocument, {
    metafields: storefrontMetafields(ownerId, settings),
  });
  if (!set.ok) return { ok: false, userErrors: set.userErrors };
  if (settings.badgeText) return { ok: true };
  const deleted = await admin.mutate(DeleteStorefrontSettingsDocument, {
    metafields: [{ ownerId, namespace: STOREFRONT_NAMESPACE, key: "badge_text" }],
  });
  return deleted.ok ? { ok: true } : { ok: false, userErrors: deleted.userErrors };
}
