import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { BlockStack, Layout, Page, Text } from "@shopify/polaris";
import { useEffect, useState } from "react";

import { DatesImport } from "../components/dates/DatesImport";
import type { DatesSelection } from "../components/dates/DatesTable";
import { SetDateModal } from "../components/dates/SetDateModal";
import { VariantsCard } from "../components/dates/VariantsCard";
import { RouteError } from "../components/RouteError";
import { clock } from "../clock.server";
import db from "../db.server";
import { createJobQueue } from "../jobs/queue.server";
import { runDatesAction } from "../services/admin/dates-actions.server";
import { loadDatesPage } from "../services/admin/dates-page.server";
import { authenticate } from "../shopify.server";
import { gatewayForShop } from "../shopify/gateway.server";

export const meta: MetaFunction = () => [{ title: "Restock dates · Backorder Keeper" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadDatesPage({ db, admin: await gatewayForShop(db, session.shop) }, session.shop, new URL(request.url));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const deps = { db, queue: createJobQueue(db), admin: await gatewayForShop(db, session.shop) };
  const now = clock.now();
  const today = now.toISOString().slice(0, 10);
  const result = await runDatesAction(deps, session.shop, await request.formData(), today, now);
  return data(result, { status: result.ok ? 200 : 422 });
};

export default function RestockDates() {
  const { rows, search, page, pageSize, total, syncedAt, syncing } = useLoaderData<typeof loader>();
  const go = useSearchGo();
  const { result, editing, setEditing, submit, busy } = useDatesActions();
  const selectionFields = (selection: DatesSelection): Record<string, string> =>
    selection.all ? { all: "true", q: search } : { variantIds: JSON.stringify(selection.variantIds) };
  const errors = result && !result.ok ? result.fieldErrors : {};

  return (
    <Page
      title="Restock dates"
      subtitle="When each item is back: your date or lead time, under the dates Shopify's incoming stock gives"
      secondaryActions={[{ content: "Refresh list", loading: syncing, onAction: () => submit({ intent: "refresh" }) }]}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <VariantsCard
              rows={rows}
              search={search}
              page={page}
              pageSize={pageSize}
              total={total}
              go={go}
              onEdit={setEditing}
            />
            <Text as="p" tone="subdued">
              {syncedAt
                ? `The list of continue-selling variants was read from Shopify at ${syncedAt.slice(0, 16).replace("T", " ")} UTC; it follows product edits as they happen.`
                : "The list of continue-selling variants has not been read from Shopify yet: it is read within minutes of installing, or now with Refresh list."}
            </Text>
            <DatesImport
              submitting={busy}
              result={result && (result.intent === "preview" || result.intent === "import") ? result : null}
              onPreview={(csv) => submit({ intent: "preview", csv })}
              onImport={(csv) => submit({ intent: "import", csv })}
            />
            <Text as="p" tone="subdued">
              Lines are dated by the first of: stock on its way to their location (transfers in transit, scheduled
              changes), your date, your lead time, the shop&apos;s lead days in Settings.
            </Text>
          </BlockStack>
        </Layout.Section>
      </Layout>
      <SetDateModal
        open={editing !== null}
        count={editing === null ? 0 : editing.all ? editing.count : editing.variantIds.length}
        error={errors.date ?? errors.targets ?? null}
        submitting={busy}
        onClose={() => setEditing(null)}
        onSubmit={(fields) => editing && submit({ intent: "set", ...selectionFields(editing), ...fields })}
      />
    </Page>
  );
}

/** Each change becomes a URL search parameter; null or "" removes it. */
function useSearchGo() {
  const [params, setParams] = useSearchParams();
  return (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null || value === "") next.delete(key);
      else next.set(key, value);
    }
    setParams(next);
  };
}

/** The page's posts, the toast of their answer, and the date dialog that a saved date closes. */
function useDatesActions() {
  const fetcher = useFetcher<typeof action>();
  const shopify = useAppBridge();
  const [editing, setEditing] = useState<DatesSelection | null>(null);
  const result = fetcher.data;

  // A new answer from the server: a saved date closes its dialog.
  const [answered, setAnswered] = useState(result);
  if (answered !== result) {
    setAnswered(result);
    if (result?.ok && result.intent === "set") setEditing(null);
  }
  useEffect(() => {
    if (fetcher.state === "idle" && result?.ok && result.intent !== "preview") shopify.toast.show(result.message);
  }, [fetcher.state, result, shopify]);

  const submit = (fields: Record<string, string>) => {
    const form = new FormData();
    for (const [key, value] of Object.entries(fields)) form.set(key, value);
    fetcher.submit(form, { method: "post" });
  };
  return { result, editing, setEditing, submit, busy: fetcher.state !== "idle" };
}

export const ErrorBoundary = RouteError;
