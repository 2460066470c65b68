import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXTENSION_DIR } from "./storefront";

const LOCALES = path.join(EXTENSION_DIR, "locales");
const read = (file: string) => JSON.parse(readFileSync(path.join(LOCALES, file), "utf8")) as object;

/** Every leaf key path, e.g. "backorder.cart.ship_later.one". */
function keys(tree: object, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === "object" && value !== null ? keys(value as object, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

const liquidSources = ["blocks", "snippets"].flatMap((dir) =>
  readdirSync(path.join(EXTENSION_DIR, dir)).map((file) => readFileSync(path.join(EXTENSION_DIR, dir, file), "utf8")),
);

describe("locales", () => {
  it("ships en (default), fr, de and es, storefront and schema", () => {
    expect(readdirSync(LOCALES).sort()).toEqual([
      "de.json",
      "de.schema.json",
      "en.default.json",
      "en.default.schema.json",
      "es.json",
      "es.schema.json",
      "fr.json",
      "fr.schema.json",
    ]);
  });

  it("translates every key of the default locale into every language", () => {
    for (const suffix of [".json", ".schema.json"]) {
      const expected = keys(read(`en.default${suffix}`)).sort();
      for (const locale of ["fr", "de", "es"]) {
        expect({ file: `${locale}${suffix}`, keys: keys(read(`${locale}${suffix}`)).sort() }).toEqual({
          file: `${locale}${suffix}`,
          keys: expected,
        });
      }
    }
  });

  it("has a string for every key the Liquid translates and every t: the schemas name", () => {
    const storefront = keys(read("en.default.json"));
    const schema = keys(read("en.default.schema.json"));
    const used = liquidSources.flatMap((source) => [...source.matchAll(/'([\w.]+)' \| t\b/g)].map((m) => m[1]));
    const named = liquidSources.flatMap((source) => [...source.matchAll(/"t:([\w.]+)"/g)].map((m) => m[1]));
    expect(used.length).toBeGreaterThan(0);
    expect(named.length).toBeGreaterThan(0);
    // Plural keys are used by their parent ("backorder.cart.ship_later" → ".one"/".other").
    expect(used.filter((key) => !storefront.includes(key!) && !storefront.includes(`${key}.other`))).toEqual([]);
    expect(named.filter((key) => !schema.includes(key!))).toEqual([]);
  });

  it("leaves no customer-facing text outside translations in the Liquid", () => {
    // Text between tags that is not Liquid output: nothing should remain once tags and Liquid go.
    const stray = liquidSources.flatMap((source) =>
      source
        .replace(/\{%-?\s*comment\s*-?%\}[\s\S]*?\{%-?\s*endcomment\s*-?%\}/g, "")
        .replace(/\{%-?\s*schema\s*-?%\}[\s\S]*?\{%-?\s*endschema\s*-?%\}/g, "")
        .replace(/\{%[\s\S]*?%\}|\{\{[\s\S]*?\}\}/g, "")
        .replace(/<[^>]*>/g, " ")
        .split(/\s+/)
        .filter(Boolean),
    );
    expect(stray).toEqual([]);
  });
});
