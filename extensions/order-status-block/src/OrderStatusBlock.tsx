// The order status block (customer-account.order-status.block.render). Rendered by customer accounts with Preact
// and Shopify's web components; built by `shopify app build`, type-checked by `npm run typecheck` with the
// extension's own tsconfig. It asks the app about the page's order with the customer's session token and shows
// the answer (OrderStatusView.tsx); only a real store runs this file.
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";

import { orderUrl, readAnswer, type BlockAnswer } from "./contract";
import { OrderStatusView } from "./OrderStatusView";

export default async () => {
  render(<Extension />, document.body);
};

function Extension() {
  const orderId = shopify.order.value?.id ?? "";
  const [answer, setAnswer] = useState<BlockAnswer | null>(null);

  useEffect(() => {
    const url = orderUrl(orderId);
    if (!url) return setAnswer({ kind: "none" });
    (async () => {
      try {
        // A token per request: Shopify caches it while valid (about five minutes).
        const token = await shopify.sessionToken.get();
        const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
        setAnswer(readAnswer(response.status, await response.json().catch(() => null)));
      } catch {
        setAnswer({ kind: "failed", status: 0 });
      }
    })();
  }, [orderId]);

  return <OrderStatusView answer={answer} i18n={shopify.i18n} />;
}
