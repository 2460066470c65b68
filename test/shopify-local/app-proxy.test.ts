import "@shopify/shopify-api/adapters/node";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startLocalShopify, type LocalShopify } from "./server";

// X1: Local Shopify's app proxy forwards storefront requests as Shopify does (shopify.dev "Authenticate app
// proxies"), checked against a stand-in app that records what arrives and against Shopify's own library.
const SECRET = "proxy-secret";
const SHOP = "proxy.myshopify.com";

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: string;
}

let app: Server;
let local: LocalShopify;
const seen: Seen[] = [];

beforeAll(async () => {
  app = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const url = new URL(request.url ?? "/", "http://app");
      seen.push({
        method: request.method ?? "",
        path: url.pathname,
        query: url.searchParams,
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
      });
      const liquid = "<p>{{ request.locale.iso_code }}|{{ customer.first_name }}|{{ shop.name }}</p>";
      if (url.pathname.endsWith("/bare")) {
        response.writeHead(200, { "Content-Type": "application/liquid" }).end(`{% layout none %} ${liquid}`);
      } else if (url.pathname.endsWith("/json")) {
        response.writeHead(200, { "Content-Type": "application/json", "Set-Cookie": "app=1" }).end('{"ok":true}');
      } else {
        response.writeHead(200, { "Content-Type": "application/liquid", "Set-Cookie": "app=1" }).end(liquid);
      }
    });
  });
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  local = await startLocalShopify({ apiSecret: SECRET, appUrl });
  await local.control.createShop({ domain: SHOP });
});

afterAll(async () => {
  await local.stop();
  await new Promise<void>((resolve) => app.close(() => resolve()));
});

const api = shopifyApi({
  apiKey: "local-api-key",
  apiSecretKey: SECRET,
  apiVersion: ApiVersion.October25,
  hostName: "app.example.com",
  isEmbeddedApp: true,
  logger: { level: 0 },
});

async function visit(path: string, init: RequestInit = {}) {
  const response = await fetch(`${local.origin}/storefront/${SHOP}${path}`, { redirect: "manual", ...init });
  return { response, html: await response.text(), seen: seen.at(-1)! };
}

describe("X1 app proxy", () => {
  it("forwards the path under the subpath with shop, blank customer, path_prefix, timestamp and Shopify's signature", async () => {
    const { seen: request } = await visit("/apps/backorders/extra/path?extra=1&extra=2", {
      headers: { Cookie: "_secure_session_id=abc", "Sec-Fetch-Site": "same-origin" },
    });
    expect(request.path).toBe("/apps/backorders/extra/path");
    expect(Object.fromEntries([...request.query.keys()].map((key) => [key, request.query.getAll(key)]))).toEqual({
      extra: ["1", "2"],
      shop: [SHOP],
      logged_in_customer_id: [""],
      path_prefix: ["/apps/backorders"],
      timestamp: [expect.stringMatching(/^\d{10}$/)],
      signature: [expect.stringMatching(/^[0-9a-f]{64}$/)],
    });
    expect(Math.abs(Number(request.query.get("timestamp")) - Date.now() / 1000)).toBeLessThan(10);
    // Shopify's own check (what authenticate.public.appProxy calls) accepts it, and refuses it altered.
    expect(await api.utils.validateHmac(request.query, { signator: "appProxy" })).toBe(true);
    const altered = new URLSearchParams(request.query);
    altered.set("logged_in_customer_id", "1");
    expect(await api.utils.validateHmac(altered, { signator: "appProxy" })).toBe(false);
    expect(request.headers.cookie).toBeUndefined();
    expect(request.headers["sec-fetch-site"]).toBe("same-origin");
  });

  it("names the logged-in customer, passes a form's POST body on, and renders Liquid in the theme without Set-Cookie", async () => {
    const product = await local.control.createProduct(SHOP, {
      title: "Cup",
      variants: [{ sku: "CUP", price: "5.00", inventoryPolicy: "CONTINUE", available: {} }],
    });
    const order = await local.control.placeOrder(SHOP, {
      customer: { email: "c@example.com", firstName: "Cleo" },
      lines: [{ variantId: product.variants[0]!.id, quantity: 1 }],
    });
    const login = await visit("/account/login", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "email=c%40example.com",
    });
    const cookie = login.response.headers.get("set-cookie")!.split(";")[0]!;

    const posted = await visit("/fr/apps/backorders/orders/1/wait", {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: "token=abc&until=2026-12-20",
    });
    expect(posted.seen).toMatchObject({
      method: "POST",
      path: "/apps/backorders/orders/1/wait",
      body: "token=abc&until=2026-12-20",
    });
    expect(posted.seen.query.get("logged_in_customer_id")).toBe(String(order.customerId));
    expect(await api.utils.validateHmac(posted.seen.query, { signator: "appProxy" })).toBe(true);
    expect(posted.response.headers.get("content-type")).toContain("text/html");
    expect(posted.response.headers.get("set-cookie")).toBeNull();
    expect(posted.html).toContain("<p>fr|Cleo|");
    expect(posted.html).toMatch(/^<!doctype html><html lang="fr">/);

    const bare = await visit("/apps/backorders/bare");
    expect(bare.html.trim()).toMatch(/^<p>en\|\|/);
    const json = await visit("/apps/backorders/json");
    expect([json.html, json.response.headers.get("set-cookie")]).toEqual(['{"ok":true}', null]);
  });
});
