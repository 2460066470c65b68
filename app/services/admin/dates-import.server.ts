import type { Db } from "../../db.server";
import type { JobQueue } from "../../models/job-types";
import { BackorderDateVariantsDocument } from "../../shopify/generated/operations";
import type { AdminGateway } from "../../shopify/gateway.server";
import { applyMerchantDates, parseWord, type DateTarget } from "./dates-page.server";

/** Every row is checked first; the import writes nothing unless every row is good. */
export const MAX_IMPORT_ROWS = 500;

export interface ImportRow {
  line: number;
  sku: string;
  date: string | null;
  leadDays: number | null;
  title: string | null;
  error: string | null;
}

export interface ImportPreview {
  rows: ImportRow[];
  errors: number;
  /** A problem with the file itself (no header, too many rows); then `rows` is empty. */
  fileError: string | null;
}

export async function previewImport(
  deps: { admin: Pick<AdminGateway, "query"> },
  csv: string,
  today: string,
): Promise<ImportPreview> {
  const { rows, errors, fileError } = await checkImport(deps, csv, today);
  return { rows, errors, fileError };
}

async function checkImport(
  deps: { admin: Pick<AdminGateway, "query"> },
  csv: string,
  today: string,
): Promise<ImportPreview & { targets: Map<string, DateTarget> }> {
  const parsed = parseCsv(csv);
  if ("fileError" in parsed) return { rows: [], errors: 0, fileError: parsed.fileError, targets: new Map() };
  const found = await variantsBySku(deps.admin, [...new Set(parsed.rows.map((r) => r.sku).filter(Boolean))]);
  const seen = new Set<string>();
  const targets = new Map<string, DateTarget>();
  const rows = parsed.rows.map((raw): ImportRow => {
    const word = parseWord({ date: raw.date, leadDays: raw.leadDays }, today);
    const matches = found.get(raw.sku) ?? [];
    const error = !raw.sku
      ? "the SKU is empty"
      : seen.has(raw.sku)
        ? `SKU ${raw.sku} appears more than once`
        : !word.ok
          ? word.error
          : word.expectedAt === null && word.leadDays === null
            ? "give a date or lead days"
            : matches.length === 0
              ? `no variant has SKU ${raw.sku}`
              : matches.length > 1
                ? `${matches.length} variants share SKU ${raw.sku}`
                : matches[0]!.policy !== "CONTINUE" || !matches[0]!.tracked
                  ? `${raw.sku} does not keep selling when out of stock`
                  : null;
    seen.add(raw.sku);
    if (error === null) targets.set(raw.sku, matches[0]!.target);
    return {
      line: raw.line,
      sku: raw.sku,
      date: word.ok && word.expectedAt ? raw.date : null,
      leadDays: word.ok ? word.leadDays : null,
      title: matches[0]?.title ?? null,
      error,
    };
  });
  return { rows, errors: rows.filter((r) => r.error !== null).length, fileError: null, targets };
}

export async function importDates(
  deps: { db: Db; queue: JobQueue; admin: Pick<AdminGateway, "query"> },
  shop: string,
  csv: string,
  today: string,
): Promise<ImportPreview & { imported: number }> {
  const { targets, ...preview } = await checkImport(deps, csv, today);
  if (preview.fileError || preview.errors > 0 || preview.rows.length === 0) return { ...preview, imported: 0 };
  await applyMerchantDates(
    deps,
    shop,
    preview.rows.map((row) => ({
      target: targets.get(row.sku)!,
      on: "variant" as const,
      expectedAt: row.date ? new Date(`${row.date}T00:00:00Z`) : null,
      leadDays: row.leadDays,
    })),
  );
  return { ...preview, imported: preview.rows.length };
}

type RawRow = { line: number; sku: string; date: string | null; leadDays: string | null };

function parseCsv(csv: string): { rows: RawRow[] } | { fileError: string } {
  const lines = csv.replace(/^\uFEFF/, "").split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? "").map((cell) => cell.trim().toLowerCase().replace(/\s+/g, "_"));
  const sku = header.indexOf("sku");
  const date = header.indexOf("date");
  const lead = header.indexOf("lead_days");
  if (sku === -1 || (date === -1 && lead === -1))
    return { fileError: "the first row must name the columns: sku, and date or lead_days" };
  const rows: RawRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i]!.trim() === "") continue;
    const cells = splitCsvLine(lines[i]!);
    rows.push({
      line: i + 1,
      sku: (cells[sku] ?? "").trim(),
      date: date === -1 ? null : (cells[date] ?? "").trim() || null,
      leadDays: lead === -1 ? null : (cells[lead] ?? "").trim() || null,
    });
  }
  if (rows.length === 0) return { fileError: "the file has no rows after the header" };
  if (rows.length > MAX_IMPORT_ROWS)
    return { fileError: `at most ${MAX_IMPORT_ROWS} rows at once (${rows.length} given)` };
  return { rows };
}

/** One CSV line: commas, double-quoted cells with "" for a quote. */
function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted && c === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (c === "," && !quoted) {
      cells.push(cell);
      cell = "";
    } else {
      cell += c;
    }
  }
  cells.push(cell);
  return cells;
}

interface FoundVariant {
  target: DateTarget;
  title: string;
  policy: string;
  tracked: boolean;
}

/** `sku:A OR sku:B …`: one call per 25 rows. */
async function variantsBySku(admin: Pick<AdminGateway, "query">, skus: readonly string[]) {
  const found = new Map<string, FoundVariant[]>();
  for (let start = 0; start < skus.length; start += 25) {
    const chunk = skus.slice(start, start + 25);
    const query = chunk.map((sku) => `sku:${JSON.stringify(sku)}`).join(" OR ");
    const data = await admin.query(BackorderDateVariantsDocument, { first: 50, after: null, query });
    for (const v of data.productVariants.nodes) {
      if (!v.sku || !chunk.includes(v.sku)) continue;
      const entry: FoundVariant = {
        target: { variantId: v.id, productId: v.product.id, inventoryItemId: v.inventoryItem.id, sku: v.sku },
        title: v.title === "Default Title" ? v.product.title : `${v.product.title} — ${v.title}`,
        policy: v.inventoryPolicy,
        tracked: v.inventoryItem.tracked,
      };
      found.set(v.sku, [...(found.get(v.sku) ?? []), entry]);
    }
  }
  return found;
}
