import { afterAll, beforeAll, describe, expect, it } from "vitest";

import db from "~/db.server";
import { env } from "~/env.server";
import { action, loader } from "~/routes/app.backorders.$orderId";
import { verifyCustomerLink } from "~/services/customer-page/links.server";
import { gatewayForShop } from "~/shopify/gateway.server";
import { readOrder } from "~/services/reads/orders.server";

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

  it("GIVEN the merchant makes a customer link THEN it opens the order's page until they revoke the order's links", async () => {
    const line = await db.backorderLine.findFirstOrThrow({ where: { shop: SHOP } });
    const id = line.orderId.replace("gid://shopify/Order/", "");
    const post = async (intent: string) =>
      call(action, await adminRequest(`/app/backorders/${id}`, { shop: SHOP, form: { intent } }), { orderId: id });

    const made = await post("customer_link");
    expect(made.body).toMatchObject({ ok: true, intent: "customer_link" });
    const url = new URL(made.body.url);
    expect([url.host, url.pathname]).toEqual([SHOP, `/apps/backorders/orders/${id}`]);
    const token = url.searchParams.get("link")!;
    const valid = () => verifyCustomerLink(db, env.SHOPIFY_API_SECRET, SHOP, line.orderId, token, new Date());
    expect(await valid()).toBe(true);
    // Another shop's merchant cannot make links for this order: it is not theirs.
    await installShop("other-links.myshopify.com");
    const other = await call(
      action,
      await adminRequest(`/app/backorders/${id}`, {
        shop: "other-links.myshopify.com",
        form: { intent: "customer_link" },
      }),
      { orderId: id },
    );
    expect(other.body).toEqual({ ok: false, error: "No such order" });

    expect((await post("revoke_links")).body).toMatchObject({ ok: true, intent: "revoke_links" });
    expect(await valid()).toBe(false);
    const page = await call(loader, await adminRequest(`/app/backorders/${id}`, { shop: SHOP }), { orderId: id });
    expect(page.body.linksRevokedAt).toEqual(expect.any(String));
  });
});
