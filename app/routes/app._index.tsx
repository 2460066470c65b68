import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Layout, Page } from "@shopify/polaris";
import { useEffect, useState } from "react";

import { EmptyQueue } from "../components/backorders/EmptyQueue";
import { ExtendDeadlineModal } from "../components/backorders/ExtendDeadlineModal";
import { queueSubtitle } from "../components/backorders/format";
import { QueueViews } from "../components/backorders/QueueViews";
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

export default function Backorders() {
  const { rows, total, pageCount, groups, query } = useLoaderData<typeof loader>();
  const { params, update } = useSearchUpdate();
  const { result, extending, setExtending, submit, busy } = useBulkActions();
  const view = params.get("view") === "products" ? 1 : 0;
  const filtered = query.status !== null || query.productId !== null || query.due !== null;
  const errors = result && !result.ok ? result.fieldErrors : {};

  if (total === 0 && !filtered && groups.length === 0) return <EmptyQueue />;

  return (
    <Page
      title="Backorders"
      subtitle={queueSubtitle(view === 1 ? "products" : "lines", total, filtered, groups)}
      secondaryActions={[
        {
          content: "Run the cut-off now",
          helpText: "Share the free stock among every waiting line by your policy",
          loading: busy,
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
            <QueueViews
              view={view}
              rows={rows}
              groups={groups}
              query={query}
              pageCount={pageCount}
              update={update}
              onBulkAction={(intent, lineIds) =>
                intent === "extend_deadline" ? setExtending(lineIds) : submit(intent, lineIds)
              }
            />
          </BlockStack>
        </Layout.Section>
      </Layout>
      <ExtendDeadlineModal
        open={extending !== null}
        count={extending?.length ?? 0}
        errors={errors}
        submitting={busy}
        onClose={() => setExtending(null)}
        onSubmit={(until, consent) =>
          submit("extend_deadline", extending ?? [], { until, ...(consent ? { consent: "on" } : {}) })
        }
      />
    </Page>
  );
}

/** Each change becomes a URL search parameter (shareable, back-button safe); any but the page's goes to page 1. */
function useSearchUpdate() {
  const [params, setParams] = useSearchParams();
  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    if (!("page" in changes)) next.delete("page");
    setParams(next);
  };
  return { params, update };
}

/** The bulk actions' posts, the toast of their answer, and the deadline dialog that a success closes. */
function useBulkActions() {
  const fetcher = useFetcher<typeof action>();
  const shopify = useAppBridge();
  const [extending, setExtending] = useState<string[] | null>(null);
  const result = fetcher.data;
  // A new answer from the server: a successful extension closes its dialog.
  const [answered, setAnswered] = useState(result);
  if (answered !== result) {
    setAnswered(result);
    if (result?.ok) setExtending(null);
  }

  useEffect(() => {
    if (fetcher.state === "idle" && result?.ok) shopify.toast.show(result.message);
  }, [fetcher.state, result, shopify]);

  const submit = (intent: string, lineIds: string[], extra: Record<string, string> = {}) => {
    const form = new FormData();
    form.set("intent", intent);
    for (const id of lineIds) form.append("lineIds", id);
    for (const [key, value] of Object.entries(extra)) form.set(key, value);
    fetcher.submit(form, { method: "post" });
  };
  return { result, extending, setExtending, submit, busy: fetcher.state !== "idle" };
}

export const ErrorBoundary = RouteError;
