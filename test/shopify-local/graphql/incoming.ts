/**
 * Incoming stock in the Admin API: `inventoryTransfers` / `inventoryTransfer` / `inventoryShipment`, their
 * types, and `InventoryLevel.scheduledChanges`, over the records of store/incoming.ts. Searches take the
 * fields the 2026-10 descriptions list that the app uses (`product_variant_id`, `status`, `destination_id`,
 * `id`); any other is refused rather than ignored.
 */
import { GraphQLError } from "graphql";
import { gid, idOf } from "../ids";
import type {
  InventoryLevel,
  InventoryShipment,
  InventoryTransfer,
  Location,
  ScheduledChange,
  Shop,
} from "../store/state";
import { connection } from "./connection";
import type { Args, RequestContext, TypeResolvers } from "./context";

type ShipmentLine = InventoryShipment["lineItems"][number] & { __typename: "InventoryShipmentLineItem" };
type TransferLine = InventoryTransfer["lineItems"][number] & { __typename: "InventoryTransferLineItem" };

function snapshot(shop: Shop, locationId: number | null) {
  if (locationId === null) return null;
  const location = shop.locations.find((l) => l.id === locationId);
  return location
    ? { __typename: "LocationSnapshot", name: location.name, location, snapshottedAt: location.createdAt }
    : null;
}

function matchesTransfer(shop: Shop, transfer: InventoryTransfer, query: unknown): boolean {
  if (typeof query !== "string" || query.trim() === "") return true;
  return query
    .trim()
    .split(/\s+/)
    .filter((token) => token.toUpperCase() !== "AND")
    .every((token) => {
      const match = /^(\w+):["']?([^"']*)["']?$/.exec(token);
      if (!match) throw new GraphQLError(`Unsupported search term in the local Shopify: ${token}`);
      const [, field, value] = match as unknown as [string, string, string];
      const numeric = Number(/(\d+)$/.exec(value)?.[1]);
      switch (field) {
        case "status":
          return transfer.status.toLowerCase() === value.toLowerCase();
        case "destination_id":
          return transfer.destinationLocationId === numeric;
        case "id":
          return transfer.id === numeric;
        case "product_variant_id":
          return transfer.lineItems.some(
            (line) => shop.inventoryItems.get(line.inventoryItemId)?.variantId === numeric,
          );
        default:
          throw new GraphQLError(`Unsupported inventoryTransfers search field in the local Shopify: ${field}`);
      }
    });
}

const unreceived = (line: InventoryShipment["lineItems"][number]) => line.quantity - line.accepted - line.rejected;

export const incomingQueries = {
  inventoryTransfers: (_s: unknown, args: Args, ctx: RequestContext) =>
    connection(
      [...ctx.shop.inventoryTransfers.values()].filter((t) => matchesTransfer(ctx.shop, t, args.query)),
      args,
      ctx,
      (t) => t.id,
    ),
  inventoryTransfer: (_s: unknown, args: Args, ctx: RequestContext) =>
    ctx.shop.inventoryTransfers.get(idOf(args.id, "InventoryTransfer") ?? -1) ?? null,
  inventoryShipment: (_s: unknown, args: Args, ctx: RequestContext) =>
    ctx.shop.inventoryShipments.get(idOf(args.id, "InventoryShipment") ?? -1) ?? null,
};

