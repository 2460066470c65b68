/**
 * The backorder engine: pure functions over plain data. No I/O; times are epoch milliseconds and the clock is
 * always an argument. Everything an item's stock is counted on is an "item" (a variant's inventory item).
 *
 * - `detect(orderLines, stockBefore, settings)` → per line `{ shipNow, backordered, capReached, unmanaged }`.
 *   Lines of one order compete for an item in line order; untracked or DENY items are never backordered; units
 *   beyond the item's backorder cap are lost with reason `cap_reached`. `placeOrder` adds the allocation window: in
 *   a batch window every managed unit waits for the cut-off.
 * - `planShipment(orderLines, settings)` → `{ kind: "decisions", decisions }` of `release` (ship these units now)
 *   and `hold` (with a reason: awaiting_stock | ship_complete | below_threshold | never_split), or
 *   `{ kind: "nothing_to_do", reason: "order_settled" }`.
 * - `allocate(supply, waitingLines, settings)` → `{ kind: "allocated", grants, used, leftover }` or
 *   `{ kind: "nothing_to_allocate", reason }` for one item under the settings' policy; `allocateAll(supplyByItem,
 *   lines, settings)` re-plans every item. Deterministic, O(n log n), ties by order time then arrival position.
 * - `promisedDate`, `finalDeadline` (never past 30 days without recorded consent), `dueEvents(lines, settings,
 *   now)` → reminder | delay_notice | expire events; `recordNotices(line, events)` makes them idempotent;
 *   `nextDueAt(line, settings, now)` says when a line next needs a look.
 * - `delayDecision(ruleLine, settings, now)` → the Mail Order Rule for one line: the first delay notice (saying
 *   whether silence is consent), a renewed notice that needs a yes, a `no_consent` cancellation, or nothing;
 *   `sweepDecision` joins it with `dueEvents` for the deadline sweep.
 * - `promisedDates(waitingLines, incomingBatches, merchantDate, settings, now)` → per line the date it is promised
 *   and where it came from (`incoming` batch at its location in policy order, the merchant's date or lead days,
 *   the shop's lead days), never before now; `nextUnitDate` is the storefront's date for the next unit sold.
 * - `orderChanged(recordedLines, orderOnShopify, ownPartialReleases, now)` → `{ kind: "up_to_date" }` or the
 *   lines a change outside the app moved (units edited off are lost, units of a hold released elsewhere shipped),
 *   with their timeline events and lost sales; `holdsToConfirm` names the missing holds the ledger must vouch for.
 * - `findDrift({ holdsOnShopify, recorded, unseenOrderIds })` → what the reconciliation heals: the app's holds with no
 *   record, records whose hold is gone, recent orders never seen, and each such order once.
 * - `metrics(lines)` → fill rate, orders completed, customers served, mean/p95 wait, lost units and revenue.
 * - `replay(scenario, policy?)` / `replayAll(scenario)` run a scenario's events (order, allocate, restock,
 *   cancel, tick, consent) through all of the above: per line `{ orderId, sku, ordered, shipped, reserved,
 *   backordered, lost, lostReason }` with `ordered = shipped + reserved + backordered + lost`, plus metrics.
 *
 * The pipeline's flow: on a new order, `placeOrder` with the inventory levels read before it, then `planShipment` for
 * the holds; when supply appears (restock, cancellation, the batch cut-off), `allocate` the item's free units
 * among its waiting lines, then `planShipment` for each order touched, whose releases go to Shopify; a scheduled
 * sweep applies `sweepDecision` (the delay rule's notices and `no_consent` cancellations with `dueEvents`'
 * reminders and deadlines). `replay` is that flow over a scenario, sweeping at each time a line falls due.
 */
export { allocate, allocateAll } from "./allocate";
export type { AllocationResult, Grant, ItemWaitingLine, WaitingLine } from "./allocate";
export {
  dueEvents,
  finalDeadline,
  legalCeiling,
  LEGAL_CEILING_DAYS,
  nextDueAt,
  promisedDate,
  recordNotices,
} from "./deadlines";
export type { TimelineEvent, TimelineLine } from "./deadlines";
export {
  agreedUntil,
  delayDecision,
  nextSweepAt,
  NOTICE_LEAD_DAYS,
  replyDate,
  ruleLineOf,
  sentNotice,
  SILENCE_LIMIT_DAYS,
  sweepDecision,
} from "./delay-rule";
export type { DelayDecision, RuleLine, SentNotice, SweepDecision, SweepLine } from "./delay-rule";
export { DATE_SOURCES, fallbackDate, nextUnitDate, promisedDates } from "./dates";
export type { DatedLine, DateSettings, DateSource, IncomingBatch, LineDate, MerchantDate } from "./dates";
export { backorderCapFor, detect, placeOrder } from "./detect";
export type { LineDetection, OrderLineInput, StockBefore } from "./detect";
export { SETTINGS_LIMITS } from "./limits";
export { metrics } from "./metrics";
export type { Metrics, MetricsLine } from "./metrics";
export { findDrift } from "./reconcile";
export type { Drift, DriftInput, RecordedHold } from "./reconcile";
export { replay, replayAll } from "./replay";
export type { ReplayLine, ReplayResult, Scenario, ScenarioEvent, ScenarioItem } from "./replay";
export { planShipment } from "./shipment";
export { holdsToConfirm, orderChanged } from "./sync";
export type { ChangedLine, OrderChange, OrderOnShopify, OutsideEvent, RecordedLine } from "./sync";
export type { HoldReason, ShipmentDecision, ShipmentLine, ShipmentPlan } from "./shipment";
export { addDays, DAY_MS, daysBetween } from "./time";
export * from "./types";
