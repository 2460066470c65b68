import { BlockStack, Checkbox, ChoiceList, Text, TextField } from "@shopify/polaris";

import type { PolicyExample } from "../../services/admin/policy-examples";
import { PolicyChoice } from "./PolicyChoice";
import { TagTiers } from "./TagTiers";
import type { FormValues } from "./form-values";
import { Section, type SectionProps } from "./Section";

export function AllocationSection({ values, set, error, examples }: SectionProps & { examples: PolicyExample[] }) {
  return (
    <Section
      title="Allocation"
      description="Who gets the units when stock arrives and not every waiting order can be filled."
    >
      <PolicyChoice
        value={values.allocationPolicy}
        examples={examples}
        onChange={set("allocationPolicy")}
        error={error("allocationPolicy")}
      />
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm">
          Priority tiers
        </Text>
        <TagTiers tags={values.priorityTags} onChange={set("priorityTags")} error={error("priorityTags")} />
      </BlockStack>
      <ChoiceList
        title="Allocation window"
        selected={[values.allocationWindow]}
        onChange={([window]) => window && set("allocationWindow")(window as FormValues["allocationWindow"])}
        error={error("allocationWindow")}
        choices={[
          { value: "immediate", label: "Immediately", helpText: "Units are allocated the moment stock arrives." },
          {
            value: "batch",
            label: "Once a day at a cut-off time",
            helpText: "Orders that arrive before the cut-off compete for the same units.",
            renderChildren: (selected) =>
              selected && (
                <BlockStack gap="200">
                  <Checkbox
                    label="Run the cut-off every day"
                    helpText="Off: run each cut-off yourself from the Backorders page."
                    checked={values.automaticCutoff}
                    onChange={set("automaticCutoff")}
                  />
                  {values.automaticCutoff && (
                    <TextField
                      label="Cut-off time (shop time, 24-hour)"
                      type="time"
                      value={values.cutoffTime}
                      onChange={set("cutoffTime")}
                      error={error("cutoffTime")}
                      autoComplete="off"
                    />
                  )}
                </BlockStack>
              ),
          },
        ]}
      />
      <Checkbox
        label="Move waiting orders to the location where stock arrives"
        helpText="When stock arrives at another location than the one an order waits at, the app moves the order's waiting fulfillment order there (whole orders only, oldest first) so it ships from that stock."
        checked={values.moveToStock}
        onChange={set("moveToStock")}
        error={error("moveToStock")}
      />
    </Section>
  );
}
