/**
 * The app's Shopify Flow triggers (extensions/flow-backorder-*): the handle flowTriggerReceive names, and the
 * extension's `name`, which is what Flow's lifecycle callback gives as `flow_trigger_definition_id` in
 * Shopify's example ("Add row to spreadsheet"); either is accepted there. test/pipeline/flow-extensions.test.ts
 * checks this table against the extension TOMLs.
 */
export const FLOW_TRIGGERS = {
  created: "backorder-created",
  allocated: "backorder-allocated",
  delayNotice: "backorder-delay-notice-due",
  cancelled: "backorder-cancelled",
} as const;

export type FlowTriggerHandle = (typeof FLOW_TRIGGERS)[keyof typeof FLOW_TRIGGERS];

export const FLOW_TRIGGER_NAMES: Readonly<Record<FlowTriggerHandle, string>> = {
  "backorder-created": "Backorder created",
  "backorder-allocated": "Backorder allocated",
  "backorder-delay-notice-due": "Backorder delay notice due",
  "backorder-cancelled": "Backorder cancelled",
};

/** The handle of the trigger a lifecycle callback names (by handle or by name, case as declared), or null. */
export function flowTriggerHandle(definitionId: string): FlowTriggerHandle | null {
  for (const [handle, name] of Object.entries(FLOW_TRIGGER_NAMES) as [FlowTriggerHandle, string][]) {
    if (definitionId === handle || definitionId === name) return handle;
  }
  return null;
}
