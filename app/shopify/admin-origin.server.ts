import { abstractFetch, setAbstractFetchFunc } from "@shopify/shopify-api/runtime";

/** Shopify's token exchange is under /admin/oauth too, so it follows. */
export function rewriteAdminUrl(url: string, origin: string): string {
  const parsed = new URL(url);
  if (!parsed.hostname.endsWith(".myshopify.com") || !parsed.pathname.startsWith("/admin/")) return url;
  return `${origin.replace(/\/+$/, "")}${parsed.pathname}${parsed.search}`;
}

/** Must run after the runtime adapter is imported, since it wraps the fetch the adapter installed. */
export function redirectAdminApi(origin: string | undefined): void {
  if (!origin) return;
  const adapterFetch = abstractFetch;
  setAbstractFetchFunc((input, init) => {
    if (typeof input === "string" || input instanceof URL) {
      return adapterFetch(rewriteAdminUrl(String(input), origin), init);
    }
    const rewritten = rewriteAdminUrl(input.url, origin);
    return adapterFetch(rewritten === input.url ? input : new Request(rewritten, input), init);
  });
}
