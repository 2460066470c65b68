import { afterAll, beforeAll, describe, expect, it } from "vitest";

import db from "~/db.server";
import { createJobQueue } from "~/jobs/queue.server";
import { dateSource } from "~/components/backorders/format";
import { env } from "~/env.server";
import { loader as queueLoader } from "~/routes/app._index";
import { loader as orderLoader } from "~/routes/app.backorders.$orderId";
import { applyMerchantDates } from "~/services/admin/dates-page.server";

import { adminRequest, call } from "../admin/support";

import { startPipeline, type Pipeline } from "./harness";
import { shopState } from "./story";

/**
 * Promised dates from Shopify's incoming stock, per location and in policy order, kept true as shipments slip
 * (docs/decisions/0019-promised-dates.md). Everything goes through Local Shopify over HTTP and the app's real
 * routes, jobs and gateway.
 */
const SHOP = "incoming-dates.myshopify.com";
const START = new Date("2026-12-01T10:00:00Z");

interface Metafield {
  ownerId: string;
  key: string;
  value: string;
}

describe("promised dates from incoming stock at two locations", () => {
  let pipeline: Pipeline;
  let variant: { id: number; gid: string; inventoryItemId: number };
  const orders: { gid: string; name: string }[] = [];
  let first: { id: number; gid: string };

  beforeAll(async () => {
    pipeline = await startPipeline({ startAt: START });
    const { locationId: a } = await pipeline.install(SHOP, { allocationPolicy: "fifo", leadDays: 14 });
    const b = await pipeline.shopify.control.addLocation(SHOP, "B");
    // Stocked only at B at first, so checkout routes the first two orders there; then A stocks it too and,
    // first in location order, takes the third.
    const product = await pipeline.shopify.control.createProduct(SHOP, {
      title: "Oak chair",
      variants: [
        { sku: "CHAIR", price: "90.00", inventoryPolicy: "CONTINUE", tracked: true, available: { [b.id]: 0 } },
      ],
    });
    variant = product.variants[0]!;
    const order = async (quantity: number) => {
      const placed = await pipeline.shopify.control.placeOrder(SHOP, {
        customer: { email: `c${orders.length}@example.com` },
        lines: [{ variantId: variant.id, quantity }],
      });
      orders.push({ gid: placed.gid, name: placed.name });
      await pipeline.drain();
    };
    await order(2);
    await order(2);
    await pipeline.shopify.control.adjustInventory(SHOP, { sku: "CHAIR", locationId: a, delta: 0 });
    await order(1);
    first = await pipeline.shopify.control.shipInventory(SHOP, {
      destination: "B",
      arrivesAt: "2026-12-14T09:00:00Z",
      lines: [{ sku: "CHAIR", quantity: 3 }],
    });
    await pipeline.drain();
  });

  afterAll(async () => {
    await pipeline.stop();
  });

  /** Each line's date and its basis; a date of the shop's 14 lead days from the order reads "order + 14". */
  async function dates() {
    const rows = await db.backorderLine.findMany({ where: { shop: SHOP }, orderBy: { orderedAt: "asc" } });
    return rows.map((row) => {
      const lead = day(new Date(row.orderedAt.getTime() + 14 * 86_400_000));
      const source = row.promisedBasis?.split(":")[0];
      return [
        row.orderName,
        source,
        source === "shop_lead" && day(row.promisedAt) === lead ? "order + 14" : day(row.promisedAt),
      ];
    });
  }

  async function metafields(key: string): Promise<Metafield[]> {
    return ((await shopState(pipeline, SHOP)).metafields as Metafield[]).filter((m) => m.key === key);
  }

  async function orderDates() {
    const meta = await metafields("backorder");
    return orders.map((order) => {
      const value = JSON.parse(meta.find((m) => m.ownerId === order.gid)!.value) as {
        promisedDate: string;
        lines: { promisedDate: string }[];
      };
      return [order.name, value.promisedDate, value.lines.map((line) => line.promisedDate)];
    });
  }

  it("dates the first customer at B by the shipment to B, not the second (2 of 3 units left), nor the line at A", async () => {
    const [o1, o2, o3] = orders.map((o) => o.name);
    // The shop's 14 lead days from each order for the lines no arrival completes (the second gets 2 of 3 units).
    const lines = await dates();
    expect(lines).toEqual([
      [o1, "incoming", "2026-12-14"],
      [o2, "shop_lead", "order + 14"],
      [o3, "shop_lead", "order + 14"],
    ]);
    const promised = (await db.backorderLine.findMany({ where: { shop: SHOP }, orderBy: { orderedAt: "asc" } })).map(
      (row) => day(row.promisedAt)!,
    );
    expect(await orderDates()).toEqual(orders.map((o, i) => [o.name, promised[i], [promised[i]]]));
  });

  it("a second shipment to B dates the second customer; the storefront date is the latest any location keeps", async () => {
    await pipeline.shopify.control.shipInventory(SHOP, {
      destination: "B",
      arrivesAt: "2026-12-20T09:00:00Z",
      lines: [{ sku: "CHAIR", quantity: 5 }],
    });
    await pipeline.drain();
    expect((await dates()).map((row) => row[2])).toEqual(["2026-12-14", "2026-12-20", "order + 14"]);
    // At B a unit is left over on the 20th; at A nothing arrives, so the shop's lead days (now + 14) hold.
    expect((await metafields("expected_date")).map((m) => [m.ownerId, m.value])).toEqual([[variant.gid, "2026-12-20"]]);
  });

  it("the first shipment slips past the second: the queue is walked again, the first customer is re-dated and told", async () => {
    await pipeline.shopify.control.updateShipmentTracking(SHOP, first.id, "2026-12-22T09:00:00Z");
    await pipeline.drain();
    const [o1, o2, o3] = orders.map((o) => o.name);
    // The 5 units of the 20th now come first: both customers at B are complete with them.
    expect(await dates()).toEqual([
      [o1, "incoming", "2026-12-20"],
      [o2, "incoming", "2026-12-20"],
      [o3, "shop_lead", "order + 14"],
    ]);
    expect((await orderDates())[0]).toEqual([o1, "2026-12-20", ["2026-12-20"]]);
    const notices = await db.timelineEvent.findMany({
      where: { shop: SHOP, kind: "delay_notice" },
      orderBy: { at: "asc" },
    });
    // The second customer was told on the second shipment (a firm arrival after the guessed lead days), the first now.
    expect(notices.map((n) => n.orderId)).toEqual([orders[1]!.gid, orders[0]!.gid]);
    expect(JSON.parse(notices[1]!.detail)).toEqual({
      redated: true,
      reason: `incoming:${first.gid}`,
      source: "incoming",
      promisedAt: "2026-12-14T09:00:00.000Z",
      revisedAt: "2026-12-20T09:00:00.000Z",
    });
  });

  it("a cancelled transfer takes its date away: the lines fall back to the next arrival or the lead days", async () => {
    const second = (await db.incomingStock.findMany({ where: { shop: SHOP } })).find(
      (row) => row.arrivesAt.toISOString() === "2026-12-20T09:00:00.000Z",
    )!;
    await pipeline.shopify.control.cancelTransfer(SHOP, Number(second.transferId!.split("/").pop()));
    await pipeline.drain();
    // Only the slipped shipment of 3 (the 22nd) is left at B: the first customer is complete with it.
    expect(await dates()).toEqual([
      [orders[0]!.name, "incoming", "2026-12-22"],
      [orders[1]!.name, "shop_lead", "2026-12-22"],
      [orders[2]!.name, "shop_lead", "order + 14"],
    ]);
    const later = await db.timelineEvent.count({ where: { shop: SHOP, kind: "delay_notice" } });
    expect(later).toBe(4);
  });
});

