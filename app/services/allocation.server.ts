import { allocate } from "../domain";
import {
  findOpenLinesForItem,
  findPendingAllocation,
  savePendingAllocation,
  type BackorderLineRow,
} from "../models/backorders.server";
import { BackorderWaitingOrdersDocument } from "../shopify/generated/operations";
import { checkCaps } from "./caps.server";
import type { Pipeline } from "./context.server";
import { byPlacement, engineLine, engineSettings } from "./engine-input";
import { redateItem } from "./dates.server";
import { fulfillmentOrdersRestructured, processOrder } from "./orders.server";
import { shipOrders } from "./shipping.server";
import { readInventory, readOrder, type OrderSnapshot } from "./shopify-reads.server";

export type AllocationTrigger = "stock_changed" | "cutoff" | "manual" | "reconcile";

export type AllocationOutcome =
  | { kind: "waiting_for_cutoff" }
  | { kind: "item_not_found" }
  | { kind: "nothing_to_allocate"; reason: "no_supply" | "no_waiting_lines" }
  | { kind: "allocated"; supply: number; units: number; orders: number; releasedUnits: number };

/**
 * Shares an item's free units among the lines waiting for it, under the shop's policy, then releases on
 * Shopify what may ship. Free units = Shopify's `available` (re-read now) + the units the app holds as
 * backordered: those are committed on Shopify but have no stock behind them. The grants are noted before the
 * first release and settled with the records: an allocation interrupted in between is finished with its own
 * grants first, since stock Shopify already let ship must not be shared again (docs/decisions/0018).
 */
export async function allocateItem(
  p: Pipeline,
  inventoryItemId: string,
  trigger: AllocationTrigger,
): Promise<AllocationOutcome> {
  const pending = await findPendingAllocation(p.db, p.shop, inventoryItemId);
  if (pending) await shipOrders(p, pending.orderIds, pending.grants, inventoryItemId);
  if (p.settings.allocationWindow === "batch" && (trigger === "stock_changed" || trigger === "reconcile")) {
    return { kind: "waiting_for_cutoff" };
  }
  const inventory = await readInventory(p.admin, inventoryItemId);
  if (!inventory) return { kind: "item_not_found" };
  await settleChangedOrders(p, await findOpenLinesForItem(p.db, p.shop, inventoryItemId));
  const rows = await findOpenLinesForItem(p.db, p.shop, inventoryItemId);
  const waiting = rows.filter((row) => row.backorderedQty > 0).sort(byPlacement);
  if (waiting.length === 0) return { kind: "nothing_to_allocate", reason: "no_waiting_lines" };
  const settings = engineSettings(p.settings);
  // Stock is shared per location: units at one location never release a fulfillment order waiting at another.
  // Lines recorded before the app kept their location (null) share the item's total, as they always did.
  const byLocation = new Map<string | null, BackorderLineRow[]>();
  for (const row of waiting) byLocation.set(row.locationId, [...(byLocation.get(row.locationId) ?? []), row]);
  const grants = new Map<string, number>();
  let supply = 0;
  let used = 0;
  for (const [locationId, lines] of byLocation) {
    const available = locationId === null ? inventory.available : (inventory.availableAt.get(locationId) ?? 0);
    const locationSupply = available + lines.reduce((n, row) => n + row.backorderedQty, 0);
    supply += Math.max(0, locationSupply);
    const result = allocate(
      locationSupply,
      lines.map((row, arrival) => ({ ...engineLine(row, arrival), remaining: row.backorderedQty })),
      settings,
    );
    if (result.kind === "nothing_to_allocate") continue;
    for (const grant of result.grants) grants.set(grant.lineId, grant.quantity);
    used += result.used;
  }
  if (grants.size === 0) return { kind: "nothing_to_allocate", reason: "no_supply" };

  const orderIds = [...new Set(waiting.filter((row) => grants.has(row.lineItemId)).map((row) => row.orderId))];
  await savePendingAllocation(p.db, p.shop, inventoryItemId, grants);
  const releasedUnits = await shipOrders(p, orderIds, grants, inventoryItemId);

  // Lines left waiting keep true dates (a restock early moves theirs sooner), and so does the storefront's.
  if (inventory.variantId) {
    await redateItem(
      p,
      { inventoryItemId, variantId: inventory.variantId, productId: inventory.productId },
      `allocated:${p.now().toISOString()}`,
    );
  }
  await checkCaps(p, [
    { variantId: inventory.variantId!, productId: inventory.productId, inventoryItemId, policy: inventory.policy },
  ]);
  return { kind: "allocated", supply, units: used, orders: orderIds.length, releasedUnits };
}

