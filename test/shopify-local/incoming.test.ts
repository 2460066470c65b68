import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";

import { ControlError } from "./control/client";
import { adminGraphql, frozenLocalShopify, type Json } from "./testing";
import { shapeDifferences } from "./webhooks/shape";

const FIXTURES = new URL("../fixtures/webhooks/", import.meta.url).pathname;
let shopCounter = 0;
let domain: string;
let token: string;
let variant: { gid: string; id: number; inventoryItemGid: string };

const TRANSFERS = `query Incoming($query: String!) {
  inventoryTransfers(first: 5, query: $query) {
    nodes {
      id status totalQuantity
      destination { name location { id } }
      shipments(first: 3) {
        nodes {
          id status tracking { arrivesAt }
          lineItems(first: 10) { nodes { inventoryItem { id } quantity unreceivedQuantity acceptedQuantity } }
        }
      }
    }
  }
}`;

const LEVELS = `query Levels($id: ID!) {
  inventoryItem(id: $id) {
    inventoryLevels(first: 5) {
      nodes {
        location { name }
        quantities(names: ["available", "incoming", "on_hand"]) { name quantity }
        scheduledChanges(first: 5) { nodes { expectedAt quantity fromName toName ledgerDocumentUri } }
      }
    }
  }
}`;

async function query(text: string, variables: Record<string, unknown>): Promise<Json> {
  const answer = await adminGraphql(stack.local.origin, token, text, variables);
  expect(answer.json.errors).toBeUndefined();
  return answer.json.data;
}

const levels = async () =>
  Object.fromEntries(
    (await query(LEVELS, { id: variant.inventoryItemGid })).inventoryItem.inventoryLevels.nodes.map((n: Json) => [
      n.location.name,
      Object.fromEntries(n.quantities.map((q: Json) => [q.name, q.quantity])),
    ]),
  );

const payloadsOf = async (topic: string) =>
  (await stack.local.control.webhookLog({ shop: domain, topic })).map((entry) => JSON.parse(entry.body) as Json);

const stack = frozenLocalShopify({ startAt: new Date("2026-12-01T10:00:00Z"), timeScale: 0.001 });

beforeEach(async () => {
  const shop = await stack.local.control.createShop({
    domain: `in-${++shopCounter}.myshopify.com`,
    locations: ["A", "B"],
  });
  domain = shop.domain;
  token = shop.accessToken;
  const product = await stack.local.control.createProduct(domain, {
    title: "Mug",
    variants: [{ sku: "MUG", inventoryPolicy: "CONTINUE", available: { [shop.locations[0]!.id]: 0 } }],
  });
  variant = product.variants[0]!;
});

