import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineStack, Layout, Page, Text } from "@shopify/polaris";

import { dateSource, formatDate, STATUS_LABEL } from "../components/backorders/format";
import { Timeline } from "../components/backorders/Timeline";
import { RouteError } from "../components/RouteError";
import { clock } from "../clock.server";
import db from "../db.server";
import { env } from "../env.server";
import { linksRevokedAt, runCustomerLinkAction } from "../services/admin/customer-links.server";
import { loadOrderPage } from "../services/admin/order-page.server";
import { authenticate } from "../shopify.server";
import { gatewayForShop } from "../shopify/gateway.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Order ${data?.lines[0]?.orderName ?? ""} · Backorder Keeper` },
];

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  if (!/^\d+$/.test(params.orderId ?? "")) throw new Response("An order id is a number", { status: 400 });
  const order = await loadOrderPage(
    db,
    await gatewayForShop(db, session.shop),
    session.shop,
    `gid://shopify/Order/${params.orderId}`,
  );
  if (!order) throw new Response("This shop has no backorders for that order", { status: 404 });
  const revokedAt = await linksRevokedAt(db, session.shop, `gid://shopify/Order/${params.orderId}`);
  return { ...order, linksRevokedAt: revokedAt?.toISOString() ?? null };
};

// The customer's page link: issue one to send the customer, or revoke every link issued for this order.
export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  if (!/^\d+$/.test(params.orderId ?? "")) throw new Response("An order id is a number", { status: 400 });
  const form = await request.formData();
  const deps = { db, secret: env.SHOPIFY_API_SECRET, now: clock.now() };
  return runCustomerLinkAction(deps, session.shop, `gid://shopify/Order/${params.orderId}`, form.get("intent"));
};

const MESSAGE_TONE = { sent: "success", failed: "critical", skipped: "warning" } as const;

/** The customer's e-mails about this order, oldest first (docs/decisions/0023-customer-email.md). */
function MessagesCard(props: {
  messages: {
    kind: string;
    status: string;
    at: string;
    attempts: number;
    locale: string | null;
    note: string | null;
  }[];
}) {
  return (
    <Card padding="0">
      <BlockStack gap="200">
        <div style={{ padding: "var(--p-space-400) var(--p-space-400) 0" }}>
          <Text as="h2" variant="headingMd">
            E-mails to the customer
          </Text>
        </div>
        {props.messages.length === 0 ? (
          <div style={{ padding: "0 var(--p-space-400) var(--p-space-400)" }}>
            <Text as="p" tone="subdued">
              None: the app e-mails customers only when Settings say so.
            </Text>
          </div>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "text"]}
            headings={["Message", "Time", "Status", "Note"]}
            rows={props.messages.map((message) => [
              message.kind,
              // UTC, so the server's render and the browser's agree.
              `${new Date(message.at).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })} UTC`,
              <Badge
                key="status"
                tone={MESSAGE_TONE[message.status as keyof typeof MESSAGE_TONE] ?? undefined}
              >{`${message.status}${message.attempts > 1 ? ` (${message.attempts} attempts)` : ""}`}</Badge>,
              message.note ?? (message.locale ? `in ${message.locale}` : ""),
            ])}
          />
        )}
      </BlockStack>
    </Card>
  );
}

function CustomerLinkCard({ revokedAt }: { revokedAt: string | null }) {
  const fetcher = useFetcher<typeof action>();
  const result = fetcher.data;
  const submit = (intent: string) => fetcher.submit({ intent }, { method: "post" });
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          Customer page
        </Text>
        <Text as="p">
          A signed link to this order&apos;s page on your store, where the customer sees what waits and can wait, cancel
          what is still waiting, or ask for what is ready. It expires in 60 days; revoking ends every link sent so far.
        </Text>
        {result?.ok && result.intent === "customer_link" && (
          <Text as="p" breakWord>
            {result.url} (until {formatDate(result.expiresAt)})
          </Text>
        )}
        {result?.ok === false && <Banner tone="critical">{result.error}</Banner>}
        {(result?.ok && result.intent === "revoke_links" ? result.revokedAt : revokedAt) && (
          <Text as="p" tone="subdued">
            Links revoked {formatDate(result?.ok && result.intent === "revoke_links" ? result.revokedAt : revokedAt)}
          </Text>
        )}
        <InlineStack gap="200">
          <Button onClick={() => submit("customer_link")} loading={fetcher.state !== "idle"}>
            Make a customer link
          </Button>
          <Button tone="critical" onClick={() => submit("revoke_links")} disabled={fetcher.state !== "idle"}>
            Revoke links
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

export default function BackorderDetail() {
  const { lines, events, onShopify, messages, linksRevokedAt: revokedAt } = useLoaderData<typeof loader>();
  const first = lines[0]!;
  const titles = new Map(lines.map((line) => [line.id, line.title]));
  return (
    <Page
      backAction={{ content: "Backorders", url: "/app" }}
      title={`Order ${first.orderName}`}
      subtitle={`${first.customerName ?? "Customer"} · ordered ${formatDate(first.orderedAt)}`}
    >
      <Layout>
        {!onShopify && (
          <Layout.Section>
            <Banner tone="warning" title="Shopify no longer has this order">
              <p>Fulfilled units cannot be read; the figures are the app&apos;s records.</p>
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card padding="0">
            <DataTable
              columnContentTypes={[
                "text",
                "numeric",
                "numeric",
                "numeric",
                "numeric",
                "numeric",
                "text",
                "text",
                "text",
              ]}
              headings={[
                "Product",
                "Ordered",
                "Shipped (fulfilled)",
                "Allocated, not fulfilled",
                "Waiting",
                "Lost",
                "Status",
                "Promised",
                "Deadline",
              ]}
              rows={lines.map((line) => [
                line.title,
                line.quantity,
                line.figures.shipped ?? "—",
                line.figures.allocated,
                line.figures.waiting,
                line.figures.lost,
                <Badge key="status">{STATUS_LABEL[line.status] ?? line.status}</Badge>,
                dateSource(line.promisedBasis)
                  ? `${formatDate(line.promisedAt)} (${dateSource(line.promisedBasis)})`
                  : formatDate(line.promisedAt),
                line.consentUntil ? `${formatDate(line.deadlineAt)} (agreed)` : formatDate(line.deadlineAt),
              ])}
            />
          </Card>
        </Layout.Section>
        <Layout.Section>
          <CustomerLinkCard revokedAt={revokedAt} />
        </Layout.Section>
        <Layout.Section>
          <MessagesCard messages={messages} />
        </Layout.Section>
        <Layout.Section>
          <Card>
            <Text as="h2" variant="headingMd">
              Timeline
            </Text>
            <Timeline
              events={events.map((event) => ({
                ...event,
                lineTitle: event.backorderLineId ? (titles.get(event.backorderLineId) ?? null) : null,
              }))}
            />
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export const ErrorBoundary = RouteError;
