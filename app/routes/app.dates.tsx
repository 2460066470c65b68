import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { BlockStack, Card, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";

import { DatesImport } from "../components/dates/DatesImport";
import { DatesTable, type DatesSelection } from "../components/dates/DatesTable";
import { SetDateModal } from "../components/dates/SetDateModal";
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
  const [params, setParams] = useSearchParams();
  const fetcher = useFetcher<typeof action>();
  const shopify = useAppBridge();
  const [editing, setEditing] = useState<DatesSelection | null>(null);
  const [query, setQuery] = useState(search);
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

  const go = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null || value === "") next.delete(key);
      else next.set(key, value);
    }
    setParams(next);
  };
  const submit = (fields: Record<string, string>) => {
    const form = new FormData();
    for (const [key, value] of Object.entries(fields)) form.set(key, value);
    fetcher.submit(form, { method: "post" });
  };
  const selectionFields = (selection: DatesSelection): Record<string, string> =>
    selection.all ? { all: "true", q: search } : { variantIds: JSON.stringify(selection.variantIds) };
  const errors = result && !result.ok ? result.fieldErrors : {};
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, (page - 1) * pageSize + rows.length);

  return (
    <Page
      title="Restock dates"
      subtitle="When each item is back: your date or lead time, under the dates Shopify's incoming stock gives"
      secondaryActions={[{ content: "Refresh list", loading: syncing, onAction: () => submit({ intent: "refresh" }) }]}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card padding="0">
              <div style={{ padding: "var(--p-space-300)" }}>
                <TextField
                  label="Search variants"
                  labelHidden
                  placeholder="Search by product, variant or SKU"
                  value={query}
                  onChange={setQuery}
                  onBlur={() => go({ q: query, page: null })}
                  autoComplete="off"
                  clearButton
                  onClearButtonClick={() => {
                    setQuery("");
                    go({ q: null, page: null });
                  }}
                />
              </div>
              <DatesTable
                rows={rows}
                total={total}
                pagination={{
                  hasPrevious: page > 1,
                  hasNext: last < total,
                  label: total === 0 ? "" : `${first}–${last} of ${total}`,
                  onPrevious: () => go({ page: page > 2 ? String(page - 1) : null }),
                  onNext: () => go({ page: String(page + 1) }),
                }}
                onEdit={setEditing}
              />
            </Card>
            <Text as="p" tone="subdued">
              {syncedAt
                ? `The list of continue-selling variants was read from Shopify at ${syncedAt.slice(0, 16).replace("T", " ")} UTC; it follows product edits as they happen.`
                : "The list of continue-selling variants has not been read from Shopify yet: it is read within minutes of installing, or now with Refresh list."}
            </Text>
            <DatesImport
              submitting={fetcher.state !== "idle"}
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
        submitting={fetcher.state !== "idle"}
        onClose={() => setEditing(null)}
        onSubmit={(fields) => editing && submit({ intent: "set", ...selectionFields(editing), ...fields })}
      />
    </Page>
  );
}

export const ErrorBoundary = RouteError;
