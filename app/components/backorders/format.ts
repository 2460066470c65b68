/** Dates in the merchant's locale, in UTC so the server's and the browser's renders agree. */
export function formatDate(date: Date | string | null): string {
  if (date === null) return "—";
  return new Date(date).toLocaleDateString("en-US", {
    year: "numeric",
    month: "short",
    day: "numeric",
    timeZone: "UTC",
  });
}

export function formatMoney(cents: number, currency: string): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(cents / 100);
}

/** The numeric part of a Shopify GID, for URLs (gid://shopify/Order/1001 → 1001). */
export function legacyId(gid: string): string {
  return gid.slice(gid.lastIndexOf("/") + 1);
}

export const STATUS_LABEL: Record<string, string> = {
  waiting: "Waiting",
  partially_allocated: "Partly allocated",
  allocated: "Allocated",
  fulfilled: "Fulfilled",
  cancelled: "Cancelled",
  expired: "Expired",
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The queue's subtitle counts what its open tab shows: the matching lines, or the product groups and their lines. */
export function queueSubtitle(
  view: "lines" | "products",
  total: number,
  filtered: boolean,
  groups: readonly { lines: number }[],
): string {
  if (view === "products") {
    const lines = groups.reduce((sum, group) => sum + group.lines, 0);
    return `${plural(groups.length, "product")} · ${plural(lines, "line")} waiting`;
  }
  return `${plural(total, "line")} ${filtered ? "match" : "waiting"}`;
}

/** Where a promised date came from, from its basis (decision 0019); null for lines dated before the rule. */
export function dateSource(basis: string | null | undefined): string | null {
  const source = basis?.split(":")[0];
  return source === "incoming"
    ? "incoming stock"
    : source === "merchant_date"
      ? "your restock date"
      : source === "merchant_lead"
        ? "your lead time"
        : source === "shop_lead"
          ? "shop lead days"
          : null;
}
