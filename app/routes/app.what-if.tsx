import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Await, Link as RemixLink, useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Card, InlineGrid, Page, Select, SkeletonBodyText, Text } from "@shopify/polaris";
import { Suspense, useEffect } from "react";

import { ReplayResults } from "../components/what-if/ReplayResults";
import { RouteError } from "../components/RouteError";
import { clock } from "../clock.server";
import db from "../db.server";
import { shopCurrency } from "../models/analytics.server";
import { getSettings } from "../models/settings.server";
import { POLICY_TEXT } from "../services/admin/policy-examples";
import { runWhatIf, whatIfDays } from "../services/admin/what-if.server";
import { applyPolicy } from "../services/settings.server";
import { authenticate } from "../shopify.server";
import { gatewayForShop } from "../shopify/gateway.server";

// The comparison replays the engine six times and can take a few seconds on a large shop: the page
// renders at once and the table streams in when it is ready.
export const meta: MetaFunction = () => [{ title: "Policy what-if · Backorder Keeper" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const days = whatIfDays(new URL(request.url));
  const [settings, currency] = await Promise.all([getSettings(db, session.shop), shopCurrency(db, session.shop)]);
  return {
    days,
    currency,
    currentPolicy: settings.allocationPolicy,
    comparison: runWhatIf(db, session.shop, days, clock.now()),
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const result = await applyPolicy(
    { db, admin: await gatewayForShop(db, session.shop) },
    session.shop,
    form.get("policy"),
  );
  return data(result, { status: result.ok ? 200 : 422 });
};

export default function WhatIf() {
  const { days, currency, currentPolicy, comparison } = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const fetcher = useFetcher<typeof action>();
  const shopify = useAppBridge();
  const result = fetcher.data;
  const applying = fetcher.state !== "idle" ? (fetcher.formData?.get("policy") as keyof typeof POLICY_TEXT) : null;

  useEffect(() => {
    if (fetcher.state === "idle" && result?.ok)
      shopify.toast.show(`Now using ${POLICY_TEXT[result.settings.allocationPolicy].label}`);
  }, [fetcher.state, result, shopify]);

  return (
    <Page title="Policy what-if" subtitle="Your backlog and recent orders replayed under every allocation policy.">
      <BlockStack gap="400">
        <InlineGrid columns={{ xs: 1, sm: 2 }} gap="400">
          <Select
            label="History to replay"
            value={String(days)}
            options={[
              { label: "Open backorders and the last 7 days", value: "7" },
              { label: "Open backorders and the last 30 days", value: "30" },
              { label: "Open backorders and the last 90 days", value: "90" },
            ]}
            onChange={(value) => {
              const next = new URLSearchParams(params);
              next.set("days", value);
              setParams(next);
            }}
          />
        </InlineGrid>
        {result && !result.ok && (
          <Banner tone="critical" title="The policy was not changed">
            <p>
              {"fieldErrors" in result ? Object.values(result.fieldErrors).join(" ") : result.formError}{" "}
              <RemixLink to="/app/settings">Open settings</RemixLink>
            </p>
          </Banner>
        )}
        <Suspense fallback={<Loading />}>
          <Await resolve={comparison}>
            {(whatIf) => (
              <ReplayResults
                whatIf={whatIf}
                currentPolicy={currentPolicy}
                currency={currency}
                applying={applying}
                onApply={(policy) => fetcher.submit({ policy }, { method: "post" })}
              />
            )}
          </Await>
        </Suspense>
      </BlockStack>
    </Page>
  );
}

function Loading() {
  return (
    <Card>
      <BlockStack gap="200">
        <div role="status">
          <Text as="p">Replaying your orders under each policy…</Text>
        </div>
        <SkeletonBodyText lines={6} />
      </BlockStack>
    </Card>
  );
}

export const ErrorBoundary = RouteError;
