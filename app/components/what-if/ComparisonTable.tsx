import { Badge, Button, DataTable, InlineStack } from "@shopify/polaris";

import type { AllocationPolicy } from "../../domain";
import { POLICY_TEXT } from "../../services/admin/policy-examples";
import type { PolicyOutcome } from "../../services/admin/what-if.server";
import { formatMoney } from "../backorders/format";

interface Props {
  outcomes: PolicyOutcome[];
  currentPolicy: AllocationPolicy;
  currency: string;
  applying: AllocationPolicy | null;
  onApply: (policy: AllocationPolicy) => void;
}

const percent = (share: number | null) => (share === null ? "—" : `${(share * 100).toFixed(1)}%`);
const days = (value: number | null) => (value === null ? "—" : value.toFixed(1));

export function ComparisonTable({ outcomes, currentPolicy, currency, applying, onApply }: Props) {
  return (
    <DataTable
      columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric", "text"]}
      headings={[
        "Policy",
        "Fill rate",
        "Customers served",
        "Orders complete",
        "Mean wait (days)",
        "95th pct wait (days)",
        "Lost units",
        "Lost revenue",
        "",
      ]}
      rows={outcomes.map((outcome) => [
        <InlineStack key="policy" gap="200">
          {POLICY_TEXT[outcome.policy].label}
          {outcome.policy === currentPolicy && <Badge tone="success">Current</Badge>}
        </InlineStack>,
        percent(outcome.fillRate),
        outcome.customersServed,
        outcome.ordersCompleted,
        days(outcome.meanWaitDays),
        days(outcome.p95WaitDays),
        outcome.lostUnits,
        formatMoney(Math.round(outcome.lostRevenue * 100), currency),
        outcome.policy === currentPolicy ? (
          ""
        ) : (
          <Button
            key="apply"
            size="slim"
            loading={applying === outcome.policy}
            onClick={() => onApply(outcome.policy)}
            accessibilityLabel={`Use this policy: ${POLICY_TEXT[outcome.policy].label}`}
          >
            Use this policy
          </Button>
        ),
      ])}
    />
  );
}
