import { allocate } from "../domain";
import {
  applyLineChanges,
  findHeldLinesOnFulfillmentOrder,
  findOpenLinesForItem,
  findPendingAllocation,
  savePendingAllocation,
  type BackorderLineRow,
} from "../models/backorders.server";
import { BackorderWaitingOrdersDocument } from "../shopify/generated/operations";
import { checkCaps } from "./caps.server";
import type { Pipeline } from "./pipeline.server";
import { byPlacement, engineLine, engineSettings } from "./records-for-engine";
import { redateItem } from "./dates.server";
import { moveFulfillmentOrder } from "./apply";
import { fulfillmentOrdersRestructured, processOrder } from "./orders.server";
import { shipOrders } from "./shipping.server";
import { readInventory, type InventorySnapshot } from "./reads/inventory.server";
import { readOrder } from "./reads/orders.server";
import type { OrderSnapshot } from "./reads/snapshot";

export type AllocationTrigger = "stock_changed" | "cutoff" | "manual" | "reconcile";

export type AllocationOutcome =
  | { kind: "waiting_for_cutoff" }
  | { kind: "item_not_found" }
  | { kind: "nothing_to_allocate"; reason: "no_supply" | "no_waiting_lines" }
  | { kind: "allocated"; supply: number; units: number; orders: number; releasedUnits: number };

/**
 * Free units = Shopify's `available` + the units the app holds as backordered (committed, no stock behind them).
 * The grants are noted before the first release: an interrupted allocation is finished with its own grants first,
 * since stock Shopify already let ship must not be shared again (docs/decisions/0018-effects-once.md).
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
  let waiting = await waitingLines(p, inventoryItemId);
  if (waiting.length === 0) return { kind: "nothing_to_allocate", reason: "no_waiting_lines" };
  const settings = engineSettings(p.settings);
  // Stock is shared per location: units at one location never release a fulfillment order waiting at another,
  // unless the merchant lets the app move it there. Lines recorded before the app kept their location (null)
  // share the item's total, as they always did.
  if (p.settings.moveToStock && (await moveToStock(p, inventory, waiting))) {
    waiting = await waitingLines(p, inventoryItemId);
  }
  const byLocation = linesByLocation(waiting);
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

async function waitingLines(p: Pipeline, inventoryItemId: string): Promise<BackorderLineRow[]> {
  const rows = await findOpenLinesForItem(p.db, p.shop, inventoryItemId);
  return rows.filter((row) => row.backorderedQty > 0).sort(byPlacement);
}

function linesByLocation(rows: readonly BackorderLineRow[]): Map<string | null, BackorderLineRow[]> {
  const byLocation = new Map<string | null, BackorderLineRow[]>();
  for (const row of rows) byLocation.set(row.locationId, [...(byLocation.get(row.locationId) ?? []), row]);
  return byLocation;
}

/**
 * Only a fulfillment order carrying nothing but this line's waiting units moves whole (`fulfillmentOrderMove` keeps
 * its id and holds), so no other line changes location with it.
 */
async function moveToStock(p: Pipeline, inventory: InventorySnapshot, waiting: BackorderLineRow[]): Promise<boolean> {
  const spare = new Map([...inventory.availableAt].filter(([, available]) => available > 0));
  if (spare.size === 0) return false;
  const settings = engineSettings(p.settings);
  const candidates: BackorderLineRow[] = [];
  for (const [locationId, lines] of linesByLocation(waiting)) {
    const available = locationId === null ? 0 : (inventory.availableAt.get(locationId) ?? 0);
    if (locationId === null || available >= 0) continue;
    const result = allocate(
      available + lines.reduce((n, row) => n + row.backorderedQty, 0),
      lines.map((row, arrival) => ({ ...engineLine(row, arrival), remaining: row.backorderedQty })),
      settings,
    );
    const granted = new Set(result.kind === "nothing_to_allocate" ? [] : result.grants.map((g) => g.lineId));
    candidates.push(...lines.filter((row) => !granted.has(row.lineItemId) && row.reservedQty === 0 && row.holdId));
  }
  let moved = false;
  for (const row of candidates.sort(byPlacement)) {
    const target = [...spare].filter(([, units]) => units >= row.backorderedQty).sort((a, b) => b[1] - a[1])[0];
    if (!target || !row.fulfillmentOrderId || !row.locationId) continue;
    const onIt = await findHeldLinesOnFulfillmentOrder(p.db, p.shop, row.fulfillmentOrderId);
    if (onIt.length !== 1 || onIt[0]!.id !== row.id) continue;
    const movedId = await moveFulfillmentOrder(p, row.fulfillmentOrderId, target[0]);
    if (!movedId) continue;
    await applyLineChanges(
      p.db,
      p.shop,
      [{ id: row.id, change: { fulfillmentOrderId: movedId, locationId: target[0] } }],
      [],
    );
    // The committed units went with it: `available` rises where it waited and falls where it went.
    inventory.availableAt.set(row.locationId, (inventory.availableAt.get(row.locationId) ?? 0) + row.backorderedQty);
    inventory.availableAt.set(target[0], target[1] - row.backorderedQty);
    spare.set(target[0], target[1] - row.backorderedQty);
    moved = true;
  }
  return moved;
}

/** Another order placed after it may have taken units it should have had, or a restock was not shared yet. */
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

/** Compared by quantities, not `updatedAt`: Shopify's times are to the second. */
async function settleChangedOrders(p: Pipeline, rows: readonly BackorderLineRow[]): Promise<void> {
  const orderIds = [...new Set(rows.map((row) => row.orderId))];
  // 25 orders per call keeps the query under Shopify's 1000-point limit.
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
