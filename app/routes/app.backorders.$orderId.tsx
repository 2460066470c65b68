import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, Banner, Card, DataTable, Layout, Page, Text } from "@shopify/polaris";

import { dateSource, formatDate, STATUS_LABEL } from "../components/backorders/format";
import { Timeline } from "../components/backorders/Timeline";
import { RouteError } from "../components/RouteError";
import db from "../db.server";
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
  return order;
};

export default function BackorderDetail() {
  const { lines, events, onShopify } = useLoaderData<typeof loader>();
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
