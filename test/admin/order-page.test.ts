import { afterAll, beforeAll, describe, expect, it } from "vitest";

import db from "~/db.server";
import { env } from "~/env.server";
import { loader } from "~/routes/app.backorders.$orderId";
import { gatewayForShop } from "~/shopify/gateway.server";
import { readOrder } from "~/services/shopify-reads.server";

import { startLocalShopify, type LocalShopify } from "../shopify-local/server";
import { adminRequest, call, installShop } from "./support";

const SHOP = "order-page.myshopify.com";
let shopify: LocalShopify;

beforeAll(async () => {
  shopify = await startLocalShopify({ apiSecret: "test-api-secret", apiKey: "test-api-key" });
  // The gateway reads the Admin API's origin from the validated env, as it would from SHOPIFY_ADMIN_API_ORIGIN.
  env.SHOPIFY_ADMIN_API_ORIGIN = shopify.origin;
  const shop = await shopify.control.createShop({ domain: SHOP });
  await installShop(SHOP, shop.accessToken);
}, 60_000);

afterAll(async () => {
  await shopify?.stop();
});

describe("an order's page against Shopify's order", () => {
  it("GIVEN 1 of 3 units released and nothing fulfilled on Shopify THEN Allocated 1, Shipped 0, beside Partly allocated", async () => {
    const location = (await shopify.control.state()).shops.find((s) => (s as { domain?: string }).domain === SHOP) as {
      locations: { id: number }[];
    };
    const product = await shopify.control.createProduct(SHOP, {
      title: "Trail runner",
      variants: [{ sku: "TR-1", inventoryPolicy: "CONTINUE", available: { [String(location.locations[0]!.id)]: 0 } }],
    });
    const order = await shopify.control.placeOrder(SHOP, {
      customer: { email: "ada@example.com" },
      lines: [{ variantId: product.variants[0]!.gid, quantity: 3 }],
    });
    await shopify.control.settle();
    const onShopify = (await readOrder(await gatewayForShop(db, SHOP), order.gid))!;
    const line = onShopify.lines[0]!;
    expect([line.quantity, line.unfulfilled]).toEqual([3, 3]);
    await db.backorderLine.create({
      data: {
        shop: SHOP,
        orderId: order.gid,
        orderName: order.name,
        orderedAt: new Date(),
        lineItemId: line.id,
        title: "Trail runner",
        quantity: 3,
        shippedQty: 1,
        backorderedQty: 2,
        status: "partially_allocated",
        unitPriceCents: 1_800,
      },
    });

    const { status, body } = await call(loader, await adminRequest(`/app/backorders/${order.id}`, { shop: SHOP }), {
      orderId: String(order.id),
    });
    expect(status).toBe(200);
    expect(body.onShopify).toBe(true);
    expect(body.lines.map((row: { status: string; figures: unknown }) => [row.status, row.figures])).toEqual([
      ["partially_allocated", { shipped: 0, allocated: 1, waiting: 2, lost: 0 }],
    ]);
  }, 60_000);
});
