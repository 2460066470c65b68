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

export interface TimelineEntry {
  kind: string;
  quantity: number | null;
  detail: string;
}

const KIND_TEXT: Record<string, (quantity: number | null) => string> = {
  held: (q) => `${q ?? "Units"} on backorder, fulfilment held`,
  // A fulfillment service already has the request: Shopify allows no hold (decision 0020).
  not_held: (q) => `${q ?? "Units"} on backorder, not held`,
  allocated: (q) => `${q ?? "Units"} allocated from new stock`,
  released: (q) => `${q ?? "Units"} released for fulfilment`,
  reminder: () => "Reminder: the promised date is near",
  delay_notice: () => "Delay notice sent to the customer",
  redated: () => "Promised date brought forward",
  consent: () => "Customer agreed to wait longer",
  cancelled: (q) => `${q ?? "Units"} cancelled`,
  refunded: (q) => `${q ?? "Units"} refunded`,
  lost: (q) => `${q ?? "Units"} lost`,
};

export function timelineText(event: TimelineEntry): string {
  const text = KIND_TEXT[event.kind]?.(event.quantity) ?? event.kind;
  const detail = JSON.parse(event.detail) as {
    until?: string;
    reason?: string;
    redated?: boolean;
    revisedAt?: string;
    source?: string;
    notice?: "first" | "renewed";
    silenceIsConsent?: boolean;
    replyBy?: string | null;
  };
  if (event.kind === "consent" && detail.until) {
    const by = detail.source === "customer" ? " (on the customer's page)" : "";
    return `${text}, until ${formatDate(detail.until)}${by}`;
  }
  // The Mail Order Rule's notices: what the customer was told decides whether silence counted (decision 0024).
  if (detail.notice && detail.revisedAt) {
    const what = detail.notice === "renewed" ? "Renewed delay notice sent to the customer" : text;
    const answer = detail.replyBy
      ? `needs the customer's yes by ${formatDate(detail.replyBy)}`
      : "silence counts as consent";
    return `${what}: now ${formatDate(detail.revisedAt)}, ${answer}`;
  }
  // A re-dating's reason is the job's key (what triggered it): the customer-facing facts are the date and its source.
  if (detail.redated && detail.revisedAt) {
    const source = dateSource(detail.source);
    return `${text}: now ${formatDate(detail.revisedAt)}${source ? ` (${source})` : ""}`;
  }
  if (detail.reason) return `${text} (${detail.reason.replace(/_/g, " ")})`;
  return text;
}
