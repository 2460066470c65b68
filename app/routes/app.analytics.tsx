import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { BlockStack, Card, EmptyState, InlineGrid, Layout, Page, Select } from "@shopify/polaris";

import { ExportButtons } from "../components/analytics/ExportButtons";
import { LostTable } from "../components/analytics/LostTable";
import { Metrics } from "../components/analytics/Metrics";
import { TrendCard } from "../components/analytics/TrendCard";
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
              <Metrics figures={a} money={money} />
            </Layout.Section>
            <Layout.Section>
              <TrendCard trend={a.trend} />
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

export const ErrorBoundary = RouteError;
