import { Checkbox, FormLayout, Modal, Text, TextField } from "@shopify/polaris";
import { useState } from "react";

interface Props {
  open: boolean;
  count: number;
  errors: Record<string, string>;
  submitting: boolean;
  onClose: () => void;
  onSubmit: (until: string, consent: boolean) => void;
}

/** Moving a deadline is only lawful with the customer's agreement, so the merchant confirms it was given. */
export function ExtendDeadlineModal({ open, count, errors, submitting, onClose, onSubmit }: Props) {
  const [until, setUntil] = useState("");
  const [consent, setConsent] = useState(false);
  return (
    <Modal
      open={open}
      onClose={onClose}
      title={`Extend the deadline of ${count} line${count === 1 ? "" : "s"}`}
      primaryAction={{ content: "Extend deadline", onAction: () => onSubmit(until, consent), loading: submitting }}
      secondaryActions={[{ content: "Cancel", onAction: onClose }]}
    >
      <Modal.Section>
        <FormLayout>
          <Text as="p">
            The new date replaces the final deadline. It is recorded on each line&apos;s timeline as the customer&apos;s
            consent, and counts as their yes to any delay notice up to that date, as choosing Wait on their order page
            does.
          </Text>
          <TextField
            label="New deadline"
            type="date"
            value={until}
            onChange={setUntil}
            error={errors.until}
            autoComplete="off"
          />
          <Checkbox
            label="These customers agreed to wait until this date"
            checked={consent}
            onChange={setConsent}
            error={errors.consent}
          />
        </FormLayout>
      </Modal.Section>
    </Modal>
  );
}
