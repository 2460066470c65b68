import { FormLayout, TextField } from "@shopify/polaris";

import { VariantCaps } from "./VariantCaps";
import { Section, type SectionProps } from "./Section";

export function LimitsSection({ values, set, error }: SectionProps) {
  return (
    <Section
      title="Limits and tagging"
      description="How much may be sold on backorder, and how backordered orders are marked."
    >
      <FormLayout>
        <TextField
          label="Backorder cap per variant"
          type="number"
          suffix="units"
          value={values.backorderCap}
          onChange={set("backorderCap")}
          error={error("backorderCap")}
          helpText="Leave empty for no cap. Units beyond the cap are recorded as lost sales."
          autoComplete="off"
        />
        <VariantCaps rows={values.variantCaps} onChange={set("variantCaps")} error={error("variantCaps")} />
        <TextField
          label="Order tag"
          value={values.orderTag}
          onChange={set("orderTag")}
          error={error("orderTag")}
          helpText="Added to every order with a backordered line."
          autoComplete="off"
        />
      </FormLayout>
    </Section>
  );
}
