import {
  BackorderInventoryItemDocument,
  BackorderItemLevelsDocument,
  BackorderItemLevelsPageDocument,
} from "../../shopify/generated/operations";
import type { AdminGateway } from "../../shopify/gateway.server";
import { stockLevel, type StockLevel } from "./snapshot";

/** Five items per call, then page by page where an item has more than ten. */
export async function readItemLevels(
  admin: AdminGateway,
  inventoryItemIds: readonly string[],
): Promise<Map<string, StockLevel[]>> {
  const levels = new Map<string, StockLevel[]>();
  for (let start = 0; start < inventoryItemIds.length; start += 5) {
    const data = await admin.query(BackorderItemLevelsDocument, { ids: inventoryItemIds.slice(start, start + 5) });
    for (const node of data.nodes) {
      if (!node || !("inventoryLevels" in node)) continue;
      const found = node.inventoryLevels.nodes.map(stockLevel);
      let page = node.inventoryLevels.pageInfo;
      while (page.hasNextPage) {
        const next = await admin.query(BackorderItemLevelsPageDocument, { id: node.id, after: page.endCursor ?? null });
        if (!next.inventoryItem) break;
        found.push(...next.inventoryItem.inventoryLevels.nodes.map(stockLevel));
        page = next.inventoryItem.inventoryLevels.pageInfo;
      }
      levels.set(node.id, found);
    }
  }
  return levels;
}

export interface InventorySnapshot {
  inventoryItemId: string;
  tracked: boolean;
  variantId: string | null;
  productId: string | null;
  policy: "CONTINUE" | "DENY";
  available: number;
  availableAt: Map<string, number>;
  onHand: number;
  committed: number;
  incoming: number;
}

export async function readInventory(admin: AdminGateway, inventoryItemId: string): Promise<InventorySnapshot | null> {
  const data = await admin.query(BackorderInventoryItemDocument, { id: inventoryItemId });
  const item = data.inventoryItem;
  if (!item) return null;
  const totals = { available: 0, on_hand: 0, committed: 0, incoming: 0 };
  const availableAt = new Map<string, number>();
  for (const level of item.inventoryLevels.nodes) {
    availableAt.set(level.location.id, level.quantities.find((q) => q.name === "available")?.quantity ?? 0);
    for (const quantity of level.quantities) {
      if (quantity.name in totals) totals[quantity.name as keyof typeof totals] += quantity.quantity;
    }
  }
  if (item.inventoryLevels.pageInfo.hasNextPage) {
    // Per-location stock must see every location: the rest of the levels, paged. Only `available` and
    // `committed` of those are added to the totals (`on_hand` and `incoming` stay the first page's).
    const all = (await readItemLevels(admin, [item.id])).get(item.id) ?? [];
    for (const level of all.slice(item.inventoryLevels.nodes.length)) {
      totals.available += level.available;
      totals.committed += level.committed;
    }
    for (const level of all) availableAt.set(level.locationId, level.available);
  }
  return {
    inventoryItemId: item.id,
    tracked: item.tracked,
    variantId: item.variant.id,
    productId: item.variant.product.id,
    policy: item.variant.inventoryPolicy === "DENY" ? "DENY" : "CONTINUE",
    available: totals.available,
    availableAt,
    onHand: totals.on_hand,
    committed: totals.committed,
    incoming: totals.incoming,
  };
}
