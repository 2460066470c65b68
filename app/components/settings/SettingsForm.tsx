import { Layout } from "@shopify/polaris";
import { useMemo } from "react";

import type { Settings } from "../../models/settings.server";
import { policyExamples } from "../../services/admin/policy-examples";
import { AllocationSection } from "./AllocationSection";
import { DeadlinesSection } from "./DeadlinesSection";
import type { FormValues } from "./form-values";
import { LimitsSection } from "./LimitsSection";
import { PartialShipmentSection } from "./PartialShipmentSection";
import type { SectionProps } from "./Section";
import { StorefrontSection } from "./StorefrontSection";

interface Props {
  values: FormValues;
  saved: Settings;
  fieldErrors: Record<string, string>;
  onChange: (values: FormValues) => void;
}

/** The first error for a field or anything inside it (e.g. `variantCaps.gid://…`). */
function errorFor(errors: Record<string, string>, field: string): string | undefined {
  return errors[field] ?? Object.entries(errors).find(([key]) => key.startsWith(`${field}.`))?.[1];
}

export function SettingsForm({ values, saved, fieldErrors, onChange }: Props) {
  const section: SectionProps = {
    values,
    set: (key) => (value) => onChange({ ...values, [key]: value }),
    error: (field) => errorFor(fieldErrors, field),
  };
  // The examples follow the tiers being edited, so the merchant sees what "priority" would do before saving.
  const examples = useMemo(
    () => policyExamples({ ...saved, priorityTags: values.priorityTags }),
    [saved, values.priorityTags],
  );
  return (
    <Layout>
      <AllocationSection {...section} examples={examples} />
      <PartialShipmentSection {...section} />
      <DeadlinesSection {...section} />
      <LimitsSection {...section} />
      <StorefrontSection {...section} />
    </Layout>
  );
}
