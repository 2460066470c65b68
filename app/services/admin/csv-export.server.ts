import type { Db } from "../../db.server";
import { backorderLinesPage, lostSalesPage } from "../../models/analytics.server";
import { windowDays } from "./analytics-page.server";
import { DAY_MS } from "../../domain";

const PAGE = 2_000;

export const EXPORT_KINDS = ["backorders", "lost-sales"] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

type Cell = string | number | Date | null;

/** A leading =+-@ is quoted and prefixed so a spreadsheet never runs a product title as a formula. */
export function csvCell(value: Cell): string {
  if (value === null) return "";
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const csvLine = (cells: Cell[]) => `${cells.map(csvCell).join(",")}\r\n`;

type BackorderRow = Awaited<ReturnType<typeof backorderLinesPage>>[number];
type LostSaleRow = Awaited<ReturnType<typeof lostSalesPage>>[number];
type Columns<Row> = readonly (readonly [name: string, value: (row: Row) => Cell])[];

const BACKORDER_COLUMNS: Columns<BackorderRow> = [
  ["order", (l) => l.orderName],
  ["ordered_at", (l) => l.orderedAt],
  ["product", (l) => l.title],
  ["sku", (l) => l.sku],
  ["customer", (l) => l.customerName],
  ["quantity", (l) => l.quantity],
  ["shipped", (l) => l.shippedQty],
  ["allocated", (l) => l.reservedQty],
  ["waiting", (l) => l.backorderedQty],
  ["lost", (l) => l.lostQty],
  ["lost_reason", (l) => l.lostReason],
  ["status", (l) => l.status],
  ["promised_at", (l) => l.promisedAt],
  ["deadline_at", (l) => l.deadlineAt],
];

const LOST_SALE_COLUMNS: Columns<LostSaleRow> = [
  ["lost_at", (s) => s.at],
  ["order", (s) => s.orderName],
  ["product", (s) => s.title],
  ["sku", (s) => s.sku],
  ["quantity", (s) => s.quantity],
  ["unit_price", (s) => (s.unitPriceCents / 100).toFixed(2)],
  ["currency", (s) => s.currency],
  ["reason", (s) => s.reason],
];

type NextPage<Row> = () => Promise<Row[]>;

function backorderPages(db: Db, shop: string): NextPage<BackorderRow> {
  let after: string | null = null;
  return async () => {
    const lines = await backorderLinesPage(db, shop, after, PAGE);
    after = lines.at(-1)?.id ?? after;
    return lines;
  };
}

function lostSalePages(db: Db, shop: string, from: Date): NextPage<LostSaleRow> {
  let after: { at: Date; id: string } | null = null;
  return async () => {
    const sales = await lostSalesPage(db, shop, from, after, PAGE);
    const last = sales.at(-1);
    if (last) after = { at: last.at, id: last.id };
    return sales;
  };
}

function csvStream<Row>(columns: Columns<Row>, next: NextPage<Row>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(csvLine(columns.map(([name]) => name))));
        return;
      }
      const rows = await next();
      if (rows.length === 0) {
        controller.close();
        return;
      }
      const lines = rows.map((row) => csvLine(columns.map(([, value]) => value(row))));
      controller.enqueue(encoder.encode(lines.join("")));
    },
  });
}

/** Read page by page as the client downloads, so a large export never sits in memory. */
export function exportCsv(
  db: Db,
  shop: string,
  kind: ExportKind,
  url: URL,
  now: Date,
): { filename: string; body: ReadableStream<Uint8Array> } {
  const from = new Date(now.getTime() - windowDays(url) * DAY_MS);
  const body =
    kind === "backorders"
      ? csvStream(BACKORDER_COLUMNS, backorderPages(db, shop))
      : csvStream(LOST_SALE_COLUMNS, lostSalePages(db, shop, from));
  return { filename: `${kind}-${now.toISOString().slice(0, 10)}.csv`, body };
}
