import { Checkbox, FormLayout, TextField } from "@shopify/polaris";

import { Section, type SectionProps } from "./Section";

export function StorefrontSection({ values, set, error }: SectionProps) {
  return (
    <Section title="Storefront and notifications" description="What customers see before they buy, and Shopify Flow.">
      <FormLayout>
        <Checkbox
          label="Show the backorder badge on the storefront"
          checked={values.badgeEnabled}
          onChange={set("badgeEnabled")}
          error={error("badgeEnabled")}
        />
        <TextField
          label="Badge text"
          value={values.badgeText}
          onChange={set("badgeText")}
          error={error("badgeText")}
          placeholder="Ships later"
          helpText="Optional, at most 80 characters."
          autoComplete="off"
        />
        <Checkbox
          label="Show the expected ship date"
          checked={values.badgeShowDate}
          onChange={set("badgeShowDate")}
          error={error("badgeShowDate")}
        />
        <Checkbox
          label="Send Shopify Flow triggers"
          helpText="Backorder created, allocated, delay notice due and cancelled. Each is sent unless Shopify Flow told the app that none of your turned-on workflows starts from it."
          checked={values.flowEnabled}
          onChange={set("flowEnabled")}
          error={error("flowEnabled")}
        />
        <Checkbox
          label="E-mail customers from the app"
          helpText="Backorder confirmation, part shipped, delay notice with the choice to wait or cancel, cancelled and refunded: in the customer's language, with a link to their order's page. Sent to every customer, newsletter choices aside (they are about the order). Use it with the Flow triggers or instead of them."
          checked={values.emailEnabled}
          onChange={set("emailEnabled")}
          error={error("emailEnabled")}
        />
      </FormLayout>
    </Section>
  );
}
