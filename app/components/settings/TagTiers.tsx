import { BlockStack, Button, InlineStack, Text, TextField } from "@shopify/polaris";
import { useState } from "react";

interface Props {
  tags: readonly string[];
  onChange: (tags: string[]) => void;
  error?: string;
}

/** An ordered list of tags, highest tier first, with buttons to reorder (keyboard-friendly, no drag). */
export function TagTiers({ tags, onChange, error }: Props) {
  const [draft, setDraft] = useState("");
  const move = (from: number, to: number) => {
    const next = tags.slice();
    const [tag] = next.splice(from, 1);
    if (tag !== undefined) next.splice(to, 0, tag);
    onChange(next);
  };
  const add = () => {
    const tag = draft.trim();
    if (tag && !tags.some((existing) => existing.toLowerCase() === tag.toLowerCase())) onChange([...tags, tag]);
    setDraft("");
  };
  return (
    <BlockStack gap="200">
      {tags.length === 0 ? (
        <Text as="p" tone="subdued">
          No tiers yet. Orders are served in arrival order.
        </Text>
      ) : (
        <ol aria-label="Priority tiers, highest first" style={{ margin: 0, paddingInlineStart: "1.25rem" }}>
          {tags.map((tag, index) => (
            <li key={tag}>
              <InlineStack gap="200" blockAlign="center">
                <Text as="span">{tag}</Text>
                <Button
                  size="slim"
                  disabled={index === 0}
                  onClick={() => move(index, index - 1)}
                  accessibilityLabel={`Move ${tag} up`}
                >
                  Up
                </Button>
                <Button
                  size="slim"
                  disabled={index === tags.length - 1}
                  onClick={() => move(index, index + 1)}
                  accessibilityLabel={`Move ${tag} down`}
                >
                  Down
                </Button>
                <Button
                  size="slim"
                  tone="critical"
                  variant="plain"
                  onClick={() => onChange(tags.filter((t) => t !== tag))}
                  accessibilityLabel={`Remove ${tag}`}
                >
                  Remove
                </Button>
              </InlineStack>
            </li>
          ))}
        </ol>
      )}
      <TextField
        label="Add a tier tag"
        value={draft}
        onChange={setDraft}
        autoComplete="off"
        error={error}
        connectedRight={
          <Button onClick={add} disabled={draft.trim() === ""}>
            Add
          </Button>
        }
        helpText="Matched against order and customer tags, ignoring case."
      />
    </BlockStack>
  );
}
