import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type * as DbModule from "~/db.server";
import type * as GatewayModule from "~/shopify/gateway.server";
import type * as Operations from "~/shopify/generated/operations";
import type * as ShopifyModule from "~/shopify.server";

import { startLocalShopify, type LocalShopify } from "../shopify-local/server";

/**
 * SHOPIFY_ADMIN_API_ORIGIN is read once at boot, so this file sets it to Local Shopify's origin before the
 * app's modules are first imported.
 */
let local: LocalShopify;
let app: {
  db: typeof DbModule.default;
  gateway: typeof GatewayModule;
  operations: typeof Operations;
  shopify: typeof ShopifyModule;
};

beforeAll(async () => {
  local = await startLocalShopify({ apiSecret: "test-api-secret" });
  process.env.SHOPIFY_ADMIN_API_ORIGIN = local.origin;
  app = {
    db: (await import("~/db.server")).default,
    gateway: await import("~/shopify/gateway.server"),
    operations: await import("~/shopify/generated/operations"),
    shopify: await import("~/shopify.server"),
  };
});
afterAll(async () => {
  await local.stop();
});

async function installedShop(domain: string) {
  const shop = await local.control.createShop({ domain });
  await app.db.session.create({
    data: {
      id: `offline_${domain}`,
      shop: domain,
      state: "",
      isOnline: false,
      accessToken: shop.accessToken,
      scope: "read_orders",
    },
  });
  return shop;
}

describe("gatewayForShop", () => {
  it("uses the shop's offline session and SHOPIFY_ADMIN_API_ORIGIN", async () => {
    const shop = await installedShop("offline-one.myshopify.com");

    const gateway = await app.gateway.gatewayForShop(app.db, shop.domain);
    const data = await gateway.query(app.operations.ShopInfoDocument, {});

    expect([gateway.shop, data.shop.id, data.shop.myshopifyDomain]).toEqual([shop.domain, shop.gid, shop.domain]);
  });

  it("says so when the shop has no offline session (uninstalled)", async () => {
    const error = await app.gateway.gatewayForShop(app.db, "gone.myshopify.com").catch((e: unknown) => e);

    expect(error).toBeInstanceOf(app.gateway.NoOfflineSessionError);
    expect((error as Error).message).toBe("No offline session for gone.myshopify.com: the app is not installed there");
  });
});

describe("Shopify's own admin client", () => {
  it("is redirected to SHOPIFY_ADMIN_API_ORIGIN too", async () => {
    const shop = await installedShop("library-client.myshopify.com");

    const { admin } = await app.shopify.unauthenticated.admin(shop.domain);
    const response = await admin.graphql("query LibraryShop { shop { id myshopifyDomain } }");

    expect(await response.json()).toMatchObject({ data: { shop: { id: shop.gid, myshopifyDomain: shop.domain } } });
  });
});
