import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";

import type { TrendDay } from "../../services/admin/analytics-page.server";
import { Chart } from "./ChartFrame";

/** Units backordered and lost per day: the chart, and the same figures as a table for screen readers. */
export function TrendCard({ trend }: { trend: TrendDay[] }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          Trend
        </Text>
        <Chart
          kind="daily"
          series={[
            { name: "Units backordered", data: trend.map((d) => ({ key: d.day, value: d.backordered })) },
            { name: "Units lost", data: trend.map((d) => ({ key: d.day, value: d.lost })) },
          ]}
        />
        <details>
          <summary>
            <Text as="span">Units backordered and lost per day, as a table</Text>
          </summary>
          <DataTable
            columnContentTypes={["text", "numeric", "numeric"]}
            headings={["Day", "Units backordered", "Units lost"]}
            rows={trend.map((d) => [d.day, d.backordered, d.lost])}
          />
        </details>
      </BlockStack>
    </Card>
  );
}
