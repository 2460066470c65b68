import { allocate, type WaitingLine } from "./allocate";
import { addDays } from "./time";
import type { Settings } from "./types";

/** `locationId` is null only in the simulator (one stock pool). */
export interface IncomingBatch {
  id: string;
  locationId: string | null;
  quantity: number;
  arrivesAt: number;
}

/** Already resolved variant over product; both null: the shop's `leadDays` applies. */
export interface MerchantDate {
  expectedAt: number | null;
  leadDays: number | null;
}

export const DATE_SOURCES = ["incoming", "merchant_date", "merchant_lead", "shop_lead"] as const;
export type DateSource = (typeof DATE_SOURCES)[number];

export interface DatedLine extends WaitingLine {
  locationId: string | null;
  promised?: { at: number; basis: string } | null;
}

export interface LineDate {
  lineId: string;
  promisedAt: number;
  source: DateSource;
  batchId: string | null;
  /** The same basis as before never gives an earlier date than was promised. */
  basis: string;
}

export type DateSettings = Pick<
  Settings,
  "allocationPolicy" | "priorityTags" | "deadlineDays" | "consentRecorded" | "leadDays"
>;

/** Batches are shared as allocation will share them when they land (docs/decisions/0019-promised-dates.md). */
export function promisedDates(
  lines: readonly DatedLine[],
  incoming: readonly IncomingBatch[],
  merchant: MerchantDate,
  settings: DateSettings,
  now: number,
): LineDate[] {
  const byLocation = new Map<string | null, DatedLine[]>();
  for (const line of lines) {
    if (line.remaining <= 0) continue;
    byLocation.set(line.locationId, [...(byLocation.get(line.locationId) ?? []), line]);
  }
  const dates = new Map<string, LineDate>();
  for (const [locationId, group] of byLocation) {
    const batches = incoming.filter((batch) => locationId === null || batch.locationId === locationId);
    for (const date of datesAtLocation(group, batches, merchant, settings, now)) dates.set(date.lineId, date);
  }
  return lines.flatMap((line) => dates.get(line.lineId) ?? []);
}

function datesAtLocation(
  lines: readonly DatedLine[],
  incoming: readonly IncomingBatch[],
  merchant: MerchantDate,
  settings: DateSettings,
  now: number,
): LineDate[] {
  const left = new Map(lines.map((line) => [line.lineId, line.remaining]));
  const completedBy = new Map<string, IncomingBatch>();
  const lastUnits = new Map<string, number>();
  for (const batch of arrivalOrder(incoming)) {
    const waiting = lines.filter((line) => left.get(line.lineId)! > 0);
    if (waiting.length === 0) break;
    const result = allocate(
      batch.quantity,
      waiting.map((line) => ({ ...line, remaining: left.get(line.lineId)! })),
      settings,
    );
    if (result.kind === "nothing_to_allocate") continue;
    for (const grant of result.grants) {
      const remaining = left.get(grant.lineId)! - grant.quantity;
      left.set(grant.lineId, remaining);
      lastUnits.set(grant.lineId, batch.arrivesAt);
      if (remaining === 0) completedBy.set(grant.lineId, batch);
    }
  }
  return lines.map((line) => {
    const batch = completedBy.get(line.lineId);
    const floor = Math.max(now, line.orderedAt, lastUnits.get(line.lineId) ?? -Infinity);
    const date: LineDate = batch
      ? { lineId: line.lineId, promisedAt: floor, source: "incoming", batchId: batch.id, basis: "" }
      : fallbackLineDate(line, floor, merchant, settings);
    date.basis = basisOf(date, batch, merchant, settings);
    const kept = line.promised?.basis === date.basis ? line.promised.at : -Infinity;
    return { ...date, promisedAt: Math.max(date.promisedAt, kept) };
  });
}

function fallbackLineDate(line: DatedLine, floor: number, merchant: MerchantDate, settings: DateSettings): LineDate {
  const { at, source } = fallbackDate(line.orderedAt, merchant, settings);
  return { lineId: line.lineId, promisedAt: Math.max(floor, at), source, batchId: null, basis: "" };
}

function basisOf(date: LineDate, batch: IncomingBatch | undefined, merchant: MerchantDate, settings: DateSettings) {
  switch (date.source) {
    case "incoming":
      return `incoming:${batch!.id}@${batch!.arrivesAt}`;
    case "merchant_date":
      return `merchant_date:${merchant.expectedAt}`;
    case "merchant_lead":
      return `merchant_lead:${merchant.leadDays}`;
    case "shop_lead":
      return `shop_lead:${settings.leadDays}`;
  }
}

export function fallbackDate(
  orderedAt: number,
  merchant: MerchantDate,
  settings: Pick<Settings, "leadDays">,
): { at: number; source: Exclude<DateSource, "incoming"> } {
  if (merchant.expectedAt !== null) return { at: merchant.expectedAt, source: "merchant_date" };
  if (merchant.leadDays !== null) return { at: addDays(orderedAt, merchant.leadDays), source: "merchant_lead" };
  return { at: addDays(orderedAt, settings.leadDays), source: "shop_lead" };
}

/** The latest over the locations: the storefront cannot know where the order will be routed. */
export function nextUnitDate(
  lines: readonly DatedLine[],
  incoming: readonly IncomingBatch[],
  merchant: MerchantDate,
  settings: Pick<Settings, "leadDays">,
  now: number,
): { promisedAt: number; source: DateSource } {
  const locations = new Set<string | null>([
    ...lines.filter((line) => line.remaining > 0).map((line) => line.locationId),
    ...incoming.map((batch) => batch.locationId),
  ]);
  const fallback = fallbackDate(now, merchant, settings);
  let latest: { promisedAt: number; source: DateSource } | null = null;
  for (const locationId of locations) {
    let demand = lines
      .filter((line) => line.locationId === locationId)
      .reduce((n, line) => n + Math.max(0, line.remaining), 0);
    let date: { promisedAt: number; source: DateSource } = { promisedAt: fallback.at, source: fallback.source };
    for (const batch of arrivalOrder(incoming.filter((b) => locationId === null || b.locationId === locationId))) {
      demand -= batch.quantity;
      if (demand < 0) {
        date = { promisedAt: batch.arrivesAt, source: "incoming" };
        break;
      }
    }
    if (latest === null || date.promisedAt > latest.promisedAt) latest = date;
  }
  const result = latest ?? { promisedAt: fallback.at, source: fallback.source };
  return { promisedAt: Math.max(now, result.promisedAt), source: result.source };
}

/** Ties by id, so that the same batches always date the same lines. */
function arrivalOrder(incoming: readonly IncomingBatch[]): IncomingBatch[] {
  return incoming
    .filter((batch) => batch.quantity > 0)
    .sort((a, b) => a.arrivesAt - b.arrivesAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
