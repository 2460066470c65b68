import { findOpenLinesForItem } from "../../../models/backorders.server";
import { allocateItem } from "../../allocation.server";
import { incomingChanged } from "../../dates.server";
import type { Pipeline } from "../../pipeline.server";
import { IncomingPayloads, inventoryItemGid, parseWebhookPayload, type IncomingTopic } from "../../webhook-payloads";
import type { WebhookTopicWork } from "../work";

export const STOCK_WEBHOOKS: Record<string, WebhookTopicWork> = {
  "inventory_levels/update": async (p, raw) => {
    const item = inventoryItemGid(raw);
    const waiting = (await findOpenLinesForItem(p.db, p.shop, item)).reduce((n, row) => n + row.backorderedQty, 0);
    if (waiting === 0) return { kind: "nothing_to_allocate", reason: "no_waiting_lines" };
    // Every order's own commit fires this topic too. When the level it reports leaves no free unit, there
    // is nothing to share and no Admin call is made; a later (or reconciled) level that does is re-read.
    const { available } = parseWebhookPayload("inventory_levels/update", raw);
    if (available !== null && available + waiting <= 0) return { kind: "nothing_to_allocate", reason: "no_supply" };
    return allocateItem(p, item, "stock_changed");
  },

  // Stock on its way changed: the items it carries are read again and their lines re-dated (decision 0019).
  ...Object.fromEntries(
    (Object.keys(IncomingPayloads) as IncomingTopic[]).map((topic) => [
      topic,
      (p: Pipeline, raw: string) => incomingChanged(p, parseWebhookPayload(topic, raw)),
    ]),
  ),
};
