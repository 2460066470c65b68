import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { boundary } from "@shopify/shopify-app-remix/server";

import { localBouncePage } from "../shopify/local-admin.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  // The library's patchSessionTokenPath (authPathPrefix + "/session-token"); only Local Shopify's mode answers here.
  if (new URL(request.url).pathname === "/auth/session-token") {
    const local = localBouncePage();
    if (local) return local;
  }
  await authenticate.admin(request);
  return null;
};

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
