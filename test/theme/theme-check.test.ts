import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { check, type Offense } from "@shopify/theme-check-node";
import { describe, expect, it } from "vitest";
import { EXTENSION_DIR } from "./storefront";

// theme-check picks its "theme-app-extension" config itself when the root holds a
// shopify.extension.toml (load-config.js in @shopify/theme-check-node).
const describeOffense = (o: Offense) => `${o.check} ${path.basename(o.uri)}: ${o.message}`;

describe("theme-check on the theme app extension", () => {
  it("reports no offenses", async () => {
    const offenses = await check(EXTENSION_DIR);
    expect(offenses.map(describeOffense)).toEqual([]);
  });

  it("does report offenses on a broken copy, so the check above can fail", async () => {
    const copy = mkdtempSync(path.join(tmpdir(), "theme-check-"));
    try {
      cpSync(EXTENSION_DIR, copy, { recursive: true });
      writeFileSync(path.join(copy, "blocks", "broken.liquid"), "{% render 'missing' %}{{ 1 | no_such_filter }}\n");
      const offenses = await check(copy);
      expect(offenses.map((o) => o.check).sort()).toEqual([
        "AppBlockMissingSchema",
        "MissingTemplate",
        "UnknownFilter",
      ]);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
