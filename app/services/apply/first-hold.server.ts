import { flowEventStatus, settleFlowEvents } from "../../models/flow-events.server";
import { applyOnce } from "../../models/ledger.server";
import type {
  FulfillmentOrderHoldInput,
  MetafieldInput,
  MetafieldsSetInput,
  OrderInput,
} from "../../shopify/generated/admin.types";
import { BackorderHoldDocument, BackorderOrderUpdateDocument } from "../../shopify/generated/operations";
import type { UserError } from "../../shopify/gateway.server";
import type { Pipeline } from "../pipeline.server";
import { FLOW_TRIGGERS, flowEvent } from "./flow.server";
import { mayHaveApplied, unwrap } from "./user-errors";

/** What rides with an order's first hold, in the same request; alone (orderUpdate) when nothing is held. */
export interface FirstHoldExtras {
  /** tagsAdd, never orderUpdate's `tags`, which replaces the list and would drop a tag the merchant added since. */
  tags: string[] | null;
  orderMetafields: MetafieldInput[];
  variantDates: MetafieldsSetInput[];
  created: Record<string, unknown> | null;
}

export type CreatedEvent = Awaited<ReturnType<typeof createdEventToSend>>;

/**
 * An event left `sending` counts as sent if the app's hold is on the order (mutation fields run in order, the
 * trigger right after the hold); with no hold of the app, the request never ran and the event goes again.
 */
export async function createdEventToSend(p: Pipeline, orderId: string, extras: FirstHoldExtras, priorHold: boolean) {
  const [event] = extras.created ? await flowEvent(p, FLOW_TRIGGERS.created, orderId, extras.created) : [];
  if (!event) return { event: null, send: false, queue: false };
  const status = await flowEventStatus(p.db, p.shop, event.key);
  if (status === "sending" && priorHold) await settleFlowEvents(p.db, p.shop, { sent: [event.key] }, p.now());
  return { event, send: status === null || (status === "sending" && !priorHold), queue: status === null };
}

export async function settleCreatedEvent(p: Pipeline, key: string, data: unknown): Promise<void> {
  const payload = (data as { flowTriggerReceive?: { userErrors?: UserError[] } | null } | undefined)
    ?.flowTriggerReceive;
  if (!payload) return;
  const errors = payload.userErrors ?? [];
  await settleFlowEvents(
    p.db,
    p.shop,
    errors.length === 0 ? { sent: [key] } : { refused: [{ key, error: JSON.stringify(errors) }] },
    p.now(),
  );
}

export async function firstHoldRequest(
  p: Pipeline,
  orderId: string,
  fulfillmentOrderId: string,
  hold: FulfillmentOrderHoldInput,
  extras: FirstHoldExtras,
  notify: boolean,
  eventKey: string | undefined,
) {
  return p.admin
    .mutate(
      BackorderHoldDocument,
      {
        fulfillmentOrderId,
        hold,
        order: orderInput(orderId, extras),
        orderId,
        addTags: extras.tags ?? [],
        tagOrder: extras.tags !== null && extras.tags.length > 0,
        variantDates: extras.variantDates,
        setVariantDates: extras.variantDates.length > 0,
        notify,
        flowPayload: extras.created,
      },
      // With the trigger in it, a request whose answer is lost is not sent again (see createdEventToSend).
      { repeatable: !notify },
    )
    .catch(async (error: unknown) => {
      if (notify && !mayHaveApplied(error)) await settleFlowEvents(p.db, p.shop, { unsent: [eventKey!] }, p.now());
      throw error;
    });
}

function orderInput(orderId: string, extras: FirstHoldExtras): OrderInput {
  return { id: orderId, metafields: extras.orderMetafields };
}

export async function updateOrder(
  p: Pipeline,
  key: string,
  orderId: string,
  extras: FirstHoldExtras,
): Promise<string | null> {
  return applyOnce(p.db, p.shop, key, "order_update", async () => {
    const result = await p.admin.mutate(BackorderOrderUpdateDocument, {
      orderId,
      addTags: extras.tags ?? [],
      tagOrder: extras.tags !== null && extras.tags.length > 0,
      order: orderInput(orderId, extras),
    });
    return unwrap("orderUpdate", result).orderUpdate?.order?.updatedAt ?? null;
  });
}
