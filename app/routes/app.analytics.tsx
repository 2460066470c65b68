import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { BlockStack, Box, Card, DataTable, EmptyState, InlineGrid, Layout, Page, Select, Text } from "@shopify/polaris";

import { Chart } from "../components/analytics/ChartFrame";
import { ExportButtons } from "../components/analytics/ExportButtons";
import { formatMoney } from "../components/backorders/format";
import { RouteError } from "../components/RouteError";
import { clock } from "../clock.server";
import db from "../db.server";
import { loadAnalytics } from "../services/admin/analytics-page.server";
import { authenticate } from "../shopify.server";

export const meta: MetaFunction = () => [{ title: "Analytics · Backorder Keeper" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadAnalytics(db, session.shop, new URL(request.url), clock.now());
};

const percent = (share: number | null) => (share === null ? "—" : `${(share * 100).toFixed(1)}%`);
const days = (value: number | null) => (value === null ? "—" : `${value.toFixed(1)} days`);

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

export default function Analytics() {
  const a = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const money = (cents: number) => formatMoney(cents, a.currency);
  const empty = a.unitsOrdered === 0 && a.lostUnits === 0 && a.openLines === 0;

  return (
    <Page
      title="Analytics"
      subtitle="Where stock planning is failing: what customers waited for, and what you lost."
      secondaryActions={<ExportButtons days={a.days} />}
    >
      <BlockStack gap="400">
        <InlineGrid columns={{ xs: 1, sm: 2 }} gap="400">
          <Select
            label="Period"
            value={String(a.days)}
            options={[
              { label: "Last 7 days", value: "7" },
              { label: "Last 30 days", value: "30" },
              { label: "Last 90 days", value: "90" },
            ]}
            onChange={(value) => {
              const next = new URLSearchParams(params);
              next.set("days", value);
              setParams(next);
            }}
          />
        </InlineGrid>
        {empty ? (
          <Card>
            <EmptyState heading="Nothing to analyse yet" image="">
              <p>Once orders wait for stock, fill rate, waiting times and lost sales appear here.</p>
            </EmptyState>
          </Card>
        ) : (
          <Layout>
            <Layout.Section>
              <InlineGrid columns={{ xs: 1, sm: 2, md: 3 }} gap="400">
                <Metric
                  title="Fill rate"
                  value={percent(a.fillRate)}
                  detail={`${a.unitsShipped} of ${a.unitsOrdered} backordered units shipped`}
                />
                <Metric
                  title="Mean wait"
                  value={days(a.meanWaitDays)}
                  detail={`Over ${a.shippedLines} lines that shipped`}
                />
                <Metric
                  title="95th percentile wait"
                  value={days(a.p95WaitDays)}
                  detail="95% of customers waited no longer"
                />
                <Metric
                  title="Open backorders"
                  value={String(a.openLines)}
                  detail={`${a.openUnits} units waiting now`}
                />
                <Metric title="Lost units" value={String(a.lostUnits)} detail={`In the last ${a.days} days`} />
                <Metric title="Lost revenue" value={money(a.lostCents)} detail="Units never sold × their price" />
              </InlineGrid>
            </Layout.Section>
            <Layout.Section>
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    Trend
                  </Text>
                  <Chart
                    kind="daily"
                    series={[
                      { name: "Units backordered", data: a.trend.map((d) => ({ key: d.day, value: d.backordered })) },
                      { name: "Units lost", data: a.trend.map((d) => ({ key: d.day, value: d.lost })) },
                    ]}
                  />
                  <details>
                    <summary>
                      <Text as="span">Units backordered and lost per day, as a table</Text>
                    </summary>
                    <DataTable
                      columnContentTypes={["text", "numeric", "numeric"]}
                      headings={["Day", "Units backordered", "Units lost"]}
                      rows={a.trend.map((d) => [d.day, d.backordered, d.lost])}
                    />
                  </details>
                </BlockStack>
              </Card>
            </Layout.Section>
            <Layout.Section variant="oneHalf">
              <LostTable title="Lost by reason" label="Reason" rows={a.byReason} money={money} />
            </Layout.Section>
            <Layout.Section variant="oneHalf">
              <LostTable title="Lost by product (top 10)" label="Product" rows={a.byProduct} money={money} />
            </Layout.Section>
          </Layout>
        )}
      </BlockStack>
    </Page>
  );
}

function LostTable({
  title,
  label,
  rows,
  money,
}: {
  title: string;
  label: string;
  rows: { key: string; title: string; units: number; cents: number }[];
  money: (cents: number) => string;
}) {
  return (
    <Card padding="0">
      <Box padding="400" paddingBlockEnd="0">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
      </Box>
      <DataTable
        columnContentTypes={["text", "numeric", "numeric"]}
        headings={[label, "Units", "Revenue"]}
        rows={rows.map((row) => [row.title, row.units, money(row.cents)])}
        totals={[
          "",
          rows.reduce((sum, row) => sum + row.units, 0),
          money(rows.reduce((sum, row) => sum + row.cents, 0)),
        ]}
        showTotalsInFooter
      />
    </Card>
  );
}

export const ErrorBoundary = RouteError;
