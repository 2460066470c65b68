import { z } from "zod";

import type { Db } from "../../db.server";
import type { JobQueue } from "../../jobs/types";
import type { AdminGateway } from "../../shopify/gateway.server";
import { importDates, previewImport, type ImportPreview } from "./dates-import.server";
import { applyMerchantDates, DateTarget, parseWord } from "./dates-page.server";

export type DatesActionResult =
  | { ok: true; intent: "set" | "import"; message: string }
  | { ok: true; intent: "preview"; preview: ImportPreview }
  | { ok: false; intent: string; fieldErrors: Record<string, string>; preview?: ImportPreview };

const SetForm = z.object({
  targets: z.array(DateTarget).min(1, "Select at least one variant").max(250, "At most 250 variants at once"),
  on: z.enum(["variant", "product"]),
});

/** The page's actions: set (or clear) a date or lead days on the selected variants or their products; CSV. */
export async function runDatesAction(
  deps: { db: Db; queue: JobQueue; admin: Pick<AdminGateway, "query"> },
  shop: string,
  form: FormData,
  today: string,
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
  if (intent !== "set") return { ok: false, intent, fieldErrors: { intent: "Unknown action" } };
  let targets: unknown;
  try {
    targets = JSON.parse(String(form.get("targets") ?? "[]"));
  } catch {
    targets = null;
  }
  const parsed = SetForm.safeParse({ targets, on: form.get("on") });
  if (!parsed.success) return { ok: false, intent, fieldErrors: { targets: parsed.error.issues[0]!.message } };
  const word = parseWord({ date: String(form.get("date") ?? ""), leadDays: String(form.get("leadDays") ?? "") }, today);
  if (!word.ok) return { ok: false, intent, fieldErrors: { date: word.error } };
  await applyMerchantDates(
    deps,
    shop,
    parsed.data.targets.map((target) => ({
      target,
      on: parsed.data.on,
      expectedAt: word.expectedAt,
      leadDays: word.leadDays,
    })),
  );
  const what = word.expectedAt ? "Restock date saved" : word.leadDays !== null ? "Lead time saved" : "Dates cleared";
  return { ok: true, intent, message: `${what} for ${parsed.data.targets.length} variant(s)` };
}
