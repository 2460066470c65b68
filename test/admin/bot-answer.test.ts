import { describe, expect, it } from "vitest";

import { loader } from "~/routes/app";

import { call } from "./support";

describe("an admin page asked for by a script", () => {
  it("GIVEN curl's User-Agent THEN 410 as the library answers bots, with a body that says why and what to do", async () => {
    const request = new Request("https://backorder-keeper.test/app?shop=north-star.myshopify.com", {
      headers: { "User-Agent": "curl/8.5.0" },
    });

    const response = await call(loader, request);

    expect(response.status).toBe(410);
    expect(response.body).toMatch(/^410 Gone: this is the app's embedded admin/);
    expect(response.body).toContain('("curl/8.5.0") are not authenticated');
  });

  it("GIVEN a browser's User-Agent without a session token THEN the library's own answer, not the 410", async () => {
    const request = new Request("https://backorder-keeper.test/app?shop=north-star.myshopify.com", {
      headers: { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/156.0 Safari/537.36" },
    });

    const response = await call(loader, request);

    expect(response.status).not.toBe(410);
  });
});
