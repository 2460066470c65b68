import type { Db } from "../db.server";
import { getSettings, saveSettings, validateSettings, type Settings } from "../models/settings.server";
import type { AdminGateway } from "../shopify/gateway.server";
import { writeStorefrontSettings } from "./admin/storefront-settings.server";

export type SaveSettingsResult =
  | { ok: true; settings: Settings }
  | { ok: false; fieldErrors: Record<string, string> }
  | { ok: false; formError: string };

/** Shopify first: if it refuses, nothing is saved, so the app and the storefront never disagree about the badge. */
export async function saveShopSettings(
  deps: { db: Db; admin: Pick<AdminGateway, "query" | "mutate"> },
  shop: string,
  input: unknown,
): Promise<SaveSettingsResult> {
  const validated = validateSettings(input);
  if (!validated.ok) return validated;
  const written = await writeStorefrontSettings(deps.admin, validated.settings);
  if (!written.ok) {
    return {
      ok: false,
      formError: `Shopify refused the storefront settings: ${written.userErrors.map((error) => error.message).join("; ")}`,
    };
  }
  return { ok: true, settings: await saveSettings(deps.db, shop, validated.settings) };
}

export async function applyPolicy(
  deps: { db: Db; admin: Pick<AdminGateway, "query" | "mutate"> },
  shop: string,
  policy: unknown,
): Promise<SaveSettingsResult> {
  return saveShopSettings(deps, shop, { ...(await getSettings(deps.db, shop)), allocationPolicy: policy });
}
