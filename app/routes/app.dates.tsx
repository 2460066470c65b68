import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { BlockStack, Card, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";

import { DatesImport } from "../components/dates/DatesImport";
import { DatesTable } from "../components/dates/DatesTable";
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
  const today = clock.now().toISOString().slice(0, 10);
  const result = await runDatesAction(deps, session.shop, await request.formData(), today);
  return data(result, { status: result.ok ? 200 : 422 });
};

export default function RestockDates() {
  const { rows, search, nextCursor, after } = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const fetcher = useFetcher<typeof action>();
  const shopify = useAppBridge();
  const [editing, setEditing] = useState<string[] | null>(null);
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
  const targetsOf = (ids: string[]) =>
    JSON.stringify(
      rows
        .filter((row) => ids.includes(row.variantId))
        .map(({ variantId, productId, inventoryItemId, sku }) => ({ variantId, productId, inventoryItemId, sku })),
    );
  const errors = result && !result.ok ? result.fieldErrors : {};

  return (
    <Page
      title="Restock dates"
      subtitle="When each item is back: your date or lead time, under the dates Shopify's incoming stock gives"
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card padding="0">
              <div style={{ padding: "var(--p-space-300)" }}>
                <TextField
                  label="Search variants"
                  labelHidden
                  placeholder="Search by product or SKU"
                  value={query}
                  onChange={setQuery}
                  onBlur={() => go({ q: query, after: null })}
                  autoComplete="off"
                  clearButton
                  onClearButtonClick={() => {
                    setQuery("");
                    go({ q: null, after: null });
                  }}
                />
              </div>
              <DatesTable
                rows={rows}
                pagination={{
                  hasPrevious: after !== null,
                  hasNext: nextCursor !== null,
                  onPrevious: () => go({ after: null }),
                  onNext: () => go({ after: nextCursor }),
                }}
                onEdit={(ids) => setEditing(ids)}
              />
            </Card>
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
        count={editing?.length ?? 0}
        error={errors.date ?? errors.targets ?? null}
        submitting={fetcher.state !== "idle"}
        onClose={() => setEditing(null)}
        onSubmit={(fields) => submit({ intent: "set", targets: targetsOf(editing ?? []), ...fields })}
      />
    </Page>
  );
}

export const ErrorBoundary = RouteError;
