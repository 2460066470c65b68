import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { Banner, Page, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";

/**
 * A page's error boundary: a missing order or a bad link gets a page that says so; Shopify's own responses
 * (re-authentication, bounce pages) go to the library's boundary, which must render them as they are.
 */
export function RouteError() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && (error.status === 404 || error.status === 400)) {
    return (
      <Page title={error.status === 404 ? "Not found" : "Bad request"}>
        <Banner tone="warning" title={typeof error.data === "string" ? error.data : "This page does not exist"}>
          <Link to="/app">Back to backorders</Link>
        </Banner>
      </Page>
    );
  }
  if (isRouteErrorResponse(error)) return boundary.error(error);
  return (
    <Page title="Something went wrong">
      <Banner tone="critical" title="This page could not be shown">
        <Text as="p">Reload the page. If it happens again, contact support with the time it happened.</Text>
      </Banner>
    </Page>
  );
}
