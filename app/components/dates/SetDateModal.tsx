import { ChoiceList, FormLayout, Modal, Text, TextField } from "@shopify/polaris";
import { useState } from "react";

interface Props {
  open: boolean;
  count: number;
  error: string | null;
  submitting: boolean;
  onClose: () => void;
  onSubmit: (fields: { on: string; date: string; leadDays: string }) => void;
}

/** A restock date or lead days for the selected variants, or for their whole products; both empty clears. */
export function SetDateModal({ open, count, error, submitting, onClose, onSubmit }: Props) {
  const [on, setOn] = useState("variant");
  const [kind, setKind] = useState("date");
  const [date, setDate] = useState("");
  const [leadDays, setLeadDays] = useState("");
  const fields = { on, date: kind === "date" ? date : "", leadDays: kind === "lead" ? leadDays : "" };
  return (
    <Modal
      open={open}
      onClose={onClose}
      title={`Restock date for ${count} variant${count === 1 ? "" : "s"}`}
      primaryAction={{ content: "Save", onAction: () => onSubmit(fields), loading: submitting }}
      secondaryActions={[{ content: "Cancel", onAction: onClose }]}
    >
      <Modal.Section>
        <FormLayout>
          <ChoiceList
            title="Applies to"
            choices={[
              { label: "These variants", value: "variant" },
              { label: "Their products (every variant without its own)", value: "product" },
            ]}
            selected={[on]}
            onChange={([value]) => setOn(value ?? "variant")}
          />
          <ChoiceList
            title="What you know"
            choices={[
              { label: "The date it is back", value: "date" },
              { label: "How many days a restock takes", value: "lead" },
            ]}
            selected={[kind]}
            onChange={([value]) => setKind(value ?? "date")}
          />
          {kind === "date" ? (
            <TextField
              label="Restock date"
              type="date"
              value={date}
              onChange={setDate}
              error={error ?? undefined}
              autoComplete="off"
            />
          ) : (
            <TextField
              label="Lead time in days"
              type="number"
              min={0}
              value={leadDays}
              onChange={setLeadDays}
              error={error ?? undefined}
              autoComplete="off"
            />
          )}
          <Text as="p" tone="subdued">
            Leave it empty to clear it. Customers already waiting are re-dated, and told when their date moves later.
          </Text>
        </FormLayout>
      </Modal.Section>
    </Modal>
  );
}
