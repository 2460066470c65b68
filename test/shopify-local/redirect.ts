/**
 * Shopify's own clients (`@shopify/shopify-api`, hence `admin.graphql` in shopify-app-remix) always
 * call `https://{shop}/admin/api/...`. Install this as the runtime's fetch
 * (`setAbstractFetchFunc(redirectToLocalShopify(origin))` from `@shopify/shopify-api/runtime`) and
 * those calls — the Admin API and token exchange — reach Local Shopify instead; the access token (or the
 * session token's `dest`) still picks the shop. Everything else goes through unchanged.
 */
export function redirectToLocalShopify(origin: string, underlying: typeof fetch = globalThis.fetch): typeof fetch {
  return (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const match = /^https:\/\/[a-z0-9][a-z0-9-]*\.myshopify\.com(\/admin\/(?:api\/.*|oauth\/access_token))$/.exec(url);
    if (!match) return underlying(input, init);
    return underlying(
      `${origin}${match[1]}`,
      input instanceof Request ? new Request(`${origin}${match[1]}`, input) : init,
    );
  };
}
