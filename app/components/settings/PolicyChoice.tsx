import { BlockStack, ChoiceList, InlineStack, Text } from "@shopify/polaris";

import type { AllocationPolicy } from "../../domain";
import { POLICY_TEXT, type PolicyExample } from "../../services/admin/policy-examples";

interface Props {
  value: AllocationPolicy;
  examples: PolicyExample[];
  onChange: (policy: AllocationPolicy) => void;
  error?: string;
}

/** The six policies, each with its sentence and what it does with the example (9 units, 7 customers × 3). */
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
  const complete = shares.filter((units) => units === 3).length;
  return (
    <InlineStack gap="100" wrap>
      <Text as="span" tone="subdued">
        Example, 9 units for 7 customers who ordered 3 each: {shares.join(" · ")}
        {` (${served} customers get something, ${complete} orders complete)`}
      </Text>
    </InlineStack>
  );
}
