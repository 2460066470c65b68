// The backorder engine: pure functions over plain data, the clock an argument; one transition per event.
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
export { deadlineSweep } from "./deadline-sweep";
export type { DeadlineSweepDecision, NoticeMessage, SweepCounts, SweptLine } from "./deadline-sweep";
export { DATE_SOURCES, fallbackDate, nextUnitDate, promisedDates } from "./dates";
export type { DatedLine, DateSettings, DateSource, IncomingBatch, LineDate, MerchantDate } from "./dates";
export { backorderCapFor, detect, placeOrder } from "./detect";
export type { LineDetection, OrderLineInput, StockBefore } from "./detect";
export { SETTINGS_LIMITS } from "./limits";
export { metrics } from "./metrics";
export { holdHandle, numericId, offers, releaseAction } from "./operations";
export { afterRemovalOperations, removeUnfilledDecision, unfilledRemovals } from "./removal";
export type { RemovalDecision, RemovalLine, RemovalReason, RemovedOrderLine } from "./removal";
export type {
  FlowTrigger,
  FulfillmentOrderLineQuantity,
  FulfillmentOrderState,
  Metafield,
  Operation,
  OrderDetected,
  ReleaseOperation,
  UnitRemoval,
} from "./operations";
export { APP_NAMESPACE, lineStatus, ORDER_KEY, orderMetafield } from "./order-status";
export type { LineStatus, OrderLineState } from "./order-status";
export { CAP_NOTE, newOrderDecision } from "./new-order-decision";
export type {
  HeldLine,
  NewHold,
  NewOrderDecision,
  NewOrderDecisionLine,
  NewOrderSnapshot,
  UnheldUnits,
} from "./new-order-decision";
export { newLineQuantities, planNewOrder, planNewOrderLines, stockKey } from "./new-order";
export type { NewLinePlan, NewLineQuantities, NewOrderLine } from "./new-order";
export type { Metrics, MetricsLine } from "./metrics";
export { findDrift } from "./reconcile";
export type { Drift, DriftInput, RecordedHold } from "./reconcile";
export { replay, replayAll } from "./replay";
export type { ReplayLine, ReplayResult, Scenario, ScenarioEvent, ScenarioItem } from "./replay";
export { grantToOrder, ordersReleasing, planShipment, shipGrants } from "./shipment";
export { holdsToConfirm, orderChanged } from "./sync";
export type { ChangedLine, OrderChange, OrderOnShopify, OutsideEvent, RecordedLine } from "./sync";
export type {
  GrantedLine,
  HoldReason,
  PartShippedMessage,
  ShipmentDecision,
  ShipmentLine,
  ShipmentPlan,
  ShippingDecision,
  ShippingEvent,
  ShippingLine,
  ShippingLineChange,
  ShippingSettings,
  ShippingSnapshot,
} from "./shipment";
export { addDays, DAY_MS, daysBetween } from "./time";
export * from "./types";
