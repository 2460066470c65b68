import { BlockStack, ChoiceList, InlineStack, Text } from "@shopify/polaris";

import type { AllocationPolicy } from "../../domain";
import { EXAMPLE_ORDERED, EXAMPLE_SUPPLY, POLICY_TEXT, type PolicyExample } from "../../services/admin/policy-examples";

interface Props {
  value: AllocationPolicy;
  examples: PolicyExample[];
  onChange: (policy: AllocationPolicy) => void;
  error?: string;
}

/** The six policies, each with its sentence and what it does with the example (EXAMPLE_SUPPLY units for 7 customers). */
export function PolicyChoice({ value, examples, onChange, error }: Props) {
  return (
    <ChoiceList
      title="Allocation policy"
      error={error}
      selected={[value]}
      onChange={([selected]) => selected && onChange(selected as AllocationPolicy)}
      choices={examples.map((example) => ({
        value: example.policy,
        label: POLICY_TEXT[example.policy].label,
        helpText: (
          <BlockStack gap="100">
            <Text as="span">{POLICY_TEXT[example.policy].sentence}</Text>
            <ExampleShares shares={example.shares} />
          </BlockStack>
        ),
      }))}
    />
  );
}

function ExampleShares({ shares }: { shares: number[] }) {
  const served = shares.filter((units) => units > 0).length;
  const complete = shares.filter((units, i) => units === EXAMPLE_ORDERED[i]).length;
  return (
    <InlineStack gap="100" wrap>
      <Text as="span" tone="subdued">
        {`Example, ${EXAMPLE_SUPPLY} units for 7 customers who ordered ${EXAMPLE_ORDERED.join(", ")}: `}
        {shares.join(" · ")}
        {` (${served} customers get something, ${complete} orders complete)`}
      </Text>
    </InlineStack>
  );
}
