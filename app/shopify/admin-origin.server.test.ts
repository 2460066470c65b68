import { describe, expect, it } from "vitest";

import { rewriteAdminUrl } from "./admin-origin.server";

describe("rewriteAdminUrl", () => {
  it("sends a shop's Admin API path to the configured origin, keeping path and query", () => {
    expect(
      rewriteAdminUrl("https://north-star.myshopify.com/admin/api/2026-10/graphql.json?x=1", "http://127.0.0.1:3457/"),
    ).toBe("http://127.0.0.1:3457/admin/api/2026-10/graphql.json?x=1");
  });

  it("leaves every other URL alone", () => {
    expect(rewriteAdminUrl("https://north-star.myshopify.com/apps/proxy", "http://127.0.0.1:3457")).toBe(
      "https://north-star.myshopify.com/apps/proxy",
    );
    expect(rewriteAdminUrl("https://example.com/admin/api/x", "http://127.0.0.1:3457")).toBe(
      "https://example.com/admin/api/x",
    );
  });
});
