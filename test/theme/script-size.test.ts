import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { EXTENSION_DIR } from "./storefront";

const LIMIT = 2048;

describe("storefront script size", () => {
  it(`stays under ${LIMIT} bytes gzipped`, () => {
    const source = readFileSync(path.join(EXTENSION_DIR, "assets", "backorder-badge.js"));
    const gzipped = gzipSync(source, { level: 9 }).length;
    console.info(`assets/backorder-badge.js: ${source.length} B raw, ${gzipped} B gzipped (limit ${LIMIT} B)`);
    expect(gzipped).toBeLessThan(LIMIT);
  });
});
