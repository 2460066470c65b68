import { BlockStack, Button, InlineStack, Text, TextField } from "@shopify/polaris";
import { useState } from "react";

export function IdList(props: {
  label: string;
  helpText: string;
  ids: readonly string[];
  onChange: (ids: string[]) => void;
  error?: string;
}) {
  const [draft, setDraft] = useState("");
  const add = () => {
    const id = draft.trim();
    if (id && !props.ids.includes(id)) props.onChange([...props.ids, id]);
    setDraft("");
  };
  return (
    <BlockStack gap="200">
      {props.ids.length > 0 && (
        <ul aria-label={props.label} style={{ margin: 0, paddingInlineStart: "1.25rem" }}>
          {props.ids.map((id) => (
            <li key={id}>
              <InlineStack gap="200" blockAlign="center">
                <Text as="span">{id}</Text>
                <Button
                  variant="plain"
                  tone="critical"
                  onClick={() => props.onChange(props.ids.filter((x) => x !== id))}
                  accessibilityLabel={`Remove ${id}`}
                >
                  Remove
                </Button>
              </InlineStack>
            </li>
          ))}
        </ul>
      )}
      <TextField
        label={props.label}
        value={draft}
        onChange={setDraft}
        helpText={props.helpText}
        error={props.error}
        autoComplete="off"
        connectedRight={
          <Button onClick={add} disabled={draft.trim() === ""}>
            Add
          </Button>
        }
      />
    </BlockStack>
  );
}
