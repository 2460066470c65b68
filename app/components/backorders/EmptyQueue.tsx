import { Card, EmptyState, Page } from "@shopify/polaris";

/** The page when nothing waits at all (no filter hides anything). */
export function EmptyQueue() {
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
