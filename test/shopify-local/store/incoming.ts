/**
 * Stock on its way: inventory transfers with their shipments, and scheduled changes on inventory levels. A
 * shipment's units are `incoming` at the destination from the moment it is in transit until they are received
 * (then `available`), as Shopify's inventory states describe; a cancelled transfer or a deleted shipment takes
 * its unreceived units out of `incoming` again. Webhook payloads follow Shopify's samples for 2026-07.
 */
import { gid } from "../ids";
import { restTime } from "./shop-time";
import { activateLevel, changeQuantity, levelOf } from "./inventory";
import { InputError } from "./shops";
import type { Runtime } from "./runtime";
import type { InventoryShipment, InventoryTransfer, Shop } from "./state";

export interface ShipmentInput {
  originLocationId: number | null;
  destinationLocationId: number;
  lines: { inventoryItemId: number; quantity: number }[];
  /** `tracking.arrivesAt`; null when the merchant gave no estimate. */
  arrivesAt: string | null;
  trackingNumber?: string | null;
  company?: string | null;
}

/** The merchant creates a transfer with one shipment and marks it in transit (Shopify admin's "Ship"). */
export function shipTransfer(rt: Runtime, shop: Shop, input: ShipmentInput): InventoryShipment {
  if (input.lines.length === 0) throw new InputError("lines", "a shipment needs at least one line");
  for (const line of input.lines) {
    if (!shop.inventoryItems.has(line.inventoryItemId))
      throw new InputError("lines", `no inventory item ${line.inventoryItemId}`);
    if (line.quantity <= 0) throw new InputError("lines", "quantities must be positive");
  }
  const now = rt.clock.iso();
  const transfer: InventoryTransfer = {
    __typename: "InventoryTransfer",
    id: rt.id(),
    name: `#T${shop.inventoryTransfers.size + 1}`,
    status: "IN_PROGRESS",
    originLocationId: input.originLocationId,
    destinationLocationId: input.destinationLocationId,
    lineItems: input.lines.map((line) => ({ id: rt.id(), ...line })),
    shipmentIds: [],
    dateCreated: now,
  };
  const shipment: InventoryShipment = {
    __typename: "InventoryShipment",
    id: rt.id(),
    transferId: transfer.id,
    name: `${transfer.name}-1`,
    status: "IN_TRANSIT",
    tracking: {
      arrivesAt: input.arrivesAt,
      company: input.company ?? null,
      trackingNumber: input.trackingNumber ?? null,
    },
    lineItems: input.lines.map((line) => ({ id: rt.id(), ...line, accepted: 0, rejected: 0 })),
    dateCreated: now,
    dateShipped: now,
    dateReceived: null,
  };
  transfer.shipmentIds.push(shipment.id);
  shop.inventoryTransfers.set(transfer.id, transfer);
  shop.inventoryShipments.set(shipment.id, shipment);
  for (const line of shipment.lineItems) moveIncoming(rt, shop, shipment, line.inventoryItemId, line.quantity);
  rt.emit(shop, "inventory_shipments/create", () => ({
    id: gid("InventoryShipment", shipment.id),
    status: "DRAFT",
    happened_at: restTime(now),
    tracking: trackingPayload(shipment),
    line_items: shipment.lineItems.map((line) => ({
      id: gid("InventoryShipmentLineItem", line.id),
      quantity: line.quantity,
    })),
  }));
  rt.emit(shop, "inventory_shipments/mark_in_transit", () => ({
    id: gid("InventoryShipment", shipment.id),
    status: "IN_TRANSIT",
    happened_at: restTime(now),
  }));
  return shipment;
}

/** The carrier's estimate changes: a shipment slips (or comes sooner). */
export function updateTracking(rt: Runtime, shop: Shop, shipment: InventoryShipment, arrivesAt: string | null): void {
  shipment.tracking = { ...(shipment.tracking ?? { company: null, trackingNumber: null }), arrivesAt };
  const now = rt.clock.iso();
  rt.emit(shop, "inventory_shipments/update_tracking", () => ({
    shipment_id: gid("InventoryShipment", shipment.id),
    updated_tracking: trackingPayload(shipment),
    happened_at: restTime(now),
  }));
}

/** Units arrive and are accepted: `incoming` becomes `available` at the destination (inventory_levels/update fires). */
export function receiveShipment(
  rt: Runtime,
  shop: Shop,
  shipment: InventoryShipment,
  quantities: Map<number, number> | null,
): void {
  if (shipment.status === "RECEIVED") throw new InputError("shipment", "the shipment was already received");
  const transfer = shop.inventoryTransfers.get(shipment.transferId)!;
  const received: Record<string, unknown>[] = [];
  for (const line of shipment.lineItems) {
    const unreceived = line.quantity - line.accepted - line.rejected;
    const quantity = Math.min(unreceived, quantities?.get(line.inventoryItemId) ?? unreceived);
    if (quantity <= 0) continue;
    const old = line.accepted;
    line.accepted += quantity;
    moveIncoming(rt, shop, shipment, line.inventoryItemId, -quantity);
    const level = levelOf(shop, line.inventoryItemId, transfer.destinationLocationId)!;
    changeQuantity(rt, shop, level, "available", quantity);
    received.push({
      id: gid("InventoryShipmentLineItem", line.id),
      old_accepted_quantity: old,
      old_rejected_quantity: line.rejected,
      new_accepted_quantity: line.accepted,
      new_rejected_quantity: line.rejected,
      remaining_quantity_to_receive: line.quantity - line.accepted - line.rejected,
    });
  }
  const done = shipment.lineItems.every((line) => line.accepted + line.rejected >= line.quantity);
  shipment.status = done ? "RECEIVED" : "PARTIALLY_RECEIVED";
  const now = rt.clock.iso();
  if (done) shipment.dateReceived = now;
  if (done && transfer.shipmentIds.every((id) => shop.inventoryShipments.get(id)?.status === "RECEIVED"))
    transfer.status = "TRANSFERRED";
  rt.emit(shop, "inventory_shipments/receive_items", () => ({
    id: gid("InventoryShipment", shipment.id),
    status: shipment.status,
    items_received: received,
    happened_at: restTime(now),
  }));
}

