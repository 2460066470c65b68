// The restock date block on Shopify's product page (admin.product-details.block.render). Rendered by Shopify admin
// with Preact and Polaris web components (@shopify/ui-extensions); built by `shopify app build`, type-checked by
// `npm run typecheck` with the extension's own tsconfig (Preact JSX, the `shopify` global of ../shopify.d.ts). Its
// logic is in ./restock-date.ts, tested offline; only a real store renders this file.
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";

import { describe, readAnswer, readUrl, requestBody, ENDPOINT, type ProductDates } from "./restock-date";

export default async () => {
  render(<Extension />, document.body);
};

function Extension() {
  const productId = shopify.data.selected[0]?.id ?? "";
  const [dates, setDates] = useState<ProductDates | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [variantId, setVariantId] = useState("");
  const [kind, setKind] = useState<"date" | "lead">("date");
  const [value, setValue] = useState("");
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    // fetch() to the app's own URL carries the merchant's ID token: authenticate.admin reads it.
    fetch(readUrl(productId)).then(async (response) => {
      const answer = readAnswer(response.status, await response.json().catch(() => null));
      if (answer.ok) setDates(answer.value);
      else setErrors(answer.errors);
    });
  }, [productId]);

  async function save() {
    const body = requestBody({ productId, variantId: variantId || null, kind, value });
    if (!body.ok) return setErrors(body.errors);
    setSaving(true);
    const response = await fetch(ENDPOINT, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body.value),
    });
    const answer = readAnswer(response.status, await response.json().catch(() => null));
    setSaving(false);
    if (answer.ok) {
      setDates(answer.value);
      setErrors({});
      setValue("");
    } else setErrors(answer.errors);
  }

  if (!dates) {
    return (
      <s-admin-block heading={shopify.i18n.translate("name")}>
        <s-text>{errors.form ?? errors.productId ?? shopify.i18n.translate("loading")}</s-text>
      </s-admin-block>
    );
  }
  return (
    <s-admin-block heading={shopify.i18n.translate("name")}>
      <s-stack direction="block" gap="base">
        {dates.variants.length === 0 ? (
          <s-text>{shopify.i18n.translate("none")}</s-text>
        ) : (
          dates.variants.map((variant) => (
            <s-text key={variant.variantId}>
              {variant.title}: {describe(dates, variant)}
            </s-text>
          ))
        )}
        <s-select
          label={shopify.i18n.translate("appliesTo")}
          value={variantId}
          onChange={(e) => setVariantId(e.currentTarget.value)}
        >
          <s-option value="">{shopify.i18n.translate("wholeProduct")}</s-option>
          {dates.variants.map((variant) => (
            <s-option key={variant.variantId} value={variant.variantId}>
              {variant.title}
            </s-option>
          ))}
        </s-select>
        <s-select
          label={shopify.i18n.translate("kind")}
          value={kind}
          onChange={(e) => setKind(e.currentTarget.value as "date" | "lead")}
        >
          <s-option value="date">{shopify.i18n.translate("kindDate")}</s-option>
          <s-option value="lead">{shopify.i18n.translate("kindLead")}</s-option>
        </s-select>
        <s-text-field
          label={kind === "date" ? shopify.i18n.translate("date") : shopify.i18n.translate("leadDays")}
          value={value}
          error={errors.date ?? errors.leadDays ?? errors.variantId ?? errors.form}
          onInput={(e) => setValue(e.currentTarget.value)}
        />
        <s-button variant="primary" loading={saving} onClick={save}>
          {shopify.i18n.translate("save")}
        </s-button>
      </s-stack>
    </s-admin-block>
  );
}
