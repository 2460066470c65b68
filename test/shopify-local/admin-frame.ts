/**
 * Shopify admin's frame around an embedded app (`GET /admin/{shop}/apps/{handle}[/subpath]`): the app's page in
 * an iframe with `embedded=1`, `shop`, `host` and a fresh session token, so a newcomer clicks through the app in
 * a plain browser. The frame's script is the admin's side of App Bridge for Local Shopify's stand-in
 * (`app-bridge/app-bridge.js`): it hands the app fresh session tokens (from the control API), shows the app's
 * `ui-nav-menu` links in a sidebar, and follows the app's page in the address bar.
 */
import { embeddedAppUrl } from "./session-token";
import type { Runtime } from "./store/runtime";

export interface FrameAnswer {
  status: number;
  body: string;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const STYLE =
  "html,body{margin:0;height:100%;font:14px/1.4 -apple-system,'Segoe UI',sans-serif;background:#f1f1f1}" +
  "body{display:grid;grid-template:44px 1fr/220px 1fr}" +
  "header{grid-column:1/3;display:flex;align-items:center;padding:0 16px;background:#1a1a1a;color:#e3e3e3}" +
  "nav{padding:12px 8px;background:#ebebeb;border-right:1px solid #ddd}nav ul{list-style:none;margin:0;padding:0}" +
  "nav a{display:block;padding:6px 10px;border-radius:8px;color:#303030;text-decoration:none}" +
  "nav a:hover{background:#e0e0e0}nav a[aria-current=page]{background:#fff;font-weight:600}" +
  "nav .app{padding:6px 10px;color:#616161;font-weight:600}iframe{border:0;width:100%;height:100%;background:#f1f1f1}";

/** The admin's half of the stand-in's messages; `config` is `{ shop, base, appOrigin }`. */
const SCRIPT = `
const frame = document.querySelector("iframe");
const list = document.getElementById("app-nav");
let items = [];
let current = location.pathname.slice(config.base.length) || "";
const reply = (message) => frame.contentWindow.postMessage({ source: "local-admin", ...message }, config.appOrigin);
const subpath = (href) => href.replace(/^\\/app(?=\\/|$)/, "");
function render() {
  const path = current.split("?")[0];
  const active = items.filter((item) => path === subpath(item.href) || path.startsWith(subpath(item.href) + "/"))
    .sort((a, b) => b.href.length - a.href.length)[0];
  list.replaceChildren(...items.map((item) => {
    const a = document.createElement("a");
    a.href = config.base + subpath(item.href);
    a.textContent = item.label;
    if (item === active) a.setAttribute("aria-current", "page");
    a.addEventListener("click", (event) => {
      event.preventDefault();
      reply({ type: "navigate", href: item.href });
    });
    const li = document.createElement("li");
    li.append(a);
    return li;
  }));
}
addEventListener("message", async (event) => {
  if (event.source !== frame.contentWindow || event.origin !== config.appOrigin) return;
  const message = event.data;
  if (message?.source !== "local-app-bridge") return;
  if (message.type === "id-token") {
    const answer = await fetch("/_local/shops/" + config.shop + "/session-token", { method: "POST" });
    reply({ type: "id-token", requestId: message.requestId, token: (await answer.json()).idToken });
  } else if (message.type === "nav") {
    items = message.items;
    render();
  } else if (message.type === "location") {
    current = subpath(message.path);
    history.replaceState(null, "", config.base + current);
    render();
  }
});
`;

function page(title: string, body: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
    `<style>${STYLE}</style></head><body>${body}</body></html>`
  );
}

export function adminFrame(
  rt: Runtime,
  app: { appUrl: string | undefined; apiSecret: string },
  domain: string,
  handle: string,
  subpath: string,
  query: URLSearchParams = new URLSearchParams(),
): FrameAnswer {
  const notFound = (text: string) => ({ status: 404, body: page("Not found", `<p>${escapeHtml(text)}</p>`) });
  if (!rt.shopsByDomain.has(domain)) return notFound(`No shop ${domain} in Local Shopify.`);
  if (handle !== rt.app.handle) return notFound(`No app ${handle}; this one is ${rt.app.handle}.`);
  if (!app.appUrl)
    return {
      status: 409,
      body: page(
        "No app URL",
        "<p>Local Shopify was started without appUrl (APP_URL), so it cannot frame the app.</p>",
      ),
    };
  // The admin passes the app's own query on (`…/analytics?days=90`); the embedding parameters are its own.
  const own = new URLSearchParams(
    [...query].filter(([key]) => !["embedded", "shop", "host", "id_token"].includes(key)),
  );
  const src = embeddedAppUrl(app.appUrl, `/app${subpath}${own.size ? `?${own}` : ""}`, {
    apiKey: rt.app.apiKey,
    apiSecret: app.apiSecret,
    shop: domain,
  });
  const config = { shop: domain, base: `/admin/${domain}/apps/${handle}`, appOrigin: new URL(app.appUrl).origin };
  const title = rt.app.title;
  return {
    status: 200,
    body: page(
      `${title} · ${domain}`,
      `<header>${escapeHtml(domain)} · Apps · ${escapeHtml(title)}</header>` +
        `<nav aria-label="${escapeHtml(title)}"><div class="app">${escapeHtml(title)}</div><ul id="app-nav"></ul></nav>` +
        `<iframe name="app-iframe" title="${escapeHtml(title)}" src="${escapeHtml(src)}"></iframe>` +
        `<script>const config = ${JSON.stringify(config).replace(/</g, "\\u003c")};${SCRIPT}</script>`,
    ),
  };
}
