import { Banner, BlockStack, Button, Card, Checkbox, FormLayout, InlineStack, Text, TextField } from "@shopify/polaris";
import { useState } from "react";

export interface MailSettingsProps {
  smtp: {
    host: string;
    port: number;
    secure: boolean;
    username: string;
    hasPassword: boolean;
    fromAddress: string;
  } | null;
  route: "shop" | "app" | "none";
  emailEnabled: boolean;
  fieldErrors: Record<string, string>;
  saving: boolean;
  onSave: (form: {
    host: string;
    port: string;
    secure: boolean;
    username: string;
    password: string;
    fromAddress: string;
  }) => void;
  onRemove: () => void;
}

const ROUTE_TEXT: Record<MailSettingsProps["route"], string> = {
  shop: "Customer e-mails go out through your SMTP server below.",
  app: "Customer e-mails go out through the app's own server; set yours below to send from your domain.",
  none: "No SMTP server is set: customer e-mails are not sent until you set one below.",
};

/**
 * The shop's SMTP server for its customers' e-mails. The password is write-only: the page only knows whether one
 * is saved (docs/decisions/0023-customer-email.md).
 */
export function MailSettings(props: MailSettingsProps) {
  const { smtp } = props;
  const [form, setForm] = useState({
    host: smtp?.host ?? "",
    port: String(smtp?.port ?? 587),
    secure: smtp?.secure ?? false,
    username: smtp?.username ?? "",
    password: "",
    fromAddress: smtp?.fromAddress ?? "",
  });
  const set =
    <K extends keyof typeof form>(key: K) =>
    (value: (typeof form)[K]) =>
      setForm((current) => ({ ...current, [key]: value }));
  const error = (key: string) => props.fieldErrors[`smtp.${key}`];

  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          Customer e-mail server
        </Text>
        <Text as="p">{ROUTE_TEXT[props.route]}</Text>
        {props.emailEnabled && props.route === "none" && (
          <Banner tone="warning" title="E-mails are turned on but have nowhere to go">
            <p>Each message is recorded as skipped on its order until an SMTP server is set.</p>
          </Banner>
        )}
        <FormLayout>
          <FormLayout.Group>
            <TextField
              label="SMTP host"
              value={form.host}
              onChange={set("host")}
              error={error("host")}
              autoComplete="off"
            />
            <TextField
              label="Port"
              type="number"
              value={form.port}
              onChange={set("port")}
              error={error("port")}
              autoComplete="off"
            />
          </FormLayout.Group>
          <Checkbox
            label="TLS from the start (usually port 465)"
            helpText="Otherwise the connection is upgraded with STARTTLS when the server offers it (usually port 587)."
            checked={form.secure}
            onChange={set("secure")}
          />
          <FormLayout.Group>
            <TextField
              label="Username"
              value={form.username}
              onChange={set("username")}
              error={error("username")}
              autoComplete="off"
            />
            <TextField
              label="Password"
              type="password"
              value={form.password}
              onChange={set("password")}
              error={error("password")}
              helpText={smtp?.hasPassword ? "A password is saved. Leave empty to keep it." : undefined}
              autoComplete="new-password"
            />
          </FormLayout.Group>
          <TextField
            label="From"
            value={form.fromAddress}
            onChange={set("fromAddress")}
            error={error("fromAddress")}
            placeholder="Your shop <orders@example.com>"
            autoComplete="off"
          />
        </FormLayout>
        <InlineStack gap="200">
          <Button onClick={() => props.onSave(form)} loading={props.saving}>
            Save e-mail server
          </Button>
          {smtp && (
            <Button tone="critical" variant="plain" onClick={props.onRemove} disabled={props.saving}>
              Remove it
            </Button>
          )}
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
