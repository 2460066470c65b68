import { BlockStack, Card, EmptyState, Layout, Text } from "@shopify/polaris";
import type { ComponentProps } from "react";

import { POLICY_TEXT } from "../../services/admin/policy-examples";
import type { runWhatIf } from "../../services/admin/what-if.server";
import { Chart } from "../analytics/ChartFrame";
import { formatMoney } from "../backorders/format";
import { ComparisonTable } from "./ComparisonTable";

type WhatIf = Awaited<ReturnType<typeof runWhatIf>>;

type Props = Omit<ComponentProps<typeof ComparisonTable>, "outcomes"> & { whatIf: WhatIf };

/** The replay's answer: every policy side by side, each one's to apply, then the chart and what was replayed. */
export function ReplayResults({ whatIf, ...table }: Props) {
  if (whatIf.orders === 0)
    return (
      <Card>
        <EmptyState heading="Nothing to replay yet" image="">
          <p>Once orders wait for stock, you can compare how each policy would have shared it.</p>
        </EmptyState>
      </Card>
    );
  return (
    <Layout>
      <Layout.Section>
        <Card padding="0">
          <ComparisonTable outcomes={whatIf.outcomes} {...table} />
        </Card>
      </Layout.Section>
      <Layout.Section>
        <ReplayChart whatIf={whatIf} currency={table.currency} />
      </Layout.Section>
    </Layout>
  );
}

function ReplayChart({ whatIf, currency }: { whatIf: WhatIf; currency: string }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          Customers served and orders completed
        </Text>
        <Chart
          kind="bar"
          series={[
            {
              name: "Customers served",
              data: whatIf.outcomes.map((o) => ({ key: POLICY_TEXT[o.policy].label, value: o.customersServed })),
            },
            {
              name: "Orders completed",
              data: whatIf.outcomes.map((o) => ({ key: POLICY_TEXT[o.policy].label, value: o.ordersCompleted })),
            },
          ]}
        />
        <Text as="p" tone="subdued">
          {`${whatIf.orders} orders open now or ordered or changed in these ${whatIf.days} days, and ${whatIf.unitsArrived} units of stock that arrived for them, replayed in ${whatIf.parts} independent product group${whatIf.parts === 1 ? "" : "s"}. `}
          {`Recorded in the same days (as Analytics shows): ${whatIf.recorded.lostUnits} units lost, ${formatMoney(whatIf.recorded.lostCents, currency)}.`}
          {whatIf.parts > 1 && " The 95th percentile wait is the slowest group's."}
        </Text>
      </BlockStack>
    </Card>
  );
}