function day(date: Date | null): string | null {
  return date ? date.toISOString().slice(0, 10) : null;
}

describe("the merchant's restock date", () => {
  const DOMAIN = "merchant-dates.myshopify.com";
  let pipeline: Pipeline;

  beforeAll(async () => {
    pipeline = await startPipeline({ startAt: START });
  });

  afterAll(async () => {
    await pipeline.stop();
  });

  it("dates the waiting line and the storefront alike, and a later date tells the customer", async () => {
    const { locationId } = await pipeline.install(DOMAIN, { allocationPolicy: "fifo", leadDays: 14 });
    const product = await pipeline.shopify.control.createProduct(DOMAIN, {
      title: "Linen shirt",
      variants: [
        { sku: "SHIRT", price: "40.00", inventoryPolicy: "CONTINUE", tracked: true, available: { [locationId]: 0 } },
      ],
    });
    const v = product.variants[0]!;
    const target = { variantId: v.gid, productId: product.gid, inventoryItemId: v.inventoryItemGid, sku: "SHIRT" };
    const save = async (expectedAt: string, on: "variant" | "product") => {
      await applyMerchantDates({ db, queue: createJobQueue(db) }, DOMAIN, [
        { target, on, expectedAt: new Date(`${expectedAt}T00:00:00Z`), leadDays: null },
      ]);
      await pipeline.drain();
    };
    // Before anyone orders: the storefront already shows the merchant's date.
    await save("2026-12-09", "product");
    const storefront = async () =>
      ((await shopState(pipeline, DOMAIN)).metafields as Metafield[])
        .filter((m) => m.key === "expected_date")
        .map((m) => m.value);
    expect(await storefront()).toEqual(["2026-12-09"]);

    const order = await pipeline.shopify.control.placeOrder(DOMAIN, {
      customer: { email: "m@example.com" },
      lines: [{ variantId: v.id, quantity: 1 }],
    });
    await pipeline.drain();
    const orderDate = async () => {
      const meta = ((await shopState(pipeline, DOMAIN)).metafields as Metafield[]).find((m) => m.ownerId === order.gid);
      return (JSON.parse(meta!.value) as { promisedDate: string }).promisedDate;
    };
    expect([await orderDate(), await storefront()]).toEqual(["2026-12-09", ["2026-12-09"]]);

    // The variant's own date wins over its product's; later, so the customer gets a delay notice.
    await save("2026-12-18", "variant");
    expect([await orderDate(), await storefront()]).toEqual(["2026-12-18", ["2026-12-18"]]);
    const notices = await db.timelineEvent.findMany({ where: { shop: DOMAIN, kind: "delay_notice" } });
    expect(notices.map((n) => JSON.parse(n.detail).revisedAt)).toEqual(["2026-12-18T00:00:00.000Z"]);

    // The merchant's queue and the order's page show the line's date and where it came from.
    env.SHOPIFY_ADMIN_API_ORIGIN = pipeline.shopify.origin;
    const queue = await call(queueLoader, await adminRequest("/app", { shop: DOMAIN }));
    const shown = (row: { promisedAt: Date | string | null; promisedBasis: string | null }) => [
      row.promisedAt === null ? null : new Date(row.promisedAt).toISOString().slice(0, 10),
      dateSource(row.promisedBasis),
    ];
    expect(queue.body.rows.map(shown)).toEqual([["2026-12-18", "your restock date"]]);
    const page = await call(orderLoader, await adminRequest(`/app/backorders/${order.id}`, { shop: DOMAIN }), {
      orderId: String(order.id),
    });
    expect(page.body.lines.map(shown)).toEqual([["2026-12-18", "your restock date"]]);
  });
});
