/**
 * Plain data shared by the engine's functions. Times are epoch milliseconds (UTC); the caller passes the clock.
 * An "item" is what stock is counted on: in Shopify a variant's inventory item, in the simulator a SKU.
 */

export const ALLOCATION_POLICIES = [
  "fifo",
  "fair_share",
  "priority",
  "earliest_deadline",
  "smallest_first",
  "proportional",
] as const;
export type AllocationPolicy = (typeof ALLOCATION_POLICIES)[number];

export const ALLOCATION_WINDOWS = ["immediate", "batch"] as const;
export type AllocationWindow = (typeof ALLOCATION_WINDOWS)[number];
export const PARTIAL_SHIPMENTS = ["ship_available", "ship_complete", "threshold"] as const;
export type PartialShipment = (typeof PARTIAL_SHIPMENTS)[number];
export const EXPIRY_ACTIONS = ["cancel", "notify"] as const;
export type ExpiryAction = (typeof EXPIRY_ACTIONS)[number];

/**
 * The engine's settings: the one definition of their fields. The shop's settings (app/models/settings.server.ts)
 * and a scenario's (app/simulator/scenario.ts) are derived from it, each with its own validation.
 */
export interface Settings {
  allocationPolicy: AllocationPolicy;
  /** Tiers for `priority`, most important first; matched case-insensitively against order and customer tags. */
  priorityTags: readonly string[];
  allocationWindow: AllocationWindow;
  partialShipment: PartialShipment;
  /** For `threshold`: ship a partial order only when at least this share (0–100) of its units is allocated. */
  thresholdPercent: number;
  /** Products whose lines ship only complete, whatever `partialShipment` says. */
  neverSplitProductIds: readonly string[];
  /** Promised date = order time + lead days, when no better date is known. */
  leadDays: number;
  /** The merchant's reminder comes this many days before the promised date; 0 turns it off. */
  reminderDays: number;
  /** Final deadline in days after the order; above 30 it only applies when `consentRecorded`. */
  deadlineDays: number;
  /** The merchant records that customers agreed to a deadline beyond the 30-day legal ceiling. */
  consentRecorded: boolean;
  expiryAction: ExpiryAction;
  /** Most units an item may have on backorder; null means no cap. */
  backorderCap: number | null;
  /** Per-item caps (keyed by item id) that replace `backorderCap`; null lifts the cap for that item. */
  variantCaps: Readonly<Record<string, number | null>>;
}

export const DEFAULT_SETTINGS: Settings = Object.freeze({
  allocationPolicy: "fifo",
  priorityTags: [],
  allocationWindow: "immediate",
  partialShipment: "ship_available",
  thresholdPercent: 50,
  neverSplitProductIds: [],
  leadDays: 14,
  reminderDays: 3,
  deadlineDays: 30,
  consentRecorded: false,
  expiryAction: "cancel",
  backorderCap: null,
  variantCaps: {},
});

export const LOST_REASONS = [
  "deadline",
  "customer_cancelled",
  "merchant_cancelled",
  "cap_reached",
  // No yes by the reply date of a delay notice that needed one (app/domain/delay-rule.ts).
  "no_consent",
] as const;
export type LostReason = (typeof LOST_REASONS)[number];

export type NoticeKind = "reminder" | "delay_notice" | "expire";

/**
 * A customer's agreement to wait until `until`: an explicit record, or a first delay notice's revised date where
 * the Mail Order Rule lets silence count (app/domain/delay-rule.ts).
 */
export interface Consent {
  recordedAt: number;
  until: number;
}

/**
 * One order line as the engine tracks it over its life. Always
 * `ordered = shipped + reserved + backordered + lost`.
 */
export interface BackorderLine {
  lineId: string;
  orderId: string;
  itemId: string;
  productId: string;
  /** Unit price, used for lost revenue. */
  price: number;
  orderedAt: number;
  /** Tie-breaker after order time: the line's position in arrival order. */
  arrival: number;
  /** Order and customer tags, for `priority`. */
  tags: readonly string[];
  /** The order's own ship-by date, for `earliest_deadline`. */
  shipBy: number | null;
  ordered: number;
  /** Units released for fulfilment. */
  shipped: number;
  /** Units allocated to the line but held (the order is not ready to ship yet). */
  reserved: number;
  /** Units still waiting for stock. */
  backordered: number;
  lost: number;
  /** The first reason units of this line were lost; `losses` has every loss. */
  lostReason: LostReason | null;
  losses: readonly LostUnits[];
  /** Set when the line first waits for stock. */
  promisedAt: number | null;
  consent: Consent | null;
  /** Timeline notices already issued, so that issuing them again is a no-op. */
  notices: readonly NoticeKind[];
  /** When units of the line were last released for fulfilment; null until the first release. */
  lastShippedAt: number | null;
}

export interface LostUnits {
  reason: LostReason;
  quantity: number;
  at: number;
}
