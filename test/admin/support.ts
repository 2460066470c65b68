import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { getJwt } from "@shopify/shopify-api/test-helpers";

import db from "~/db.server";

export const APP_URL = "https://backorder-keeper.test";
const API_KEY = "test-api-key";
const API_SECRET = "test-api-secret";

/** The offline session a shop has after installing: authenticate.admin then never calls Shopify. */
export async function installShop(shop: string, accessToken = `token-${shop}`) {
  await db.session.create({
    data: {
      id: `offline_${shop}`,
      shop,
      state: "",
      isOnline: false,
      accessToken,
      scope: "read_orders,write_orders",
    },
  });
}

/** A session token as Shopify admin sends it: HS256 JWT signed with the app secret. */
export async function sessionToken(shop: string, secret = API_SECRET): Promise<string> {
  // getJwt takes the store name and appends .myshopify.com itself.
  return (await getJwt(shop.replace(/\.myshopify\.com$/, ""), API_KEY, secret)).token;
}

interface AdminRequestOptions {
  shop: string;
  method?: "GET" | "POST";
  json?: unknown;
  form?: Record<string, string>;
  /** Sign with another secret, as a forger would. */
  secret?: string;
}

/** A request from the embedded app to the server (fetch with the session token as Bearer). */
export async function adminRequest(path: string, options: AdminRequestOptions): Promise<Request> {
  const headers = new Headers({ Authorization: `Bearer ${await sessionToken(options.shop, options.secret)}` });
  let body: string | URLSearchParams | undefined;
  if (options.json !== undefined) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(options.json);
  } else if (options.form) {
    body = new URLSearchParams(options.form);
  }
  return new Request(`${APP_URL}${path}`, { method: options.method ?? (body ? "POST" : "GET"), headers, body });
}

type Handler<A> = (args: A) => Promise<unknown>;

/** Runs a loader or action and returns its Response or data, whether returned or thrown. */
export async function call<A extends LoaderFunctionArgs | ActionFunctionArgs>(
  handler: Handler<A>,
  request: Request,
  params: Record<string, string> = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions read whatever the handler returned
): Promise<{ status: number; body: any; headers: Headers }> {
  let outcome: unknown;
  try {
    outcome = await handler({ request, params, context: {} } as A);
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    outcome = thrown;
  }
  if (outcome instanceof Response) {
    const text = await outcome.text();
    const isJson = outcome.headers.get("Content-Type")?.includes("json");
    return { status: outcome.status, body: isJson && text ? JSON.parse(text) : text, headers: outcome.headers };
  }
  // Remix's `data()` helper: a DataWithResponseInit carrying the payload and its status.
  if (outcome && typeof outcome === "object" && (outcome as { type?: string }).type === "DataWithResponseInit") {
    const wrapped = outcome as { data: unknown; init: ResponseInit | null };
    return { status: wrapped.init?.status ?? 200, body: wrapped.data, headers: new Headers(wrapped.init?.headers) };
  }
  return { status: 200, body: outcome, headers: new Headers() };
}
