import { beforeEach, describe, expect, it } from "vitest";

import db from "~/db.server";

import { applyOnce, findEffect } from "./ledger.server";

const SHOP = "north-star.myshopify.com";
const OTHER = "other-shop.myshopify.com";

beforeEach(async () => {
  await db.$executeRawUnsafe('DELETE FROM "EffectLedger"');
});

describe("applyOnce", () => {
  it("runs the effect once per (shop, key) and returns the stored result on a retry", async () => {
    const calls: string[] = [];
    const effect = async (key: string) => {
      calls.push(key);
      return { holdId: `gid://shopify/FulfillmentHold/${calls.length}`, at: new Date("2026-11-26T08:00:00Z") };
    };

    const first = await applyOnce(db, SHOP, "hold:line-1", "fulfillmentOrderHold", effect);
    const retry = await applyOnce(db, SHOP, "hold:line-1", "fulfillmentOrderHold", effect);

    expect(calls).toEqual(["hold:line-1"]);
    // Same shape on the first run and on a retry: what JSON keeps.
    expect(first).toEqual({ holdId: "gid://shopify/FulfillmentHold/1", at: "2026-11-26T08:00:00.000Z" });
    expect(retry).toEqual(first);
    expect(await findEffect(db, SHOP, "hold:line-1")).toEqual({
      kind: "fulfillmentOrderHold",
      result: first,
      createdAt: expect.any(Date),
    });
  });

  it("keeps shops apart: the same key in another shop is another effect", async () => {
    let calls = 0;
    const effect = async () => ++calls;

    expect(await applyOnce(db, SHOP, "tag:order-1", "tagsAdd", effect)).toBe(1);
    expect(await applyOnce(db, OTHER, "tag:order-1", "tagsAdd", effect)).toBe(2);
    expect(await applyOnce(db, SHOP, "tag:order-1", "tagsAdd", effect)).toBe(1);
  });

  it("records nothing when the effect fails, so the retry applies it", async () => {
    let calls = 0;
    const effect = async () => {
      calls++;
      if (calls === 1) throw new Error("HTTP 503");
      return "released";
    };

    await expect(applyOnce(db, SHOP, "release:fo-1", "fulfillmentOrderReleaseHold", effect)).rejects.toThrow(
      "HTTP 503",
    );
    expect(await findEffect(db, SHOP, "release:fo-1")).toBeNull();
    expect(await applyOnce(db, SHOP, "release:fo-1", "fulfillmentOrderReleaseHold", effect)).toBe("released");
    expect(calls).toBe(2);
  });

  it("stores undefined as null", async () => {
    expect(await applyOnce(db, SHOP, "noop", "test", async () => undefined)).toBeNull();
    expect(await applyOnce(db, SHOP, "noop", "test", async () => "again")).toBeNull();
  });

  it("when two workers race on one key, both return the result recorded first", async () => {
    let calls = 0;
    const slowEffect = async () => {
      const n = ++calls;
      await new Promise((resolve) => setTimeout(resolve, 20 * n));
      return n;
    };

    const results = await Promise.all([
      applyOnce(db, SHOP, "race", "test", slowEffect),
      applyOnce(db, SHOP, "race", "test", slowEffect),
    ]);

    expect(results).toEqual([1, 1]);
    expect(await findEffect(db, SHOP, "race")).toMatchObject({ result: 1 });
  });

  it("refuses an empty key", async () => {
    await expect(applyOnce(db, SHOP, "", "test", async () => 1)).rejects.toThrow("applyOnce: key is empty");
  });
});
