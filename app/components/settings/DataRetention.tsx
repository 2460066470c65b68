import { BlockStack, Card, Text } from "@shopify/polaris";

interface Props {
  retentionDays: number;
  rawPayloads: { count: number; oldestReceivedAt: string | null };
}

/** What the app keeps of Shopify's webhook payloads, and for how long (docs/decisions/0004). */
export function DataRetention({ retentionDays, rawPayloads }: Props) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          Customer data in webhooks
        </Text>
        <Text as="p">
          Once a webhook from Shopify is processed, only its ids and timestamps are kept. A webhook that could not be
          processed keeps its full payload for {retentionDays} days, so it can be retried and diagnosed; then it is cut
          down the same way. A customer&apos;s redaction request removes them at once either way.
        </Text>
        <Text as="p" tone="subdued">
          {rawPayloads.count === 0
            ? "No full payloads are kept now."
            : `${rawPayloads.count} full ${rawPayloads.count === 1 ? "payload is" : "payloads are"} kept now, the oldest from ${new Date(rawPayloads.oldestReceivedAt!).toLocaleDateString("en-US", { dateStyle: "medium" })}.`}
        </Text>
      </BlockStack>
    </Card>
  );
}
