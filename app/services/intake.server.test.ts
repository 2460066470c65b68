import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { resourceIdOf } from "./intake.server";

/** What resourceIdOf must equal: the parsed body's own top-level id, when it is a Shopify gid. */
function parsedResourceId(raw: string): string | null {
  const id = (JSON.parse(raw) as { admin_graphql_api_id?: unknown } | null)?.admin_graphql_api_id;
  return typeof id === "string" && id.startsWith("gid://shopify/") ? id : null;
}

const FIXTURES = path.resolve("test/fixtures/webhooks");

describe("resourceIdOf", () => {
  it.each(readdirSync(FIXTURES).filter((file) => file.endsWith(".json")))(
    "reads Shopify's sample %s as JSON.parse does",
    (file) => {
      const raw = readFileSync(path.join(FIXTURES, file), "utf8");
      expect(resourceIdOf(raw)).toBe(parsedResourceId(raw));
    },
  );

  it("finds only the top-level key, wherever it sits, whatever strings and nesting come before it", () => {
    const gid = fc.oneof(
      fc.nat().map((n) => `gid://shopify/Order/${n}`),
      fc.string(),
      fc.constant('gid://shopify/Order/1\\"}'),
    );
    const noise = fc.dictionary(
      fc.oneof(fc.string(), fc.constant("admin_graphql_api_id")),
      fc.oneof(fc.jsonValue(), fc.constant("admin_graphql_api_id"), fc.record({ admin_graphql_api_id: gid })),
    );
    fc.assert(
      fc.property(noise, fc.option(gid), fc.nat(), fc.boolean(), (fields, id, at, spaced) => {
        const entries = Object.entries(fields).filter(([key]) => key !== "admin_graphql_api_id");
        if (id !== null) entries.splice(at % (entries.length + 1), 0, ["admin_graphql_api_id", id]);
        const raw = JSON.stringify(Object.fromEntries(entries), null, spaced ? 2 : undefined);
        expect(resourceIdOf(raw)).toBe(parsedResourceId(raw));
      }),
      { numRuns: 500 },
    );
  });
});
