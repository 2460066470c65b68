import { Banner, Checkbox, ChoiceList, FormLayout, TextField } from "@shopify/polaris";

import { LEGAL_CEILING_DAYS } from "../../domain/deadlines";
import type { FormValues } from "./form-values";
import { Section, type SectionProps } from "./Section";

export function DeadlinesSection({ values, set, error }: SectionProps) {
  return (
    <Section title="Deadlines" description="What you promise customers and when an unfilled backorder ends.">
      <FormLayout>
        <FormLayout.Group>
          <TextField
            label="Lead time"
            type="number"
            suffix="days"
            value={values.leadDays}
            onChange={set("leadDays")}
            error={error("leadDays")}
            helpText="Promised date = order date + lead time, when no restock date is known."
            autoComplete="off"
          />
          <TextField
            label="Remind me before the promised date"
            type="number"
            suffix="days"
            value={values.reminderDays}
            onChange={set("reminderDays")}
            error={error("reminderDays")}
            helpText="0 turns the reminder off."
            autoComplete="off"
          />
        </FormLayout.Group>
        <TextField
          label="Final deadline"
          type="number"
          suffix="days after the order"
          value={values.deadlineDays}
          onChange={set("deadlineDays")}
          error={error("deadlineDays")}
          helpText={`At most ${LEGAL_CEILING_DAYS} days unless your customers agreed to wait longer.`}
          autoComplete="off"
        />
        <Checkbox
          label={`My customers consent to waiting longer than ${LEGAL_CEILING_DAYS} days`}
          helpText="Only tick this if you record each customer's agreement, e.g. at checkout."
          checked={values.consentRecorded}
          onChange={set("consentRecorded")}
          error={error("consentRecorded")}
        />
        <ChoiceList
          title="When the final deadline passes"
          selected={[values.expiryAction]}
          onChange={([action]) => action && set("expiryAction")(action as FormValues["expiryAction"])}
          error={error("expiryAction")}
          choices={[
            { value: "cancel", label: "Cancel and refund the unfilled quantity" },
            { value: "notify", label: "Only notify me" },
          ]}
        />
        <Checkbox
          label="Refund shipping when every unit of an order is cancelled"
          helpText="The US Mail Order Rule expects a full refund, shipping included, when nothing of the order ships."
          checked={values.refundShipping}
          onChange={set("refundShipping")}
          error={error("refundShipping")}
        />
        {values.expiryAction === "notify" && (
          <Banner tone="warning" title="You must act yourself">
            <p>
              Consumer law (e.g. the US Mail Order Rule, EU and UK distance selling rules) requires a refund or the
              customer&apos;s consent once the deadline passes. The app will only remind you.
            </p>
          </Banner>
        )}
      </FormLayout>
    </Section>
  );
}
