import { BlockStack, Box, InlineStack, Text } from "@shopify/polaris";

import { formatDate, timelineText, type TimelineEntry } from "./format";

interface Event extends TimelineEntry {
  id: string;
  at: Date;
  lineTitle: string | null;
}

/** The order's story, oldest first, as an ordered list so screen readers announce the sequence. */
export function Timeline({ events }: { events: Event[] }) {
  if (events.length === 0) {
    return (
      <Text as="p" tone="subdued">
        Nothing has happened to this order yet.
      </Text>
    );
  }
  return (
    <ol
      aria-label="Timeline"
      style={{ listStyle: "none", margin: 0, padding: 0, display: "grid", gap: "var(--p-space-300)" }}
    >
      {events.map((event) => (
        <li key={event.id}>
          <Box borderInlineStartWidth="050" borderColor="border" paddingInlineStart="300">
            <InlineStack align="space-between" gap="200">
              <BlockStack gap="050">
                <Text as="span">{timelineText(event)}</Text>
                {event.lineTitle && (
                  <Text as="span" tone="subdued">
                    {event.lineTitle}
                  </Text>
                )}
              </BlockStack>
              <Text as="span" tone="subdued">
                <time dateTime={new Date(event.at).toISOString()}>{formatDate(event.at)}</time>
              </Text>
            </InlineStack>
          </Box>
        </li>
      ))}
    </ol>
  );
}
