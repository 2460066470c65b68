import { isbot } from "isbot";

// shopify-app-remix answers any User-Agent `isbot` flags (curl, Node's fetch, headless Chromium) with an empty 410;
// one with a session token is let through, the library still verifies it (docs/decisions/0014-newcomer-local-stack.md).
export function explainBotRefusal<Context>(
  authenticateAdmin: (request: Request) => Promise<Context>,
  openHint: string,
): (request: Request) => Promise<Context> {
  return async (request) => {
    const agent = request.headers.get("User-Agent") ?? "";
    if (!isbot(agent)) return authenticateAdmin(request);
    const url = new URL(request.url);
    const bearer = /^Bearer \S+/.test(request.headers.get("Authorization") ?? "");
    if (bearer || url.searchParams.get("id_token")) {
      const headers = new Headers(request.headers);
      // A user agent isbot passes; the library reads nothing else from it.
      headers.set("User-Agent", "Mozilla/5.0 (session token presented)");
      // clone(): the route's action still reads the original request's body.
      return authenticateAdmin(new Request(request.clone(), { headers }));
    }
    throw new Response(
      [
        "Backorder Keeper is an embedded Shopify app: its pages open inside Shopify admin, which passes a session token.",
        `This request carried none (no "Authorization: Bearer" header, no id_token parameter), and its User-Agent`,
        `("${agent}") is one Shopify's library treats as a bot, so it starts no sign-in.`,
        openHint,
        "",
      ].join("\n"),
      { status: 401, headers: { "Content-Type": "text/plain; charset=utf-8" } },
    );
  };
}
