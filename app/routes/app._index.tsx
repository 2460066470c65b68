import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Card, EmptySearchResult, EmptyState, Layout, Page, Tabs } from "@shopify/polaris";
import { useEffect, useState } from "react";

import { ExtendDeadlineModal } from "../components/backorders/ExtendDeadlineModal";
import { ProductGroups } from "../components/backorders/ProductGroups";
import { queueSubtitle } from "../components/backorders/format";
import { QueueFilters, type FilterValues } from "../components/backorders/QueueFilters";
import { QueueTable } from "../components/backorders/QueueTable";
import { RouteError } from "../components/RouteError";
import { clock } from "../clock.server";
import db from "../db.server";
import { createJobQueue } from "../jobs/queue.server";
import { runBulkAction } from "../services/admin/backorder-actions.server";
import { loadQueuePage } from "../services/admin/queue-page.server";
import { authenticate } from "../shopify.server";

export const meta: MetaFunction = () => [{ title: "Backorders · Backorder Keeper" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadQueuePage(db, session.shop, new URL(request.url), clock.now());
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const deps = { db, queue: createJobQueue(db), now: clock.now() };
  const result = await runBulkAction(deps, session.shop, await request.formData());
  return data(result, { status: result.ok ? 200 : 422 });
};

const FILTER_PARAMS: Record<keyof FilterValues, string> = { productId: "product", status: "status", due: "due" };

export default function Backorders() {
  const { rows, total, pageCount, groups, query } = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const fetcher = useFetcher<typeof action>();
  const shopify = useAppBridge();
  const [extending, setExtending] = useState<string[] | null>(null);
  const view = params.get("view") === "products" ? 1 : 0;
  const filtered = query.status !== null || query.productId !== null || query.due !== null;
  const result = fetcher.data;
  const errors = result && !result.ok ? result.fieldErrors : {};
  // A new answer from the server: a successful extension closes its dialog.
  const [answered, setAnswered] = useState(result);
  if (answered !== result) {
    setAnswered(result);
    if (result?.ok) setExtending(null);
  }

  useEffect(() => {
    if (fetcher.state === "idle" && result?.ok) shopify.toast.show(result.message);
  }, [fetcher.state, result, shopify]);

  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    if (!("page" in changes)) next.delete("page");
    setParams(next);
  };
  const submit = (intent: string, lineIds: string[], extra: Record<string, string> = {}) => {
    const form = new FormData();
    form.set("intent", intent);
    for (const id of lineIds) form.append("lineIds", id);
    for (const [key, value] of Object.entries(extra)) form.set(key, value);
    fetcher.submit(form, { method: "post" });
  };

  if (total === 0 && !filtered && groups.length === 0) {
    return (
      <Page title="Backorders">
        <Card>
          <EmptyState heading="No backorders waiting" image="">
            <p>Orders for out-of-stock items wait here until stock arrives. Nothing is waiting right now.</p>
          </EmptyState>
        </Card>
      </Page>
    );
  }

  return (
    <Page
      title="Backorders"
      subtitle={queueSubtitle(view === 1 ? "products" : "lines", total, filtered, groups)}
      secondaryActions={[
        {
          content: "Run the cut-off now",
          helpText: "Share the free stock among every waiting line by your policy",
          loading: fetcher.state !== "idle",
          onAction: () => submit("cutoff", []),
        },
      ]}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result && !result.ok && !extending && (
              <Banner tone="critical" title="Nothing was changed">
                <p>{Object.values(result.fieldErrors).join(" ")}</p>
              </Banner>
            )}
            <Card padding="0">
              <Tabs
                tabs={[
                  { id: "lines", content: "Lines", panelID: "lines-panel" },
                  { id: "products", content: "By product", panelID: "products-panel" },
                ]}
                selected={view}
                onSelect={(index) => update({ view: index === 1 ? "products" : null })}
              />
              {view === 1 ? (
                <div id="products-panel">
                  <ProductGroups
                    groups={groups}
                    onShowLines={(productId) => update({ view: null, product: productId })}
                  />
                </div>
              ) : (
                <div id="lines-panel">
                  <QueueFilters
                    values={{ productId: query.productId, status: query.status, due: query.due }}
                    products={groups}
                    onChange={(key, value) => update({ [FILTER_PARAMS[key]]: value })}
                    onClearAll={() => update({ product: null, status: null, due: null })}
                  />
                  <QueueTable
                    rows={rows}
                    sort={{ column: query.sort, direction: query.direction }}
                    onSort={(column, direction) => update({ sort: column, direction })}
                    emptyState={
                      <EmptySearchResult
                        title="No lines match"
                        description="Try other filters."
                        withIllustration={false}
                      />
                    }
                    pagination={{
                      hasPrevious: query.page > 1,
                      hasNext: query.page < pageCount,
                      onPrevious: () => update({ page: String(query.page - 1) }),
                      onNext: () => update({ page: String(query.page + 1) }),
                      label: `Page ${query.page} of ${pageCount}`,
                    }}
                    onBulkAction={(intent, lineIds) =>
                      intent === "extend_deadline" ? setExtending(lineIds) : submit(intent, lineIds)
                    }
                  />
                </div>
              )}
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
      <ExtendDeadlineModal
        open={extending !== null}
        count={extending?.length ?? 0}
        errors={errors}
        submitting={fetcher.state !== "idle"}
        onClose={() => setExtending(null)}
        onSubmit={(until, consent) =>
          submit("extend_deadline", extending ?? [], { until, ...(consent ? { consent: "on" } : {}) })
        }
      />
    </Page>
  );
}

export const ErrorBoundary = RouteError;
