import {
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  ChoiceList,
  FormLayout,
  InlineStack,
  Layout,
  Text,
  TextField,
} from "@shopify/polaris";
import { useMemo, useState, type ReactNode } from "react";

import type { Settings } from "../../models/settings.server";
import { LEGAL_CEILING_DAYS } from "../../domain/deadlines";
import { policyExamples } from "../../services/admin/policy-examples";
import type { FormValues } from "./form-values";
import { PolicyChoice } from "./PolicyChoice";
import { TagTiers } from "./TagTiers";

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
  const set =
    <K extends keyof FormValues>(key: K) =>
    (value: FormValues[K]) =>
      onChange({ ...values, [key]: value });
  const error = (field: string) => errorFor(fieldErrors, field);
  // The examples follow the tiers being edited, so the merchant sees what "priority" would do before saving.
  const examples = useMemo(
    () => policyExamples({ ...saved, priorityTags: values.priorityTags }),
    [saved, values.priorityTags],
  );

  return (
    <Layout>
      <Section
        title="Allocation"
        description="Who gets the units when stock arrives and not every waiting order can be filled."
      >
        <PolicyChoice
          value={values.allocationPolicy}
          examples={examples}
          onChange={set("allocationPolicy")}
          error={error("allocationPolicy")}
        />
        <BlockStack gap="200">
          <Text as="h3" variant="headingSm">
            Priority tiers
          </Text>
          <TagTiers tags={values.priorityTags} onChange={set("priorityTags")} error={error("priorityTags")} />
        </BlockStack>
        <ChoiceList
          title="Allocation window"
          selected={[values.allocationWindow]}
          onChange={([window]) => window && set("allocationWindow")(window as FormValues["allocationWindow"])}
          error={error("allocationWindow")}
          choices={[
            { value: "immediate", label: "Immediately", helpText: "Units are allocated the moment stock arrives." },
            {
              value: "batch",
              label: "Once a day at a cut-off time",
              helpText: "Orders that arrive before the cut-off compete for the same units.",
              renderChildren: (selected) =>
                selected && (
                  <BlockStack gap="200">
                    <Checkbox
                      label="Run the cut-off every day"
                      helpText="Off: run each cut-off yourself from the Backorders page."
                      checked={values.automaticCutoff}
                      onChange={set("automaticCutoff")}
                    />
                    {values.automaticCutoff && (
                      <TextField
                        label="Cut-off time (shop time, 24-hour)"
                        type="time"
                        value={values.cutoffTime}
                        onChange={set("cutoffTime")}
                        error={error("cutoffTime")}
                        autoComplete="off"
                      />
                    )}
                  </BlockStack>
                ),
            },
          ]}
        />
        <Checkbox
          label="Move waiting orders to the location where stock arrives"
          helpText="When stock arrives at another location than the one an order waits at, the app moves the order's waiting fulfillment order there (whole orders only, oldest first) so it ships from that stock."
          checked={values.moveToStock}
          onChange={set("moveToStock")}
          error={error("moveToStock")}
        />
      </Section>

      <Section title="Partial shipments" description="What ships when only part of an order is in stock.">
        <ChoiceList
          title="Partial shipment"
          selected={[values.partialShipment]}
          onChange={([choice]) => choice && set("partialShipment")(choice as FormValues["partialShipment"])}
          error={error("partialShipment")}
          choices={[
            { value: "ship_available", label: "Ship what is available", helpText: "The rest follows when it arrives." },
            { value: "ship_complete", label: "Ship complete orders only", helpText: "One shipment per order." },
            {
              value: "threshold",
              label: "Ship once enough is available",
              helpText: "A partial order ships once this share of its units is in hand.",
              renderChildren: (selected) =>
                selected && (
                  <TextField
                    label="Threshold"
                    type="number"
                    suffix="%"
                    value={values.thresholdPercent}
                    onChange={set("thresholdPercent")}
                    error={error("thresholdPercent")}
                    autoComplete="off"
                  />
                ),
            },
          ]}
        />
        {values.partialShipment !== "ship_available" && (
          <Checkbox
            label="Let customers ask for what is ready to ship now"
            helpText="The customer's page (/apps/backorders on your store) offers to send the units already allocated to an order before the rest arrives."
            checked={values.shipReadyOnRequest}
            onChange={set("shipReadyOnRequest")}
            error={error("shipReadyOnRequest")}
          />
        )}
        <IdList
          label="Products never split"
          helpText="Product IDs such as gid://shopify/Product/123. These always ship complete."
          ids={values.neverSplitProducts}
          onChange={set("neverSplitProducts")}
          error={error("neverSplitProducts")}
        />
      </Section>

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

      <Section
        title="Limits and tagging"
        description="How much may be sold on backorder, and how backordered orders are marked."
      >
        <FormLayout>
          <TextField
            label="Backorder cap per variant"
            type="number"
            suffix="units"
            value={values.backorderCap}
            onChange={set("backorderCap")}
            error={error("backorderCap")}
            helpText="Leave empty for no cap. Units beyond the cap are recorded as lost sales."
            autoComplete="off"
          />
          <VariantCaps rows={values.variantCaps} onChange={set("variantCaps")} error={error("variantCaps")} />
          <TextField
            label="Order tag"
            value={values.orderTag}
            onChange={set("orderTag")}
            error={error("orderTag")}
            helpText="Added to every order with a backordered line."
            autoComplete="off"
          />
        </FormLayout>
      </Section>

      <Section title="Storefront and notifications" description="What customers see before they buy, and Shopify Flow.">
        <FormLayout>
          <Checkbox
            label="Show the backorder badge on the storefront"
            checked={values.badgeEnabled}
            onChange={set("badgeEnabled")}
            error={error("badgeEnabled")}
          />
          <TextField
            label="Badge text"
            value={values.badgeText}
            onChange={set("badgeText")}
            error={error("badgeText")}
            placeholder="Ships later"
            helpText="Optional, at most 80 characters."
            autoComplete="off"
          />
          <Checkbox
            label="Show the expected ship date"
            checked={values.badgeShowDate}
            onChange={set("badgeShowDate")}
            error={error("badgeShowDate")}
          />
          <Checkbox
            label="Send Shopify Flow triggers"
            helpText="Backorder created, allocated, delay notice due and cancelled. Each is sent unless Shopify Flow told the app that none of your turned-on workflows starts from it."
            checked={values.flowEnabled}
            onChange={set("flowEnabled")}
            error={error("flowEnabled")}
          />
          <Checkbox
            label="E-mail customers from the app"
            helpText="Backorder confirmation, part shipped, delay notice with the choice to wait or cancel, cancelled and refunded: in the customer's language, with a link to their order's page. Sent to every customer, newsletter choices aside (they are about the order). Use it with the Flow triggers or instead of them."
            checked={values.emailEnabled}
            onChange={set("emailEnabled")}
            error={error("emailEnabled")}
          />
        </FormLayout>
      </Section>
    </Layout>
  );
}

