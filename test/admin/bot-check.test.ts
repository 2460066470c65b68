import { beforeEach, describe, expect, it } from "vitest";

import db from "~/db.server";
import { action, loader } from "~/routes/app.settings";

import { adminRequest, APP_URL, call, installShop, sessionToken } from "./support";

const SHOP = "north-star.myshopify.com";
const CURL = "curl/8.5.0";
const HEADLESS =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/130.0.0.0 Safari/537.36";

beforeEach(async () => {
  await db.$executeRawUnsafe('DELETE FROM "Session"');
  await db.$executeRawUnsafe('DELETE FROM "ShopSettings"');
  await installShop(SHOP);
});

function withAgent(request: Request, agent: string): Request {
  const headers = new Headers(request.headers);
  headers.set("User-Agent", agent);
  return new Request(request, { headers });
}

describe("a bot's user agent (curl, headless Chromium) on an admin page", () => {
  it("GIVEN no session token WHEN curl asks for a page THEN it gets a non-empty explanation, not an empty 410", async () => {
    const response = await call(loader, new Request(`${APP_URL}/app/settings`, { headers: { "User-Agent": CURL } }));
    expect(response.status).toBe(401);
    expect(response.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
    expect(response.body).toContain("Backorder Keeper is an embedded Shopify app");
    expect(response.body).toContain('("curl/8.5.0") is one Shopify\'s library treats as a bot');
  });

  it("GIVEN a Bearer session token WHEN curl asks THEN it is authenticated as a browser would be", async () => {
    const response = await call(loader, withAgent(await adminRequest("/app/settings", { shop: SHOP }), CURL));
    expect(response.status).toBe(200);
    expect(response.body.settings.allocationPolicy).toBe("fifo");
  });

  it("GIVEN a forged Bearer token WHEN curl asks THEN the library still refuses it", async () => {
    const forged = await adminRequest("/app/settings", { shop: SHOP, secret: "forged" });
    const response = await call(loader, withAgent(forged, CURL));
    expect(response.status).toBe(401);
    expect(String(response.body)).not.toContain("fifo");
  });

  it("GIVEN headless Chromium loading the page as Shopify admin frames it (id_token) THEN the page loads", async () => {
    const url = new URL(`${APP_URL}/app/settings`);
    for (const [key, value] of Object.entries({
      embedded: "1",
      shop: SHOP,
      host: Buffer.from("admin.shopify.com/store/north-star").toString("base64url"),
      id_token: await sessionToken(SHOP),
    })) {
      url.searchParams.set(key, value);
    }
    const response = await call(loader, new Request(url, { headers: { "User-Agent": HEADLESS } }));
    expect(response.status).toBe(200);
    expect(response.body.settings.allocationPolicy).toBe("fifo");
  });

  it("GIVEN a POST from a bot with a session token THEN the action still reads its body", async () => {
    const request = withAgent(
      await adminRequest("/app/settings", { shop: SHOP, json: { allocationPolicy: "nope" } }),
      CURL,
    );
    const response = await call(action, request);
    expect(response.status).toBe(422);
    expect(JSON.stringify(response.body)).toContain("allocationPolicy");
  });
});