/**
 * Right after an order was detected: when the stock it saw was not all spoken for (another order placed
 * after it took units it should have had, or a restock not shared yet), share it now rather than wait for
 * the next inventory webhook. Uses the levels the order read returned: no call unless there is supply.
 */
export async function allocateFreeStock(p: Pipeline, order: OrderSnapshot): Promise<AllocationOutcome[]> {
  if (p.settings.allocationWindow !== "immediate") return [];
  const outcomes: AllocationOutcome[] = [];
  const seen = new Set<string>();
  for (const line of order.lines) {
    if (!line.inventoryItemId || !line.tracked || seen.has(line.inventoryItemId)) continue;
    seen.add(line.inventoryItemId);
    // Free stock at a location where lines wait: the units the app holds as backordered there plus its `available`.
    const rows = (await findOpenLinesForItem(p.db, p.shop, line.inventoryItemId)).filter(
      (row) => row.backorderedQty > 0,
    );
    const free = [...new Set(rows.map((row) => row.locationId))].some((locationId) => {
      const waiting = rows.filter((row) => row.locationId === locationId).reduce((n, row) => n + row.backorderedQty, 0);
      const available =
        locationId === null ? line.available : line.levels?.find((level) => level.locationId === locationId)?.available;
      // Levels the read did not reach: allocateItem reads them (one call) and finds out.
      return available === undefined || available + waiting > 0;
    });
    if (free) outcomes.push(await allocateItem(p, line.inventoryItemId, "manual"));
  }
  return outcomes;
}

/**
 * Syncs any waiting order whose units changed on Shopify (cancelled, or edited down) before its webhook was
 * processed. Compared by quantities, not `updatedAt`: Shopify's times are to the second.
 */
async function settleChangedOrders(p: Pipeline, rows: readonly BackorderLineRow[]): Promise<void> {
  const orderIds = [...new Set(rows.map((row) => row.orderId))];
  // 25 orders per call: about 750 requested points, under Shopify's 1000 for one query.
  for (let start = 0; start < orderIds.length; start += 25) {
    const data = await p.admin.query(BackorderWaitingOrdersDocument, { ids: orderIds.slice(start, start + 25) });
    for (const node of data.nodes) {
      if (!node || !("lineItems" in node)) continue;
      // More lines or fulfillment orders than the page holds: the order is read whole, page by page.
      const whole =
        node.lineItems.pageInfo.hasNextPage || node.fulfillmentOrders.pageInfo.hasNextPage
          ? await readOrder(p.admin, node.id)
          : null;
      const lines = whole
        ? whole.lines.map((line) => ({ id: line.id, quantity: line.quantity }))
        : node.lineItems.nodes.map((line) => ({ id: line.id, quantity: line.currentQuantity }));
      const locations = new Map(
        whole
          ? whole.fulfillmentOrders.map((fo) => [fo.id, fo.locationId])
          : node.fulfillmentOrders.nodes.map((fo) => [fo.id, fo.assignedLocation.location?.id ?? null]),
      );
      const own = rows.filter((row) => row.orderId === node.id);
      const shrunk = own.some((row) => {
        const line = lines.find((candidate) => candidate.id === row.lineItemId);
        return (line?.quantity ?? 0) < row.quantity - row.lostQty;
      });
      // Its fulfillment order is gone or at another location (moved, merged) before that webhook was processed.
      const moved = own.find((row) => {
        if (row.fulfillmentOrderId === null || row.locationId === null) return false;
        return (locations.get(row.fulfillmentOrderId) ?? null) !== row.locationId;
      });
      if (node.cancelledAt || shrunk) await processOrder(p, whole ?? (await readOrder(p.admin, node.id)));
      else if (moved) await fulfillmentOrdersRestructured(p, [moved.fulfillmentOrderId!]);
    }
  }
}
