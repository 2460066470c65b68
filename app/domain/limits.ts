/**
 * Upper bounds on the settings, shared by the merchant's settings (app/models/settings.server.ts) and the
 * simulator's scenarios (app/simulator/scenario.ts), so a figure one accepts the other does too. They keep every
 * figure in a range a shop can mean: a backorder cap of 10^12 units is a typo, not a policy.
 */
export const SETTINGS_LIMITS = Object.freeze({
  /** Units on any cap (the shop's backorder cap, a variant's cap). */
  maxUnits: 1_000_000,
  /** Lead time and final deadline, in days after the order. */
  maxDays: 365,
  /** The reminder's days before the promised date. */
  maxReminderDays: 30,
  /** Entries in a list or map of products or variants. */
  maxListed: 1_000,
  maxPriorityTags: 10,
});
