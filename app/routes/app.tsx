import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import { AppProvider } from "@shopify/shopify-app-remix/react";
// From the package, not ../shopify.server: ErrorBoundary ships to the browser, shopify.server must not.
import { boundary } from "@shopify/shopify-app-remix/server";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";

import { env } from "../env.server";
import { appBridgeUrl } from "../shopify/local-admin.server";
import { authenticate } from "../shopify.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const meta: MetaFunction = () => [{ title: "Backorder Keeper" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return { apiKey: env.SHOPIFY_API_KEY, appBridgeUrl: appBridgeUrl() };
};

export default function App() {
  const { apiKey, appBridgeUrl: bridgeUrl } = useLoaderData<typeof loader>();
  return (
    // Shopify's CDN in production; Local Shopify's stand-in in local mode (docs/decisions/0016-demo.md).
    <AppProvider isEmbeddedApp apiKey={apiKey} __APP_BRIDGE_URL={bridgeUrl}>
      <NavMenu>
        <Link to="/app" rel="home">
          Backorders
        </Link>
        <Link to="/app/dates">Restock dates</Link>
        <Link to="/app/analytics">Analytics</Link>
        <Link to="/app/what-if">Policy what-if</Link>
        <Link to="/app/settings">Settings</Link>
      </NavMenu>
      <Outlet />
    </AppProvider>
  );
}

// Shopify needs Remix to catch thrown responses so its headers reach the browser.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
