/**
 * What the app did to each order, read from Local Shopify's Admin request log: every hold, release, edit, refund
 * and cancel Shopify applied (answered 200 with no userErrors), by order name. Two runs of one scenario (clean,
 * with faults, with crashes) must show the same effects; a redelivered webhook or a retried job that acts twice
 * shows up here as one more effect. A refund replayed under its idempotency key is one refund (same id).
 */
import type { AdminLogEntry } from "../shopify-local/control/routes";

export const EFFECT_FIELDS = {
  fulfillmentOrderHold: "hold",
  fulfillmentOrderReleaseHold: "release",
  orderEditCommit: "edit",
  refundCreate: "refund",
  orderCancel: "cancel",
} as const;

export type EffectKind = (typeof EFFECT_FIELDS)[keyof typeof EFFECT_FIELDS];

export interface Effect {
  kind: EffectKind;
  order: string;
  /** Shopify's id of what was made (a hold, a refund), or null: the same id twice is one effect, answered twice. */
  madeId: string | null;
  atMs: number;
}

/** What of Local Shopify's state ties an effect to its order. */
export interface EffectsState {
  orders: { id: number; name: string }[];
  fulfillmentOrders: { id: number; orderId: number }[];
  refunds: { id: number; orderId: number }[];
}

type Payload = Record<string, unknown> & { userErrors?: unknown[]; orderCancelUserErrors?: unknown[] };

const numeric = (gid: unknown) => (typeof gid === "string" ? Number(/\/(\d+)$/.exec(gid)?.[1]) : NaN);
const idOf = (value: unknown) => (value as { id?: unknown } | null | undefined)?.id;

/** The order a successful effect acted on, by the ids its answer (or, unaliased, its variables) carries. */
function orderIdOf(kind: EffectKind, payload: Payload, variables: Record<string, unknown>, state: EffectsState) {
  switch (kind) {
    case "hold":
    case "release":
      return state.fulfillmentOrders.find((fo) => fo.id === numeric(idOf(payload.fulfillmentOrder)))?.orderId;
    case "refund":
      return state.refunds.find((refund) => refund.id === numeric(idOf(payload.refund)))?.orderId;
    case "edit":
      return numeric(idOf(payload.order));
    case "cancel":
      return numeric(variables.orderId);
  }
}

export function effectsOf(log: readonly AdminLogEntry[], state: EffectsState): Effect[] {
  const names = new Map(state.orders.map((order) => [order.id, order.name]));
  const effects: Effect[] = [];
  for (const entry of log) {
    const data = (entry.answer as { data?: Record<string, Payload | null> } | null)?.data;
    if (entry.status !== 200 || !data) continue;
    for (const [key, field] of Object.entries(entry.fields)) {
      const kind = EFFECT_FIELDS[field as keyof typeof EFFECT_FIELDS];
      const payload = data[key];
      if (!kind || !payload) continue;
      if ((payload.userErrors ?? payload.orderCancelUserErrors ?? []).length > 0) continue;
      const name = names.get(orderIdOf(kind, payload, entry.variables as Record<string, unknown>, state) ?? NaN);
      if (!name) throw new Error(`a ${kind} at ${entry.at} (${entry.operation}.${key}) names no order Shopify has`);
      const made = kind === "hold" ? idOf(payload.fulfillmentHold) : kind === "refund" ? idOf(payload.refund) : null;
      effects.push({ kind, order: name, madeId: typeof made === "string" ? made : null, atMs: entry.atMs });
    }
  }
  return effects;
}

/** Per order, how many of each effect Shopify applied (an effect answered twice under one id counts once). */
export function effectCounts(effects: readonly Effect[]): Record<string, Partial<Record<EffectKind, number>>> {
  const seen = new Set<string>();
  const counts: Record<string, Partial<Record<EffectKind, number>>> = {};
  for (const effect of effects) {
    if (effect.madeId !== null) {
      if (seen.has(effect.madeId)) continue;
      seen.add(effect.madeId);
    }
    const order = (counts[effect.order] ??= {});
    order[effect.kind] = (order[effect.kind] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}
