/** Shared by the shop's settings and the simulator's scenarios, so a figure one accepts the other does too. */
export const SETTINGS_LIMITS = Object.freeze({
  maxUnits: 1_000_000,
  maxDays: 365,
  maxReminderDays: 30,
  maxListed: 1_000,
  maxPriorityTags: 10,
});