function Section({ title, description, children }: { title: string; description: string; children: ReactNode }) {
  return (
    <Layout.AnnotatedSection title={title} description={description}>
      <Card>
        <BlockStack gap="400">{children}</BlockStack>
      </Card>
    </Layout.AnnotatedSection>
  );
}

function IdList(props: {
  label: string;
  helpText: string;
  ids: readonly string[];
  onChange: (ids: string[]) => void;
  error?: string;
}) {
  const [draft, setDraft] = useState("");
  const add = () => {
    const id = draft.trim();
    if (id && !props.ids.includes(id)) props.onChange([...props.ids, id]);
    setDraft("");
  };
  return (
    <BlockStack gap="200">
      {props.ids.length > 0 && (
        <ul aria-label={props.label} style={{ margin: 0, paddingInlineStart: "1.25rem" }}>
          {props.ids.map((id) => (
            <li key={id}>
              <InlineStack gap="200" blockAlign="center">
                <Text as="span">{id}</Text>
                <Button
                  variant="plain"
                  tone="critical"
                  onClick={() => props.onChange(props.ids.filter((x) => x !== id))}
                  accessibilityLabel={`Remove ${id}`}
                >
                  Remove
                </Button>
              </InlineStack>
            </li>
          ))}
        </ul>
      )}
      <TextField
        label={props.label}
        value={draft}
        onChange={setDraft}
        helpText={props.helpText}
        error={props.error}
        autoComplete="off"
        connectedRight={
          <Button onClick={add} disabled={draft.trim() === ""}>
            Add
          </Button>
        }
      />
    </BlockStack>
  );
}

function VariantCaps(props: {
  rows: FormValues["variantCaps"];
  onChange: (rows: FormValues["variantCaps"]) => void;
  error?: string;
}) {
  const update = (index: number, change: Partial<FormValues["variantCaps"][number]>) =>
    props.onChange(props.rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  return (
    <BlockStack gap="200">
      <Text as="h3" variant="headingSm">
        Caps for single variants
      </Text>
      {props.rows.map((row, index) => (
        <InlineStack key={index} gap="200" blockAlign="end" wrap={false}>
          <Box minWidth="60%">
            <TextField
              label={`Variant ${index + 1}`}
              value={row.variantId}
              onChange={(variantId) => update(index, { variantId })}
              placeholder="gid://shopify/ProductVariant/123"
              autoComplete="off"
            />
          </Box>
          <TextField
            label={`Cap for variant ${index + 1}`}
            type="number"
            value={row.cap}
            onChange={(cap) => update(index, { cap })}
            autoComplete="off"
          />
          <Button
            onClick={() => props.onChange(props.rows.filter((_, i) => i !== index))}
            accessibilityLabel={`Remove variant ${index + 1}`}
          >
            Remove
          </Button>
        </InlineStack>
      ))}
      {props.error && (
        <Text as="p" tone="critical">
          {props.error}
        </Text>
      )}
      <InlineStack>
        <Button onClick={() => props.onChange([...props.rows, { variantId: "", cap: "" }])}>Add a variant cap</Button>
      </InlineStack>
    </BlockStack>
  );
}
