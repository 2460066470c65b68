import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { SaveBar, useAppBridge } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Page } from "@shopify/polaris";
import { useEffect, useState } from "react";

import { DataRetention } from "../components/settings/DataRetention";
import { MailSettings } from "../components/settings/MailSettings";
import { SettingsForm } from "../components/settings/SettingsForm";
import { toFormValues, toSubmission, type FormValues } from "../components/settings/form-values";
import { RouteError } from "../components/RouteError";
import db from "../db.server";
import { env } from "../env.server";
import { DEAD_LETTER_RETENTION_DAYS, rawPayloadSummary } from "../models/deliveries.server";
import { getSettings } from "../models/settings.server";
import { isMailSettingsPost, mailSettingsView, runMailSettingsPost } from "../services/admin/mail-settings.server";
import { saveShopSettings } from "../services/settings.server";
import { gatewayForShop } from "../shopify/gateway.server";
import { authenticate } from "../shopify.server";

export const meta: MetaFunction = () => [{ title: "Settings · Backorder Keeper" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [settings, rawPayloads, mail] = await Promise.all([
    getSettings(db, session.shop),
    rawPayloadSummary(db, session.shop),
    mailSettingsView(db, session.shop, env.SMTP_URL !== undefined),
  ]);
  return {
    settings,
    mail,
    retention: {
      retentionDays: DEAD_LETTER_RETENTION_DAYS,
      rawPayloads: { count: rawPayloads.count, oldestReceivedAt: rawPayloads.oldestReceivedAt?.toISOString() ?? null },
    },
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const input: unknown = await request.json().catch(() => undefined);
  if (input === undefined)
    return data({ ok: false as const, formError: "The settings must be sent as JSON" }, { status: 400 });
  if (isMailSettingsPost(input)) {
    const mail = await runMailSettingsPost({ db, secret: env.SHOPIFY_API_SECRET }, session.shop, input);
    return data(mail, { status: mail.ok ? 200 : 422 });
  }
  const result = await saveShopSettings({ db, admin: await gatewayForShop(db, session.shop) }, session.shop, input);
  return data(result, { status: result.ok ? 200 : 422 });
};

export default function SettingsPage() {
  const { settings: saved, retention, mail } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<typeof action>();
  const mailFetcher = useFetcher<typeof action>();
  const mailErrors =
    mailFetcher.data && !mailFetcher.data.ok && "fieldErrors" in mailFetcher.data ? mailFetcher.data.fieldErrors : {};
  const shopify = useAppBridge();
  const [values, setValues] = useState<FormValues>(() => toFormValues(saved));
  // After every action Remix reloads the settings: when what is stored changed (a save), the form starts again
  // from it; a refused save reloads the same settings and keeps the merchant's edits.
  const [baseline, setBaseline] = useState(saved);
  if (JSON.stringify(baseline) !== JSON.stringify(saved)) {
    setBaseline(saved);
    setValues(toFormValues(saved));
  }
  const dirty = JSON.stringify(values) !== JSON.stringify(toFormValues(saved));
  const saving = fetcher.state !== "idle";
  const result = fetcher.data;

  useEffect(() => {
    if (fetcher.state === "idle" && result?.ok) shopify.toast.show("Settings saved");
  }, [fetcher.state, result, shopify]);

  const save = () => fetcher.submit(toSubmission(values), { method: "post", encType: "application/json" });
  const discard = () => setValues(toFormValues(saved));
  const fieldErrors = result && !result.ok && "fieldErrors" in result ? result.fieldErrors : {};
  // Keys the form never sends (an API call's typo) are reported for the whole form, not for a field.
  const formError = result && !result.ok ? ("formError" in result ? result.formError : fieldErrors.form) : null;
  // Only the fields the form marks; "form" (unknown keys) has its own banner.
  const errorCount = Object.keys(fieldErrors).filter((key) => key !== "form").length;

  return (
    <Page
      title="Settings"
      primaryAction={{ content: "Save", onAction: save, loading: saving, disabled: !dirty }}
      secondaryActions={[{ content: "Discard", onAction: discard, disabled: !dirty || saving }]}
    >
      <SaveBar id="settings-save-bar" open={dirty}>
        <button variant="primary" onClick={save} disabled={saving}></button>
        <button onClick={discard} disabled={saving}></button>
      </SaveBar>
      <BlockStack gap="400">
        {errorCount > 0 && !dirty && (
          <Banner
            tone="critical"
            title={`${errorCount === 1 ? "1 setting needs" : `${errorCount} settings need`} your attention`}
          >
            <p>Nothing was saved. Fix the fields marked below and save again.</p>
          </Banner>
        )}
        {errorCount > 0 && dirty && (
          <Banner tone="critical" title="Nothing was saved yet">
            <p>Fix the fields marked below and save again.</p>
          </Banner>
        )}
        {formError && (
          <Banner tone="critical" title="Nothing was saved">
            <p>{formError}</p>
          </Banner>
        )}
        <SettingsForm values={values} saved={saved} fieldErrors={fieldErrors} onChange={setValues} />
        <MailSettings
          // A saved server starts the form again from what is stored (the password field empty).
          key={JSON.stringify(mail.smtp)}
          {...mail}
          emailEnabled={saved.emailEnabled}
          fieldErrors={mailErrors}
          saving={mailFetcher.state !== "idle"}
          onSave={(smtp) =>
            mailFetcher.submit({ intent: "smtp_save", smtp }, { method: "post", encType: "application/json" })
          }
          onRemove={() =>
            mailFetcher.submit({ intent: "smtp_remove" }, { method: "post", encType: "application/json" })
          }
        />
        <DataRetention {...retention} />
      </BlockStack>
    </Page>
  );
}

export const ErrorBoundary = RouteError;
