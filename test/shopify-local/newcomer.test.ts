import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ControlError } from "./control/client";
import { startLocalShopify, type LocalShopify } from "./server";

let local: LocalShopify;
const SHOP = "restock.myshopify.com";

beforeAll(async () => {
  local = await startLocalShopify({ apiSecret: "test-secret", clock: "frozen" });
  const shop = await local.control.createShop({ domain: SHOP, locations: ["Main warehouse", "Overflow"] });
  await local.control.createProduct(SHOP, {
    title: "Trail runner",
    variants: [
      { sku: "RUN-42", price: "60.00", inventoryPolicy: "CONTINUE", available: { [shop.locations[0]!.id]: 2 } },
    ],
  });
  await local.control.createProduct(SHOP, {
    title: "Twin",
    variants: [
      { sku: "TWIN", title: "A", price: "1.00" },
      { sku: "TWIN", title: "B", price: "1.00" },
    ],
  });
});
afterAll(async () => {
  await local?.stop();
});

describe("a restock by SKU and location name (no ids from /_local/state)", () => {
  it("GIVEN a SKU and no location WHEN adjusting THEN the shop's first location's available moves", async () => {
    const quantities = await local.control.adjustInventory(SHOP, { sku: "RUN-42", delta: 5 });
    expect(quantities).toMatchObject({ available: 7, on_hand: 7 });
  });

  it("GIVEN a SKU and a location name WHEN adjusting THEN that location's level is used", async () => {
    const quantities = await local.control.adjustInventory(SHOP, { sku: "RUN-42", location: "Overflow", delta: 3 });
    expect(quantities).toMatchObject({ available: 3, on_hand: 3 });
  });

  it("GIVEN an unknown SKU, a shared SKU, both ids or an unknown location THEN 422 names the field", async () => {
    const refused = (input: Parameters<LocalShopify["control"]["adjustInventory"]>[1]) =>
      local.control.adjustInventory(SHOP, input).then(
        () => "accepted",
        (error: ControlError) => `${error.status} ${error.message}`,
      );
    expect(await refused({ sku: "NOPE", delta: 1 })).toBe(`422 sku: no variant with SKU "NOPE" in ${SHOP}`);
    expect(await refused({ sku: "TWIN", delta: 1 })).toBe(
      `422 sku: 2 variants share SKU "TWIN" in ${SHOP}: give inventoryItemId`,
    );
    expect(
      await refused({ sku: "RUN-42", inventoryItemId: 1, delta: 1 } as unknown as { sku: string; delta: number }),
    ).toBe("422 inventoryItemId: give exactly one of inventoryItemId or sku");
    expect(await refused({ sku: "RUN-42", location: "Attic", delta: 1 })).toBe(
      `422 locationId: no location Attic in ${SHOP}`,
    );
  });
});