describe("incoming stock (parity rows N1–N5)", () => {
  it("N1: a shipment in transit is `incoming` at its destination and found by product_variant_id and status", async () => {
    const shipment = await stack.local.control.shipInventory(domain, {
      destination: "B",
      arrivesAt: "2026-12-14T09:00:00Z",
      lines: [{ sku: "MUG", quantity: 6 }],
    });
    const data = await query(TRANSFERS, { query: `product_variant_id:${variant.id} status:in_progress` });
    expect(data.inventoryTransfers.nodes).toEqual([
      {
        id: shipment.transferGid,
        status: "IN_PROGRESS",
        totalQuantity: 6,
        destination: { name: "B", location: { id: expect.stringMatching(/^gid:\/\/shopify\/Location\//) } },
        shipments: {
          nodes: [
            {
              id: shipment.gid,
              status: "IN_TRANSIT",
              tracking: { arrivesAt: "2026-12-14T09:00:00Z" },
              lineItems: {
                nodes: [
                  {
                    inventoryItem: { id: variant.inventoryItemGid },
                    quantity: 6,
                    unreceivedQuantity: 6,
                    acceptedQuantity: 0,
                  },
                ],
              },
            },
          ],
        },
      },
    ]);
    expect((await levels()).B).toEqual({ available: 0, incoming: 6, on_hand: 0 });
    expect(
      (await query(TRANSFERS, { query: "product_variant_id:1 status:in_progress" })).inventoryTransfers.nodes,
    ).toEqual([]);
    const refused = await adminGraphql(stack.local.origin, token, TRANSFERS, { query: "sku:MUG" });
    expect(refused.json.errors?.[0]?.message).toMatch(/Unsupported inventoryTransfers search field/);
  });

  it("N2: a slipped arrival is announced by update_tracking; receiving turns incoming into available", async () => {
    const shipment = await stack.local.control.shipInventory(domain, {
      destination: "B",
      arrivesAt: "2026-12-14T09:00:00Z",
      lines: [{ sku: "MUG", quantity: 6 }],
    });
    await stack.local.control.updateShipmentTracking(domain, shipment.id, "2026-12-20T09:00:00Z");
    expect(
      (await payloadsOf("inventory_shipments/update_tracking")).map((p) => [
        p.shipment_id,
        p.updated_tracking.arrives_at,
      ]),
    ).toEqual([[shipment.gid, "2026-12-20T04:00:00-05:00"]]);
    await stack.local.control.receiveShipment(domain, shipment.id, [{ sku: "MUG", quantity: 4 }]);
    expect((await levels()).B).toEqual({ available: 4, incoming: 2, on_hand: 4 });
    await stack.local.control.receiveShipment(domain, shipment.id);
    expect((await levels()).B).toEqual({ available: 6, incoming: 0, on_hand: 6 });
    expect((await payloadsOf("inventory_shipments/receive_items")).map((p) => p.status)).toEqual([
      "PARTIALLY_RECEIVED",
      "RECEIVED",
    ]);
    const transfer = await query(TRANSFERS, { query: `product_variant_id:${variant.id}` });
    expect(transfer.inventoryTransfers.nodes[0].status).toBe("TRANSFERRED");
    expect((await payloadsOf("inventory_levels/update")).at(-1)).toMatchObject({ available: 6 });
  });

  it("N3: a cancelled transfer leaves incoming and in_progress; one with received units cannot be cancelled", async () => {
    const shipment = await stack.local.control.shipInventory(domain, {
      destination: "A",
      arrivesAt: null,
      lines: [{ sku: "MUG", quantity: 3 }],
    });
    await stack.local.control.cancelTransfer(domain, shipment.transferId);
    expect((await levels()).A).toEqual({ available: 0, incoming: 0, on_hand: 0 });
    expect(
      (await query(TRANSFERS, { query: `product_variant_id:${variant.id} status:in_progress` })).inventoryTransfers
        .nodes,
    ).toEqual([]);
    expect((await payloadsOf("inventory_transfers/cancel"))[0]).toMatchObject({
      id: shipment.transferGid,
      status: "CANCELED",
    });

    const received = await stack.local.control.shipInventory(domain, {
      destination: "A",
      arrivesAt: null,
      lines: [{ sku: "MUG", quantity: 3 }],
    });
    await stack.local.control.receiveShipment(domain, received.id, [{ sku: "MUG", quantity: 1 }]);
    await expect(stack.local.control.cancelTransfer(domain, received.transferId)).rejects.toBeInstanceOf(ControlError);
    await expect(stack.local.control.deleteShipment(domain, received.id)).rejects.toBeInstanceOf(ControlError);
  });

  it("N4: scheduled changes are served on the level (deprecated in 2026-10), replaced by ledger document", async () => {
    const input = {
      sku: "MUG",
      location: "A",
      expectedAt: "2026-12-10T00:00:00Z",
      ledgerDocumentUri: "po://supplier/77",
    };
    await stack.local.control.scheduleIncoming(domain, { ...input, quantity: 5 });
    await stack.local.control.scheduleIncoming(domain, { ...input, quantity: 8, expectedAt: "2026-12-12T00:00:00Z" });
    const data = await query(LEVELS, { id: variant.inventoryItemGid });
    const a = data.inventoryItem.inventoryLevels.nodes.find((n: Json) => n.location.name === "A");
    expect(a.scheduledChanges.nodes).toEqual([
      {
        expectedAt: "2026-12-12T00:00:00Z",
        quantity: 8,
        fromName: "incoming",
        toName: "available",
        ledgerDocumentUri: "po://supplier/77",
      },
    ]);
    expect((await levels()).A).toEqual({ available: 0, incoming: 8, on_hand: 0 });
  });

  it("N5: shipment and transfer payloads have the keys and value types of Shopify's samples", async () => {
    const shipment = await stack.local.control.shipInventory(domain, {
      destination: "B",
      arrivesAt: "2026-12-14T09:00:00Z",
      lines: [{ sku: "MUG", quantity: 2 }],
    });
    await stack.local.control.updateShipmentTracking(domain, shipment.id, "2026-12-15T09:00:00Z");
    await stack.local.control.receiveShipment(domain, shipment.id, [{ sku: "MUG", quantity: 1 }]);
    const other = await stack.local.control.shipInventory(domain, {
      destination: "A",
      arrivesAt: null,
      lines: [{ sku: "MUG", quantity: 1 }],
    });
    await stack.local.control.deleteShipment(domain, other.id);
    const third = await stack.local.control.shipInventory(domain, {
      destination: "A",
      arrivesAt: null,
      lines: [{ sku: "MUG", quantity: 1 }],
    });
    await stack.local.control.cancelTransfer(domain, third.transferId);
    const topics = [
      "inventory_shipments/create",
      "inventory_shipments/mark_in_transit",
      "inventory_shipments/update_tracking",
      "inventory_shipments/receive_items",
      "inventory_shipments/delete",
      "inventory_transfers/cancel",
    ];
    for (const topic of topics) {
      const sample = JSON.parse(readFileSync(`${FIXTURES}${topic.replace("/", "-")}.2026-07.json`, "utf8"));
      const payloads = await payloadsOf(topic);
      expect(payloads.length).toBeGreaterThan(0);
      for (const payload of payloads)
        expect({ topic, differences: shapeDifferences(sample, payload) }).toEqual({ topic, differences: [] });
    }
  });
});
