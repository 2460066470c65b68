/** Shopify global ids: `gid://shopify/{Type}/{numeric id}`; REST payloads carry the numeric part. */
export function gid(type: string, id: number): string {
  return `gid://shopify/${type}/${id}`;
}

/** An inventory level's gid names its location and, as a query parameter, its inventory item. */
export function inventoryLevelGid(locationId: number, inventoryItemId: number): string {
  return `gid://shopify/InventoryLevel/${locationId}?inventory_item_id=${inventoryItemId}`;
}

export interface ParsedGid {
  type: string;
  id: number;
  /** For InventoryLevel: the inventory item id from the query string. */
  inventoryItemId?: number;
}

export function parseGid(value: unknown): ParsedGid | null {
  if (typeof value !== "string") return null;
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?inventory_item_id=(\d+))?$/.exec(value);
  if (!match) return null;
  const [, type, id, item] = match;
  return { type: type!, id: Number(id), ...(item ? { inventoryItemId: Number(item) } : {}) };
}

/** The numeric id of a gid of the given type, or null when the value is not such a gid. */
export function idOf(value: unknown, type: string): number | null {
  const parsed = parseGid(value);
  return parsed && parsed.type === type ? parsed.id : null;
}
