/** Times are epoch milliseconds (UTC); an "item" is a variant's inventory item, in the simulator a SKU. */

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

export interface Settings {
  allocationPolicy: AllocationPolicy;
  /** Matched case-insensitively against order and customer tags. */
  priorityTags: readonly string[];
  allocationWindow: AllocationWindow;
  partialShipment: PartialShipment;
  thresholdPercent: number;
  neverSplitProductIds: readonly string[];
  leadDays: number;
  reminderDays: number;
  /** Above 30 it only applies when `consentRecorded`. */
  deadlineDays: number;
  consentRecorded: boolean;
  expiryAction: ExpiryAction;
  backorderCap: number | null;
  /** Replace `backorderCap`; null lifts the cap for that item. */
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

export interface Consent {
  recordedAt: number;
  until: number;
}

/** Always `ordered = shipped + reserved + backordered + lost`. */
export interface BackorderLine {
  lineId: string;
  orderId: string;
  itemId: string;
  productId: string;
  price: number;
  orderedAt: number;
  arrival: number;
  tags: readonly string[];
  shipBy: number | null;
  ordered: number;
  shipped: number;
  reserved: number;
  backordered: number;
  lost: number;
  lostReason: LostReason | null;
  losses: readonly LostUnits[];
  promisedAt: number | null;
  consent: Consent | null;
  notices: readonly NoticeKind[];
  lastShippedAt: number | null;
}

export interface LostUnits {
  reason: LostReason;
  quantity: number;
  at: number;
}
