// Local Shopify's stand-in for App Bridge (https://cdn.shopify.com/shopifycloud/app-bridge.js), which cannot be
// reached offline. Served at {origin}/_local/app-bridge.js and routed in by the browser tests. It does what the
// real one does for this app's pages:
// - adds a session token to the app's own fetches (Authorization: Bearer), as App Bridge patches fetch;
// - takes that token from Local Shopify's admin frame (the parent window) when framed, fresh before the last
//   one expires, as Shopify admin hands them to App Bridge; unframed, the page's own id_token;
// - on the library's bounce page (?shopify-reload=) reloads the page with a token;
// - shows toasts; shows `ui-nav-menu`'s links in the admin frame's sidebar and navigates on their click
//   (the `shopify:navigate` event the app's AppProvider listens for); `ui-save-bar`, `ui-title-bar` and
//   `ui-modal` are hidden hosts (in the admin they render outside the iframe).
(() => {
  const framed = window.parent !== window;
  const query = new URLSearchParams(location.search);
  const post = (message) => framed && window.parent.postMessage({ source: "local-app-bridge", ...message }, "*");
  const fromParent = (event) => framed && event.source === window.parent && event.data?.source === "local-admin";

  let cached = query.get("id_token");
  const expiresAt = (token) => {
    try {
      const payload = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
      return payload.exp * 1000;
    } catch {
      return 0;
    }
  };
  const pending = new Map();
  let nextRequest = 1;
  addEventListener("message", (event) => {
    if (!fromParent(event) || event.data.type !== "id-token") return;
    pending.get(event.data.requestId)?.(event.data.token);
    pending.delete(event.data.requestId);
  });
  const askParent = () =>
    new Promise((resolve, reject) => {
      const requestId = nextRequest++;
      pending.set(requestId, resolve);
      post({ type: "id-token", requestId });
      setTimeout(() => pending.has(requestId) && reject(new Error("the admin frame sent no session token")), 10_000);
    });
  // Framed, every token but a fresh enough one comes from the admin; 10 s of margin covers a slow request.
  const idToken = async () => {
    if (framed && !(cached && cached !== query.get("id_token") && expiresAt(cached) - Date.now() > 10_000)) {
      cached = await askParent();
    }
    return cached;
  };

  const nativeFetch = window.fetch.bind(window);
  window.fetch = async (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href);
    if (url.origin !== location.origin) return nativeFetch(input, init);
    const headers = new Headers(init.headers || (input instanceof Request ? input.headers : undefined));
    headers.set("Authorization", "Bearer " + (await idToken()));
    return nativeFetch(input, { ...init, headers });
  };

  const reload = query.get("shopify-reload");
  if (reload) {
    void idToken().then((token) => {
      const target = new URL(reload, location.href);
      if (target.origin !== location.origin) return;
      target.searchParams.set("id_token", token);
      location.replace(target.toString());
    });
  }

  const toast = (message, options = {}) => {
    const el = document.createElement("div");
    el.setAttribute("role", "status");
    el.className = "app-bridge-toast";
    el.style.cssText =
      "position:fixed;left:50%;bottom:24px;transform:translateX(-50%);z-index:1000;padding:10px 16px;" +
      "border-radius:8px;background:#1a1a1a;color:#fff;font:14px/1.4 sans-serif";
    el.textContent = message;
    document.body.append(el);
    setTimeout(() => el.remove(), options.duration ?? 5000);
  };
  window.shopify = {
    config: { apiKey: document.currentScript?.dataset.apiKey },
    idToken,
    toast: { show: toast, hide() {} },
    loading() {},
    saveBar: { show: async () => {}, hide: async () => {}, toggle: async () => {}, leaveConfirmation: async () => {} },
  };

  class Hidden extends HTMLElement {
    connectedCallback() {
      this.style.display = "none";
    }
    show() {
      this.dataset.open = "true";
    }
    hide() {
      delete this.dataset.open;
    }
  }
  // The parser adds the menu's links after the element connects: report them as they come.
  class NavMenu extends Hidden {
    connectedCallback() {
      super.connectedCallback();
      this.observer = new MutationObserver(() => this.report());
      this.observer.observe(this, { childList: true, subtree: true, attributes: true, characterData: true });
      this.report();
    }
    disconnectedCallback() {
      this.observer?.disconnect();
    }
    report() {
      const items = [...this.querySelectorAll("a[href]")].map((a) => ({
        href: a.getAttribute("href"),
        label: a.textContent.trim(),
        home: a.getAttribute("rel") === "home",
      }));
      post({ type: "nav", items });
    }
  }
  customElements.define("ui-nav-menu", NavMenu);
  for (const name of ["ui-save-bar", "ui-title-bar", "ui-modal"]) customElements.define(name, class extends Hidden {});

  addEventListener("message", (event) => {
    if (!fromParent(event) || event.data.type !== "navigate") return;
    const link = [...document.querySelectorAll("ui-nav-menu a[href]")].find(
      (a) => a.getAttribute("href") === event.data.href,
    );
    link?.dispatchEvent(new CustomEvent("shopify:navigate", { bubbles: true }));
  });
  // The admin frame follows the app's page in its address bar and sidebar, as Shopify admin does.
  const embedding = ["embedded", "shop", "host", "id_token", "shopify-reload"];
  const where = () => {
    const own = [...new URLSearchParams(location.search)].filter(([key]) => !embedding.includes(key));
    post({ type: "location", path: location.pathname + (own.length ? "?" + new URLSearchParams(own) : "") });
  };
  for (const method of ["pushState", "replaceState"]) {
    const original = history[method];
    history[method] = function (...args) {
      const result = original.apply(this, args);
      where();
      return result;
    };
  }
  addEventListener("popstate", where);
  where();
})();
