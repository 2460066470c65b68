import { BlockStack, Box, Button, InlineStack, Text, TextField } from "@shopify/polaris";

import type { FormValues } from "./form-values";

export function VariantCaps(props: {
  rows: FormValues["variantCaps"];
  onChange: (rows: FormValues["variantCaps"]) => void;
  error?: string;
}) {
  const update = (index: number, change: Partial<FormValues["variantCaps"][number]>) =>
    props.onChange(props.rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  return (
    <BlockStack gap="200">
      <Text as="h3" variant="headingSm">
        Caps for single variants
      </Text>
      {props.rows.map((row, index) => (
        <InlineStack key={index} gap="200" blockAlign="end" wrap={false}>
          <Box minWidth="60%">
            <TextField
              label={`Variant ${index + 1}`}
              value={row.variantId}
              onChange={(variantId) => update(index, { variantId })}
              placeholder="gid://shopify/ProductVariant/123"
              autoComplete="off"
            />
          </Box>
          <TextField
            label={`Cap for variant ${index + 1}`}
            type="number"
            value={row.cap}
            onChange={(cap) => update(index, { cap })}
            autoComplete="off"
          />
          <Button
            onClick={() => props.onChange(props.rows.filter((_, i) => i !== index))}
            accessibilityLabel={`Remove variant ${index + 1}`}
          >
            Remove
          </Button>
        </InlineStack>
      ))}
      {props.error && (
        <Text as="p" tone="critical">
          {props.error}
        </Text>
      )}
      <InlineStack>
        <Button onClick={() => props.onChange([...props.rows, { variantId: "", cap: "" }])}>Add a variant cap</Button>
      </InlineStack>
    </BlockStack>
  );
}
