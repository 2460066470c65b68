import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

import { parse } from "smol-toml";
import { describe as group, expect, it } from "vitest";

import {
  describe,
  readAnswer,
  readUrl,
  requestBody,
  type ProductDates,
} from "../../extensions/restock-date-block/src/restock-date";

const PRODUCT = "gid://shopify/Product/7";
const base = { productId: PRODUCT, variantId: null, kind: "date" as const };

group("the restock date block's logic (extensions/restock-date-block/src/restock-date.ts)", () => {
  it("asks the app by a relative URL (the extension's fetch adds the app's origin and the ID token)", () => {
    expect(readUrl(PRODUCT)).toBe("/api/restock-dates?productId=gid%3A%2F%2Fshopify%2FProduct%2F7");
  });

  it("sends a date, lead days, or nothing (clear), and stops a malformed value before it is sent", () => {
    expect(requestBody({ ...base, value: " 2026-12-14 " })).toEqual({
      ok: true,
      value: { productId: PRODUCT, variantId: null, date: "2026-12-14", leadDays: null },
    });
    expect(requestBody({ ...base, variantId: "gid://shopify/ProductVariant/9", kind: "lead", value: "21" })).toEqual({
      ok: true,
      value: { productId: PRODUCT, variantId: "gid://shopify/ProductVariant/9", date: null, leadDays: 21 },
    });
    expect(requestBody({ ...base, kind: "lead", value: "" })).toEqual({
      ok: true,
      value: { productId: PRODUCT, variantId: null, date: null, leadDays: null },
    });
    expect(requestBody({ ...base, value: "14/12/2026" })).toEqual({
      ok: false,
      errors: { date: "Use a date like 2026-12-31" },
    });
    for (const value of ["366", "-1", "2.5", "ten"]) {
      expect(requestBody({ ...base, kind: "lead", value })).toEqual({
        ok: false,
        errors: { leadDays: "Lead days are a whole number from 0 to 365" },
      });
    }
  });

  it("reads 200 as the dates, 422 as field errors, and anything else (a 401, a 500 page) as a failure", () => {
    const dates: ProductDates = {
      productId: PRODUCT,
      expectedAt: null,
      leadDays: null,
      shopLeadDays: 14,
      variants: [],
    };
    expect(readAnswer(200, { dates })).toEqual({ ok: true, value: dates });
    expect(readAnswer(422, { errors: { date: "2001-01-01 is in the past" } })).toEqual({
      ok: false,
      errors: { date: "2001-01-01 is in the past" },
    });
    expect(readAnswer(401, null)).toEqual({ ok: false, errors: { form: "The app did not answer (401); try again" } });
    expect(readAnswer(200, "<html>")).toEqual({
      ok: false,
      errors: { form: "The app did not answer (200); try again" },
    });
  });

  it("describes each variant by the word that applies: its own, else the product's, else the shop's lead days", () => {
    const variant = { variantId: "v", title: "Large", sku: null, waitingUnits: 0, promisedAt: null };
    const product: ProductDates = {
      productId: PRODUCT,
      expectedAt: null,
      leadDays: null,
      shopLeadDays: 14,
      variants: [],
    };
    expect(describe(product, { ...variant, expectedAt: null, leadDays: null })).toBe("shop default, 14 days");
    expect(describe({ ...product, leadDays: 10 }, { ...variant, expectedAt: null, leadDays: null })).toBe(
      "10 days lead time (product)",
    );
    expect(describe({ ...product, expectedAt: "2026-12-09" }, { ...variant, expectedAt: null, leadDays: 3 })).toBe(
      "3 days lead time",
    );
    expect(
      describe(product, {
        ...variant,
        expectedAt: "2026-12-14",
        leadDays: null,
        waitingUnits: 3,
        promisedAt: "2026-12-14",
      }),
    ).toBe("back 2026-12-14 · 3 waiting, latest promised 2026-12-14");
  });
});

group("the restock date block's declaration (extensions/restock-date-block)", () => {
  const dir = path.resolve("extensions/restock-date-block");
  const toml = parse(readFileSync(path.join(dir, "shopify.extension.toml"), "utf8")) as {
    api_version: string;
    extensions: { type: string; handle: string; name: string; targeting: { module: string; target: string }[] }[];
  };

  it("is one ui_extension on the product page's block target, whose module exists", () => {
    expect(toml.extensions.map((e) => [e.type, e.handle, e.targeting.map((t) => t.target)])).toEqual([
      ["ui_extension", "restock-date-block", ["admin.product-details.block.render"]],
    ]);
    expect(existsSync(path.join(dir, toml.extensions[0]!.targeting[0]!.module))).toBe(true);
  });

  it("has every string the block translates, and its name, in the default locale", () => {
    const source = readFileSync(path.join(dir, "src/BlockExtension.tsx"), "utf8");
    const used = [...source.matchAll(/i18n\.translate\("(\w+)"\)/g)].map((m) => m[1]!);
    const locale = JSON.parse(readFileSync(path.join(dir, "locales/en.default.json"), "utf8")) as Record<
      string,
      string
    >;
    expect(used.length).toBeGreaterThan(5);
    expect(used.filter((key) => !(key in locale))).toEqual([]);
    expect(toml.extensions[0]!.name).toBe("t:name");
    expect(Object.keys(locale).filter((key) => !used.includes(key))).toEqual([]);
  });
});
