import { z } from "zod";

import type { Db } from "../../db.server";
import type { JobQueue } from "../../models/job-types";
import { allSellingVariants, findSellingVariants } from "../../models/selling-variants.server";
import type { AdminGateway } from "../../shopify/gateway.server";
import { shopLockKey } from "../intake.server";
import { importDates, previewImport, type ImportPreview } from "./dates-import.server";
import { applyMerchantDates, parseWord, type DateTarget } from "./dates-page.server";

export type DatesActionResult =
  | { ok: true; intent: "set" | "import" | "refresh"; message: string }
  | { ok: true; intent: "preview"; preview: ImportPreview }
  | { ok: false; intent: string; fieldErrors: Record<string, string>; preview?: ImportPreview };

/** Each is a `redate` job. */
export const MAX_BULK_VARIANTS = 1_000;

const SetForm = z.object({
  on: z.enum(["variant", "product"]),
  selection: z.discriminatedUnion("all", [
    z.object({ all: z.literal(false), variantIds: z.array(z.string()).min(1, "Select at least one variant").max(250) }),
    z.object({ all: z.literal(true), search: z.string() }),
  ]),
});

export async function runDatesAction(
  deps: { db: Db; queue: JobQueue; admin: Pick<AdminGateway, "query"> },
  shop: string,
  form: FormData,
  today: string,
  now: Date,
): Promise<DatesActionResult> {
  const intent = String(form.get("intent") ?? "");
  if (intent === "preview" || intent === "import") {
    const csv = String(form.get("csv") ?? "");
    if (intent === "preview") return { ok: true, intent, preview: await previewImport(deps, csv, today) };
    const result = await importDates(deps, shop, csv, today);
    if (result.imported === 0) {
      const { imported: _none, ...preview } = result;
      const csvError =
        result.fileError ?? `${result.errors} of ${result.rows.length} rows need fixing: nothing was imported`;
      return { ok: false, intent, fieldErrors: { csv: csvError }, preview };
    }
    return { ok: true, intent, message: `Imported ${result.imported} restock date${result.imported === 1 ? "" : "s"}` };
  }
  if (intent === "refresh") {
    await deps.queue.enqueue({
      shop,
      type: "variant_sync",
      payload: {},
      lockKey: shopLockKey(shop),
      dedupeKey: `variant_sync:manual:${Math.floor(now.getTime() / 60_000)}`,
    });
    return { ok: true, intent, message: "Reading the list from Shopify" };
  }
  if (intent !== "set") return { ok: false, intent, fieldErrors: { intent: "Unknown action" } };
  const targets = await selectedTargets(deps.db, shop, form);
  if (!targets.ok) return { ok: false, intent, fieldErrors: { targets: targets.error } };
  const word = parseWord({ date: String(form.get("date") ?? ""), leadDays: String(form.get("leadDays") ?? "") }, today);
  if (!word.ok) return { ok: false, intent, fieldErrors: { date: word.error } };
  await applyMerchantDates(
    deps,
    shop,
    targets.targets.map((target) => ({
      target,
      on: targets.on,
      expectedAt: word.expectedAt,
      leadDays: word.leadDays,
    })),
  );
  const what = word.expectedAt ? "Restock date saved" : word.leadDays !== null ? "Lead time saved" : "Dates cleared";
  return { ok: true, intent, message: `${what} for ${targets.targets.length} variant(s)` };
}

async function selectedTargets(
  db: Db,
  shop: string,
  form: FormData,
): Promise<{ ok: true; on: "variant" | "product"; targets: DateTarget[] } | { ok: false; error: string }> {
  let variantIds: unknown;
  try {
    variantIds = JSON.parse(String(form.get("variantIds") ?? "[]"));
  } catch {
    variantIds = null;
  }
  const all = form.get("all") === "true";
  const parsed = SetForm.safeParse({
    on: form.get("on"),
    selection: all ? { all, search: String(form.get("q") ?? "").trim() } : { all, variantIds },
  });
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]!.message };
  const { selection, on } = parsed.data;
  const rows = selection.all
    ? await allSellingVariants(db, shop, selection.search, MAX_BULK_VARIANTS + 1)
    : await findSellingVariants(db, shop, selection.variantIds);
  if (selection.all && rows.length > MAX_BULK_VARIANTS)
    return { ok: false, error: `More than ${MAX_BULK_VARIANTS} variants: narrow the search first` };
  if (!selection.all && rows.length < new Set(selection.variantIds).size)
    return { ok: false, error: "Some selected variants are no longer continue-selling: reload the page" };
  if (rows.length === 0) return { ok: false, error: "No variant matches the search" };
  const targets = rows.map(({ variantId, productId, inventoryItemId, sku }) => ({
    variantId,
    productId,
    inventoryItemId,
    sku,
  }));
  return { ok: true, on, targets };
}
