import { BlockStack, Card, InlineGrid, Text } from "@shopify/polaris";

import type { loadAnalytics } from "../../services/admin/analytics-page.server";

type Analytics = Awaited<ReturnType<typeof loadAnalytics>>;

const percent = (share: number | null) => (share === null ? "—" : `${(share * 100).toFixed(1)}%`);
const days = (value: number | null) => (value === null ? "—" : `${value.toFixed(1)} days`);

/** The period's figures, one card each: how much shipped and how fast, what waits, what was lost. */
export function Metrics({
  figures: a,
  money,
}: {
  figures: Omit<Analytics, "trend" | "byReason" | "byProduct">;
  money: (cents: number) => string;
}) {
  return (
    <InlineGrid columns={{ xs: 1, sm: 2, md: 3 }} gap="400">
      <Metric
        title="Fill rate"
        value={percent(a.fillRate)}
        detail={`${a.unitsShipped} of ${a.unitsOrdered} backordered units shipped`}
      />
      <Metric title="Mean wait" value={days(a.meanWaitDays)} detail={`Over ${a.shippedLines} lines that shipped`} />
      <Metric title="95th percentile wait" value={days(a.p95WaitDays)} detail="95% of customers waited no longer" />
      <Metric title="Open backorders" value={String(a.openLines)} detail={`${a.openUnits} units waiting now`} />
      <Metric title="Lost units" value={String(a.lostUnits)} detail={`In the last ${a.days} days`} />
      <Metric title="Lost revenue" value={money(a.lostCents)} detail="Units never sold × their price" />
    </InlineGrid>
  );
}

function Metric({ title, value, detail }: { title: string; value: string; detail: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm" tone="subdued">
          {title}
        </Text>
        <Text as="p" variant="headingXl">
          {value}
        </Text>
        <Text as="p" tone="subdued">
          {detail}
        </Text>
      </BlockStack>
    </Card>
  );
}
