/**
 * Installs the app on a Local Shopify shop through the app's real auth path: Shopify admin loads the app's
 * `/app` in its iframe with a fresh session token, and shopify-app-remix's token exchange trades it at Local
 * Shopify's `/admin/oauth/access_token` for the offline token, which the app stores.
 */
import { embeddedAppUrl } from "./session-token";

export interface InstallInput {
  appUrl: string;
  apiKey: string;
  apiSecret: string;
  shop: string;
}

/** Waits until the app answers HTTP at all (any status); throws naming the URL after `timeoutMs`. */
export async function waitForApp(appUrl: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const up = await fetch(appUrl, { redirect: "manual", signal: AbortSignal.timeout(5_000) }).then(
      () => true,
      () => false,
    );
    if (up) return;
    if (Date.now() > deadline) throw new Error(`the app at ${appUrl} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** GETs the embedded `/app` as Shopify admin does; anything but 200 is an error naming what the app answered. */
export async function installThroughApp({ appUrl, apiKey, apiSecret, shop }: InstallInput): Promise<void> {
  const url = embeddedAppUrl(appUrl, "/app", { apiKey, apiSecret, shop });
  const response = await fetch(url, { redirect: "manual" });
  if (response.status !== 200) {
    const body = (await response.text()).slice(0, 500);
    throw new Error(
      `installing on ${shop}: GET ${appUrl}/app answered ${response.status}` +
        `${response.headers.get("location") ? ` → ${response.headers.get("location")}` : ""}: ${body}\n` +
        `Does the app run with SHOPIFY_API_KEY=${apiKey}, the same SHOPIFY_API_SECRET and SHOPIFY_ADMIN_API_ORIGIN set to Local Shopify?`,
    );
  }
  await response.arrayBuffer();
}