/**
 * The merchant cancels a transfer. Refused once any unit was received (the stricter reading: Shopify's admin
 * offers cancelling only before stock arrived); the unreceived units leave `incoming`.
 */
export function cancelTransfer(rt: Runtime, shop: Shop, transfer: InventoryTransfer): void {
  if (transfer.status === "CANCELED" || transfer.status === "TRANSFERRED")
    throw new InputError("transfer", `the transfer is ${transfer.status.toLowerCase()}`);
  const shipments = transfer.shipmentIds.map((id) => shop.inventoryShipments.get(id)!).filter(Boolean);
  if (shipments.some((s) => s.lineItems.some((line) => line.accepted + line.rejected > 0)))
    throw new InputError("transfer", "units of the transfer were already received");
  for (const shipment of shipments) dropUnreceived(rt, shop, shipment);
  transfer.status = "CANCELED";
  const now = rt.clock.iso();
  rt.emit(shop, "inventory_transfers/cancel", () => ({
    id: gid("InventoryTransfer", transfer.id),
    happened_at: restTime(now),
    origin: transfer.originLocationId === null ? null : { id: gid("Location", transfer.originLocationId) },
    destination: { id: gid("Location", transfer.destinationLocationId) },
    status: "CANCELED",
  }));
}

/** The merchant deletes a shipment that has received nothing. */
export function deleteShipment(rt: Runtime, shop: Shop, shipment: InventoryShipment): void {
  if (shipment.lineItems.some((line) => line.accepted + line.rejected > 0))
    throw new InputError("shipment", "units of the shipment were already received");
  dropUnreceived(rt, shop, shipment);
  shop.inventoryShipments.delete(shipment.id);
  const transfer = shop.inventoryTransfers.get(shipment.transferId)!;
  transfer.shipmentIds = transfer.shipmentIds.filter((id) => id !== shipment.id);
  if (transfer.shipmentIds.length === 0) transfer.status = "READY_TO_SHIP";
  const now = rt.clock.iso();
  rt.emit(shop, "inventory_shipments/delete", () => ({
    id: gid("InventoryShipment", shipment.id),
    happened_at: restTime(now),
  }));
}

/** REST's tracking: the arrival in the shop's wall time and offset, like every payload time. */
function trackingPayload(shipment: InventoryShipment) {
  const arrivesAt = shipment.tracking?.arrivesAt ?? null;
  return {
    tracking_number: shipment.tracking?.trackingNumber ?? null,
    tracking_url: null,
    company: shipment.tracking?.company ?? null,
    arrives_at: restTime(arrivesAt),
  };
}

function dropUnreceived(rt: Runtime, shop: Shop, shipment: InventoryShipment): void {
  if (shipment.status === "DRAFT") return;
  for (const line of shipment.lineItems) {
    moveIncoming(rt, shop, shipment, line.inventoryItemId, -(line.quantity - line.accepted - line.rejected));
  }
}

function moveIncoming(rt: Runtime, shop: Shop, shipment: InventoryShipment, itemId: number, delta: number): void {
  const destination = shop.inventoryTransfers.get(shipment.transferId)!.destinationLocationId;
  const level = levelOf(shop, itemId, destination) ?? activateLevel(rt, shop, itemId, destination);
  changeQuantity(rt, shop, level, "incoming", delta);
}

/**
 * A scheduled change: units `incoming` at a level expected to become `available` at `expectedAt` (Shopify lets
 * apps and the admin record them against a ledger document, e.g. a purchase order). Recording the same ledger
 * document again replaces its change (quantity 0 removes it). No webhook announces them.
 */
export function scheduleIncoming(
  rt: Runtime,
  shop: Shop,
  input: {
    inventoryItemId: number;
    locationId: number;
    quantity: number;
    expectedAt: string;
    ledgerDocumentUri: string;
  },
): void {
  if (input.quantity < 0) throw new InputError("quantity", "must not be negative");
  const level =
    levelOf(shop, input.inventoryItemId, input.locationId) ??
    activateLevel(rt, shop, input.inventoryItemId, input.locationId);
  const others = (level.scheduledChanges ?? []).filter((c) => c.ledgerDocumentUri !== input.ledgerDocumentUri);
  const previous = (level.scheduledChanges ?? []).reduce(
    (n, c) => n + (c.ledgerDocumentUri === input.ledgerDocumentUri ? c.quantity : 0),
    0,
  );
  changeQuantity(rt, shop, level, "incoming", input.quantity - previous);
  const change = {
    __typename: "InventoryScheduledChange" as const,
    expectedAt: input.expectedAt,
    fromName: "incoming",
    toName: "available",
    quantity: input.quantity,
    ledgerDocumentUri: input.ledgerDocumentUri,
  };
  level.scheduledChanges = input.quantity === 0 ? others : [...others, change];
}
