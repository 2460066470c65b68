import { inventoryLevelPayload } from "../webhooks/payloads";
import type { Runtime } from "./runtime";
import { emptyQuantities, levelKey, type InventoryLevel, type Shop, type StoredQuantityName } from "./state";

export function levelOf(shop: Shop, inventoryItemId: number, locationId: number): InventoryLevel | undefined {
  return shop.levels.get(levelKey(inventoryItemId, locationId));
}

/** Stocks an item at a location (Shopify's "activate inventory"), with zero quantities. */
export function activateLevel(rt: Runtime, shop: Shop, inventoryItemId: number, locationId: number): InventoryLevel {
  const existing = levelOf(shop, inventoryItemId, locationId);
  if (existing) return existing;
  const now = rt.clock.iso();
  const level: InventoryLevel = {
    __typename: "InventoryLevel",
    inventoryItemId,
    locationId,
    quantities: emptyQuantities(),
    createdAt: now,
    updatedAt: now,
  };
  shop.levels.set(levelKey(inventoryItemId, locationId), level);
  return level;
}

/**
 * Moves one named quantity. `available` changes fire `inventory_levels/update`, whose payload carries
 * only `available` (Shopify's published sample), so other states change silently.
 */
export function changeQuantity(
  rt: Runtime,
  shop: Shop,
  level: InventoryLevel,
  name: StoredQuantityName,
  delta: number,
): void {
  if (delta === 0) return;
  level.quantities[name] += delta;
  level.updatedAt = rt.clock.iso();
  const item = shop.inventoryItems.get(level.inventoryItemId);
  if (item) item.updatedAt = level.updatedAt;
  if (name === "available") {
    rt.emit(shop, "inventory_levels/update", () => inventoryLevelPayload(level));
  }
}

/** Total `available` of an item over every location (REST's `inventory_quantity`). */
export function totalAvailable(shop: Shop, inventoryItemId: number): number {
  let total = 0;
  for (const location of shop.locations) {
    total += levelOf(shop, inventoryItemId, location.id)?.quantities.available ?? 0;
  }
  return total;
}