export const incomingTypes: TypeResolvers = {
  InventoryTransfer: {
    id: (t: InventoryTransfer) => gid("InventoryTransfer", t.id),
    origin: (t: InventoryTransfer, _a: Args, ctx: RequestContext) => snapshot(ctx.shop, t.originLocationId),
    destination: (t: InventoryTransfer, _a: Args, ctx: RequestContext) => snapshot(ctx.shop, t.destinationLocationId),
    lineItems: (t: InventoryTransfer, args: Args, ctx: RequestContext) =>
      connection(
        t.lineItems.map((line): TransferLine => ({ ...line, __typename: "InventoryTransferLineItem" })),
        args,
        ctx,
        (line) => line.id,
      ),
    shipments: (t: InventoryTransfer, args: Args, ctx: RequestContext) =>
      connection(
        t.shipmentIds.flatMap((id) => ctx.shop.inventoryShipments.get(id) ?? []),
        args,
        ctx,
        (s) => s.id,
      ),
    totalQuantity: (t: InventoryTransfer) => t.lineItems.reduce((n, line) => n + line.quantity, 0),
    receivedQuantity: (t: InventoryTransfer, _a: Args, ctx: RequestContext) =>
      t.shipmentIds
        .flatMap((id) => ctx.shop.inventoryShipments.get(id)?.lineItems ?? [])
        .reduce((n, line) => n + line.accepted + line.rejected, 0),
    referenceName: () => null,
    note: () => null,
    tags: () => [],
    hasTimelineComment: () => false,
  },
  InventoryTransferLineItem: {
    id: (line: TransferLine) => gid("InventoryTransferLineItem", line.id),
    inventoryItem: (line: TransferLine, _a: Args, ctx: RequestContext) =>
      ctx.shop.inventoryItems.get(line.inventoryItemId) ?? null,
    totalQuantity: (line: TransferLine) => line.quantity,
    title: (line: TransferLine, _a: Args, ctx: RequestContext) => {
      const variant = ctx.shop.variants.get(ctx.shop.inventoryItems.get(line.inventoryItemId)?.variantId ?? -1);
      return variant ? (ctx.shop.products.get(variant.productId)?.title ?? null) : null;
    },
  },
  InventoryShipment: {
    id: (s: InventoryShipment) => gid("InventoryShipment", s.id),
    lineItems: (s: InventoryShipment, args: Args, ctx: RequestContext) =>
      connection(
        s.lineItems.map((line): ShipmentLine => ({ ...line, __typename: "InventoryShipmentLineItem" })),
        args,
        ctx,
        (line) => line.id,
      ),
    lineItemTotalQuantity: (s: InventoryShipment) => s.lineItems.reduce((n, line) => n + line.quantity, 0),
    totalAcceptedQuantity: (s: InventoryShipment) => s.lineItems.reduce((n, line) => n + line.accepted, 0),
    totalRejectedQuantity: (s: InventoryShipment) => s.lineItems.reduce((n, line) => n + line.rejected, 0),
    totalReceivedQuantity: (s: InventoryShipment) =>
      s.lineItems.reduce((n, line) => n + line.accepted + line.rejected, 0),
    barcode: () => null,
    tracking: (s: InventoryShipment) =>
      s.tracking ? { __typename: "InventoryShipmentTracking", ...s.tracking, trackingUrl: null } : null,
  },
  InventoryShipmentLineItem: {
    id: (line: ShipmentLine) => gid("InventoryShipmentLineItem", line.id),
    inventoryItem: (line: ShipmentLine, _a: Args, ctx: RequestContext) =>
      ctx.shop.inventoryItems.get(line.inventoryItemId) ?? null,
    acceptedQuantity: (line: ShipmentLine) => line.accepted,
    rejectedQuantity: (line: ShipmentLine) => line.rejected,
    unreceivedQuantity: (line: ShipmentLine) => unreceived(line),
  },
  InventoryScheduledChange: {
    inventoryLevel: (change: ScheduledChange & { level: InventoryLevel }) => change.level,
  },
  LocationSnapshot: {
    location: (snap: { location: Location }) => snap.location,
  },
};

/** `InventoryLevel.scheduledChanges`: deprecated in 2026-10 ("will be phased out"), still served. */
export function scheduledChangesOf(level: InventoryLevel, args: Args, ctx: RequestContext) {
  if (args.query !== undefined && args.query !== null && args.query !== "")
    throw new GraphQLError("The local Shopify does not implement scheduledChanges(query:) yet.");
  const changes = [...(level.scheduledChanges ?? [])]
    .sort((a, b) => a.expectedAt.localeCompare(b.expectedAt))
    .map((change) => ({ ...change, level }));
  return connection(changes, args, ctx, (change) => change.ledgerDocumentUri);
}
