import { BlockStack, Box, InlineStack, Text } from "@shopify/polaris";

import { formatDate } from "./format";

interface Event {
  id: string;
  kind: string;
  quantity: number | null;
  detail: string;
  at: Date;
  lineTitle: string | null;
}

const KIND_TEXT: Record<string, (quantity: number | null) => string> = {
  held: (q) => `${q ?? "Units"} on backorder, fulfilment held`,
  // A fulfillment service already has the request: Shopify allows no hold (decision 0020).
  not_held: (q) => `${q ?? "Units"} on backorder, not held`,
  allocated: (q) => `${q ?? "Units"} allocated from new stock`,
  released: (q) => `${q ?? "Units"} released for fulfilment`,
  reminder: () => "Reminder: the promised date is near",
  delay_notice: () => "Delay notice sent to the customer",
  redated: () => "Promised date brought forward",
  consent: () => "Customer agreed to wait longer",
  cancelled: (q) => `${q ?? "Units"} cancelled`,
  refunded: (q) => `${q ?? "Units"} refunded`,
  lost: (q) => `${q ?? "Units"} lost`,
};

function describe(event: Event): string {
  const text = KIND_TEXT[event.kind]?.(event.quantity) ?? event.kind;
  const detail = JSON.parse(event.detail) as { until?: string; reason?: string };
  if (event.kind === "consent" && detail.until) return `${text}, until ${formatDate(detail.until)}`;
  if (detail.reason) return `${text} (${detail.reason.replace(/_/g, " ")})`;
  return text;
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
                <Text as="span">{describe(event)}</Text>
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
