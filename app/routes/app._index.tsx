import { Card, EmptyState, Layout, Page } from "@shopify/polaris";

export default function Backorders() {
  return (
    <Page title="Backorders">
      <Layout>
        <Layout.Section>
          <Card>
            <EmptyState heading="No backorders yet" image="">
              <p>Orders for out-of-stock items will wait here until stock arrives.</p>
            </EmptyState>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
