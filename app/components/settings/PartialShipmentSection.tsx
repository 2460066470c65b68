import { Checkbox, ChoiceList, TextField } from "@shopify/polaris";

import { IdList } from "./IdList";
import type { FormValues } from "./form-values";
import { Section, type SectionProps } from "./Section";

export function PartialShipmentSection({ values, set, error }: SectionProps) {
  return (
    <Section title="Partial shipments" description="What ships when only part of an order is in stock.">
      <ChoiceList
        title="Partial shipment"
        selected={[values.partialShipment]}
        onChange={([choice]) => choice && set("partialShipment")(choice as FormValues["partialShipment"])}
        error={error("partialShipment")}
        choices={[
          { value: "ship_available", label: "Ship what is available", helpText: "The rest follows when it arrives." },
          { value: "ship_complete", label: "Ship complete orders only", helpText: "One shipment per order." },
          {
            value: "threshold",
            label: "Ship once enough is available",
            helpText: "A partial order ships once this share of its units is in hand.",
            renderChildren: (selected) =>
              selected && (
                <TextField
                  label="Threshold"
                  type="number"
                  suffix="%"
                  value={values.thresholdPercent}
                  onChange={set("thresholdPercent")}
                  error={error("thresholdPercent")}
                  autoComplete="off"
                />
              ),
          },
        ]}
      />
      {values.partialShipment !== "ship_available" && (
        <Checkbox
          label="Let customers ask for what is ready to ship now"
          helpText="The customer's page (/apps/backorders on your store) offers to send the units already allocated to an order before the rest arrives."
          checked={values.shipReadyOnRequest}
          onChange={set("shipReadyOnRequest")}
          error={error("shipReadyOnRequest")}
        />
      )}
      <IdList
        label="Products never split"
        helpText="Product IDs such as gid://shopify/Product/123. These always ship complete."
        ids={values.neverSplitProducts}
        onChange={set("neverSplitProducts")}
        error={error("neverSplitProducts")}
      />
    </Section>
  );
}
