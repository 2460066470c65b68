import type { Db } from "../../db.server";
import { backorderLinesPage, lostSalesPage } from "../../models/analytics.server";
import { windowDays } from "./analytics-page.server";
import { DAY_MS } from "../../domain";

const PAGE = 2_000;

export const EXPORT_KINDS = ["backorders", "lost-sales"] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

type Cell = string | number | Date | null;

/** RFC 4180: quote fields with a comma, quote or line break; a leading =+-@ is quoted and prefixed so a
 * spreadsheet never runs a product title as a formula. */
export function csvCell(value: Cell): string {
  if (value === null) return "";
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const csvLine = (cells: Cell[]) => `${cells.map(csvCell).join(",")}\r\n`;

/** A CSV stream of the shop's rows, read page by page as the client downloads. */
export function exportCsv(
  db: Db,
  shop: string,
  kind: ExportKind,
  url: URL,
  now: Date,
): { filename: string; body: ReadableStream<Uint8Array> } {
  const encoder = new TextEncoder();
  const from = new Date(now.getTime() - windowDays(url) * DAY_MS);
  let afterLine: string | null = null;
  let afterSale: { at: Date; id: string } | null = null;
  let headerSent = false;

  const pages: Record<ExportKind, { header: string[]; next: () => Promise<Cell[][]> }> = {
    backorders: {
      header: [
        "order",
        "ordered_at",
        "product",
        "sku",
        "customer",
        "quantity",
        "shipped",
        "allocated",
        "waiting",
        "lost",
        "lost_reason",
        "status",
        "promised_at",
        "deadline_at",
      ],
      next: async () => {
        const lines = await backorderLinesPage(db, shop, afterLine, PAGE);
        afterLine = lines.at(-1)?.id ?? afterLine;
        return lines.map((l) => [
          l.orderName,
          l.orderedAt,
          l.title,
          l.sku,
          l.customerName,
          l.quantity,
          l.shippedQty,
          l.reservedQty,
          l.backorderedQty,
          l.lostQty,
          l.lostReason,
          l.status,
          l.promisedAt,
          l.deadlineAt,
        ]);
      },
    },
    "lost-sales": {
      header: ["lost_at", "order", "product", "sku", "quantity", "unit_price", "currency", "reason"],
      next: async () => {
        const sales = await lostSalesPage(db, shop, from, afterSale, PAGE);
        const last = sales.at(-1);
        if (last) afterSale = { at: last.at, id: last.id };
        return sales.map((s) => [
          s.at,
          s.orderName,
          s.title,
          s.sku,
          s.quantity,
          (s.unitPriceCents / 100).toFixed(2),
          s.currency,
          s.reason,
        ]);
      },
    },
  };
  const source = pages[kind];

  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(csvLine(source.header)));
        return;
      }
      const rows = await source.next();
      if (rows.length === 0) {
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(rows.map(csvLine).join("")));
    },
  });
  return { filename: `${kind}-${now.toISOString().slice(0, 10)}.csv`, body };
}
