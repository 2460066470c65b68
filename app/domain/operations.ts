/**
 * What the app asks of Shopify, as plain data: the engine returns a list of these and `applyOperations`
 * (app/services/apply/index.ts) performs any list, each kind through its applier and the ledger, in the order that
 * module states. Ids are Shopify GIDs. Kinds still applied by their services one call at a time (fulfillment order
 * moves, variant policies, metafield deletes, holds outside detection) join here as their decisions move into the
 * engine.
 */

/** A fulfillment order line and a quantity of it, as Shopify's hold and release inputs take them. */
export interface FulfillmentOrderLineQuantity {
  id: string;
  quantity: number;
}

/** As `metafieldsSet` takes it; the value is already serialized. */
export interface Metafield {
  ownerId: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
}

/** Units taken off an order and refunded (docs/decisions/0013-refunds.md). */
export interface UnitRemoval {
  lineItemId: string;
  variantId: string | null;
  quantity: number;
  /** The line's quantity on Shopify once they are gone: a repeat that finds it already there refunds nothing. */
  targetQuantity: number;
  unitPriceCents: number;
}

/** The app's Flow triggers by name; the applier knows their handles (app/services/flow-triggers.ts). */
export type FlowTrigger = "created" | "allocated" | "delayNotice" | "cancelled";

/** What an order shows once detected; it rides with the order's first hold request (decision 0017). */
export interface OrderDetected {
  orderId: string;
  /** tagsAdd, only while the app's tag is missing: a merchant's tag change since the read is kept. */
  addTags: string[] | null;
  /** The order's status metafield, set by orderUpdate on the order itself. */
  orderMetafields: Metafield[];
  /** Storefront dates the app's ledger does not show as written yet. */
  variantDates: Metafield[];
  /** The created trigger's payload; null when no unit waits. */
  created: Record<string, unknown> | null;
  /** The app's hold was on the order when it was read: a request that carried the trigger did run. */
  heldBefore: boolean;
}

export type Operation =
  /** Take the units off the order and refund them; `key` names the decision (its refund's ledger key follows). */
  | { kind: "remove_units"; key: string; orderId: string; removals: UnitRemoval[]; note: string }
  /** Release the app's hold on a fulfillment order: all its units go to fulfilment. */
  | { kind: "release"; fulfillmentOrderId: string; holdId: string }
  /**
   * Release the hold, then hold again the units still waiting (`keep`) under the same handle. `held` is false on a
   * retry that finds the hold already released by the first step.
   */
  | {
      kind: "partial";
      fulfillmentOrderId: string;
      holdId: string;
      handle: string;
      keep: FulfillmentOrderLineQuantity[];
      held: boolean;
    }
  /**
   * Hold units of a fulfillment order under the app's handle (`holdHandle`); `lines` null holds it whole, as Shopify
   * takes a further hold only without line items (decision 0017).
   */
  | {
      kind: "hold";
      orderId: string;
      fulfillmentOrderId: string;
      handle: string;
      lines: FulfillmentOrderLineQuantity[] | null;
    }
  /** The first hold of the order in the list carries it; with no hold requested it goes alone (orderUpdate). */
  | ({ kind: "order_detected" } & OrderDetected)
  | { kind: "set_metafield"; metafield: Metafield }
  | { kind: "remove_tags"; orderId: string; tags: string[] }
  /** `subject` names the decision (with the trigger, the event's key), so a trigger goes out once. */
  | { kind: "flow"; trigger: FlowTrigger; subject: string; payload: Record<string, unknown> };

export type ReleaseOperation = Extract<Operation, { kind: "release" | "partial" }>;

/** A fulfillment order as Shopify shows it, what the engine needs of it. */
export interface FulfillmentOrderState {
  id: string;
  status: string;
  /** UNSUBMITTED unless a fulfillment service's location has (or had) the fulfillment request. */
  requestStatus: string;
  /** Shopify's `supportedActions`; null where the read left them out (an OPEN, UNSUBMITTED fulfillment order). */
  actions: readonly string[] | null;
  holds: readonly { id: string; handle: string | null; ours: boolean }[];
  lines: readonly { id: string; lineItemId: string; remaining: number }[];
}

export function offers(
  fo: Pick<FulfillmentOrderState, "status" | "requestStatus" | "actions">,
  action: "HOLD" | "RELEASE_HOLD" | "MOVE",
): boolean {
  return fo.actions === null ? fo.status === "OPEN" && fo.requestStatus === "UNSUBMITTED" : fo.actions.includes(action);
}

/**
 * Shopify's supportedActions offer no SPLIT on an ON_HOLD fulfillment order, so a partial release is release then
 * re-hold of the waiting units; a partial hold is refused while another holder's hold remains ("blocked").
 */
export function releaseAction(
  fo: FulfillmentOrderState,
  holdId: string,
  handle: string,
  keepByLine: ReadonlyMap<string, number>,
): ReleaseOperation | { kind: "blocked" } | null {
  const keep: FulfillmentOrderLineQuantity[] = [];
  let released = 0;
  for (const line of fo.lines) {
    const kept = Math.min(line.remaining, keepByLine.get(line.lineItemId) ?? 0);
    released += line.remaining - kept;
    if (kept > 0) keep.push({ id: line.id, quantity: kept });
  }
  if (released === 0) return null;
  const held = fo.holds.some((h) => h.id === holdId);
  // Shopify lists what it allows; an ON_HOLD fulfillment order always offers RELEASE_HOLD, but nothing is assumed.
  // A hold already gone (a partial release cut short after its first step) needs only the re-hold.
  if (!offers(fo, held ? "RELEASE_HOLD" : "HOLD")) return { kind: "blocked" };
  if (keep.length === 0) return { kind: "release", fulfillmentOrderId: fo.id, holdId };
  if (fo.holds.some((h) => !h.ours)) return { kind: "blocked" };
  return { kind: "partial", fulfillmentOrderId: fo.id, holdId, handle, keep, held };
}

/** One hold per fulfillment order per detection: the handle names both, so Shopify refuses a second one. */
export function holdHandle(orderId: string, fulfillmentOrderId: string): string {
  return `backorder-${numericId(orderId)}-${numericId(fulfillmentOrderId)}`;
}

/** Shopify's ids as the app stores them: the number at the end of the GID. */
export function numericId(gid: string): string {
  const match = /\/(\d+)$/.exec(gid);
  if (!match?.[1]) throw new Error(`not a Shopify GID: ${gid}`);
  return match[1];
}
