import { describe, expect, it } from "vitest";

import { allowLocalAdminFrame, appBridgeUrl, localAdminOrigin, localBouncePage } from "./local-admin.server";

const LIBRARY_CSP =
  "frame-ancestors https://demo.myshopify.com https://admin.shopify.com https://*.spin.dev https://admin.myshopify.io https://admin.shop.dev;";
const LIBRARY_LINK = '<https://cdn.shopify.com/shopifycloud/app-bridge.js>; rel="preload"; as="script";';

function libraryHeaders() {
  return new Headers({ "Content-Security-Policy": LIBRARY_CSP, Link: LIBRARY_LINK });
}

describe("local mode's admin: App Bridge and the frame", () => {
  it("GIVEN no Admin origin or a Shopify one THEN App Bridge is Shopify's CDN and the headers stay the library's", () => {
    for (const origin of [undefined, "https://demo.myshopify.com", "https://admin.shopify.com"]) {
      expect(localAdminOrigin(origin)).toBeNull();
      expect(appBridgeUrl(origin)).toBe("https://cdn.shopify.com/shopifycloud/app-bridge.js");
      const headers = libraryHeaders();
      allowLocalAdminFrame(headers, origin);
      expect(Object.fromEntries(headers)).toEqual(Object.fromEntries(libraryHeaders()));
      expect(localBouncePage(origin)).toBeNull();
    }
  });

  it("GIVEN Local Shopify as the Admin origin THEN its stand-in, its frame as an ancestor, and a bounce page for it", async () => {
    const origin = "http://127.0.0.1:3457/";
    expect(appBridgeUrl(origin)).toBe("http://127.0.0.1:3457/_local/app-bridge.js");
    const headers = libraryHeaders();
    allowLocalAdminFrame(headers, origin);
    expect(headers.get("Content-Security-Policy")).toBe(
      LIBRARY_CSP.replace("frame-ancestors ", "frame-ancestors http://127.0.0.1:3457 "),
    );
    expect(headers.get("Link")).toBe('<http://127.0.0.1:3457/_local/app-bridge.js>; rel="preload"; as="script";');

    const bounce = localBouncePage(origin)!;
    expect(bounce.headers.get("Content-Security-Policy")).toBe("frame-ancestors http://127.0.0.1:3457;");
    expect(await bounce.text()).toBe(
      '<script data-api-key="test-api-key" src="http://127.0.0.1:3457/_local/app-bridge.js"></script>\n',
    );
  });
});
