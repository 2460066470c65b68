import { beforeEach, describe, expect, it } from "vitest";

import db from "~/db.server";
import { DEFAULT_SETTINGS, getSettings, saveSettings, type Settings } from "~/models/settings.server";
import { action, loader } from "~/routes/app.settings";

import { adminRequest, call, installShop } from "./support";

const SHOP = "north-star.myshopify.com";
const OTHER = "other-shop.myshopify.com";

beforeEach(async () => {
  await db.$executeRawUnsafe('DELETE FROM "Session"');
  await db.$executeRawUnsafe('DELETE FROM "ShopSettings"');
  await installShop(SHOP);
  await installShop(OTHER);
});

const post = (json: unknown, shop = SHOP) => adminRequest("/app/settings", { shop, json });

describe("settings loader", () => {
  it("GIVEN a shop that never saved THEN it gets the defaults", async () => {
    const response = await call(loader, await adminRequest("/app/settings", { shop: SHOP }));
    expect(response).toMatchObject({ status: 200, body: { settings: DEFAULT_SETTINGS } });
  });

  it("GIVEN two shops WHEN one loads THEN it sees its own settings only", async () => {
    await saveSettings(db, OTHER, { ...DEFAULT_SETTINGS, allocationPolicy: "fair_share", orderTag: "other-tag" });
    await saveSettings(db, SHOP, { ...DEFAULT_SETTINGS, allocationPolicy: "smallest_first" });

    const mine = await call(loader, await adminRequest("/app/settings", { shop: SHOP }));
    expect(mine.body.settings).toEqual({ ...DEFAULT_SETTINGS, allocationPolicy: "smallest_first" });
  });

  it("GIVEN a delivery of this shop not processed yet and another shop's THEN it shows this shop's full payloads and the retention", async () => {
    await db.webhookDelivery.deleteMany({});
    const at = new Date("2026-11-20T10:00:00Z");
    for (const [shop, webhookId] of [
      [SHOP, "a"],
      [OTHER, "b"],
      [OTHER, "c"],
    ] as const)
      await db.webhookDelivery.create({
        data: { shop, webhookId, topic: "orders/create", payload: "{}", receivedAt: at },
      });

    const response = await call(loader, await adminRequest("/app/settings", { shop: SHOP }));

    expect(response.body.retention).toEqual({
      retentionDays: 14,
      rawPayloads: { count: 1, oldestReceivedAt: at.toISOString() },
    });
  });

  it("GIVEN a session token signed with another secret THEN it is refused and nothing leaks", async () => {
    const response = await call(loader, await adminRequest("/app/settings", { shop: SHOP, secret: "forged" }));
    expect(response.status).toBe(401);
    expect(JSON.stringify(response.body)).not.toContain("fifo");
  });
});

describe("settings action: each invalid field is refused with its message and nothing is saved", () => {
  const cases: [string, Partial<Record<keyof Settings, unknown>>, Record<string, string>][] = [
    [
      "an unknown policy",
      { allocationPolicy: "random" },
      {
        allocationPolicy:
          'Invalid option: expected one of "fifo"|"fair_share"|"priority"|"earliest_deadline"|"smallest_first"|"proportional"',
      },
    ],
    [
      "priority without tiers",
      { allocationPolicy: "priority", priorityTags: [] },
      { priorityTags: "Add at least one tag for priority tiers" },
    ],
    ["an empty tier tag", { priorityTags: ["vip", " "] }, { "priorityTags.1": "Tags cannot be empty" }],
    ["a cut-off that is not a time", { cutoffTime: "25:00" }, { cutoffTime: "Use a 24-hour time such as 16:00" }],
    ["a threshold of 0%", { thresholdPercent: 0 }, { thresholdPercent: "At least 1%" }],
    ["a threshold left empty", { thresholdPercent: null }, { thresholdPercent: "Enter a number" }],
    [
      "a never-split entry that is not a product",
      { neverSplitProducts: ["123"] },
      { "neverSplitProducts.0": "Must be a product id" },
    ],
    [
      "lead days 45 without consent",
      { leadDays: 45 },
      { leadDays: "Past 30 days needs your customers' recorded consent" },
    ],
    [
      "lead days after the final deadline",
      { leadDays: 20, deadlineDays: 15 },
      { leadDays: "The promised date cannot be later than the final deadline" },
    ],
    ["a fractional lead time", { leadDays: 2.5 }, { leadDays: "Enter a whole number" }],
    ["a negative reminder", { reminderDays: -1 }, { reminderDays: "Cannot be negative" }],
    [
      "a final deadline of 45 days without consent",
      { deadlineDays: 45 },
      { deadlineDays: "Past 30 days needs your customers' recorded consent" },
    ],
    [
      "an unknown expiry action",
      { expiryAction: "ignore" },
      { expiryAction: 'Invalid option: expected one of "cancel"|"notify"' },
    ],
    ["a cap of 0", { backorderCap: 0 }, { backorderCap: "At least 1 unit" }],
    [
      "a variant cap on a product id",
      { variantCaps: { "gid://shopify/Product/1": 3 } },
      { "variantCaps.gid://shopify/Product/1": "Must be a variant id" },
    ],
    ["an order tag with a comma", { orderTag: "a,b" }, { orderTag: "A tag cannot contain a comma" }],
    ["a badge text of 81 characters", { badgeText: "x".repeat(81) }, { badgeText: "At most 80 characters" }],
  ];

  it.each(cases)("%s", async (_name, change, fieldErrors) => {
    const response = await call(action, await post({ ...DEFAULT_SETTINGS, ...change }));

    expect(response).toMatchObject({ status: 422, body: { ok: false, fieldErrors } });
    expect(await db.shopSettings.count()).toBe(0);
  });

  it("a body that is not JSON is refused with a message", async () => {
    const request = await adminRequest("/app/settings", { shop: SHOP, form: { leadDays: "14" } });
    const response = await call(action, request);
    expect(response).toEqual(
      expect.objectContaining({ status: 400, body: { ok: false, formError: "The settings must be sent as JSON" } }),
    );
  });

  it("saving for one shop never changes another's", async () => {
    await saveSettings(db, OTHER, { ...DEFAULT_SETTINGS, leadDays: 7 });
    await call(action, await post({ ...DEFAULT_SETTINGS, leadDays: 45 }));
    expect(await getSettings(db, OTHER)).toEqual({ ...DEFAULT_SETTINGS, leadDays: 7 });
  });
});
