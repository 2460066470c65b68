/**
 * Flow's lifecycle callback gives the extension's `name` as `flow_trigger_definition_id` in Shopify's example, so
 * either is accepted; test/pipeline/flow-extensions.test.ts checks this table against the extension TOMLs.
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

export function flowTriggerHandle(definitionId: string): FlowTriggerHandle | null {
  for (const [handle, name] of Object.entries(FLOW_TRIGGER_NAMES) as [FlowTriggerHandle, string][]) {
    if (definitionId === handle || definitionId === name) return handle;
  }
  return null;
}
