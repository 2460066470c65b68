import { Button, InlineStack } from "@shopify/polaris";
import { useState } from "react";

/**
 * Downloads go through fetch, not a link: inside Shopify admin only fetch carries the session token
 * (App Bridge adds it), and a plain navigation to the resource route would not be authenticated.
 */
async function download(path: string): Promise<void> {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`Export failed: ${response.status}`);
  const filename = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "")?.[1] ?? "export.csv";
  const url = URL.createObjectURL(await response.blob());
  const anchor = document.createElement("a");
  anchor.href = url;
  anchor.download = filename;
  anchor.click();
  URL.revokeObjectURL(url);
}

export function ExportButtons({ days }: { days: number }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const run = (kind: string) => async () => {
    setBusy(kind);
    setFailed(false);
    try {
      await download(`/app/export/${kind}?days=${days}`);
    } catch {
      setFailed(true);
    } finally {
      setBusy(null);
    }
  };
  return (
    <InlineStack gap="200" blockAlign="center">
      <Button onClick={run("backorders")} loading={busy === "backorders"}>
        Export backorders (CSV)
      </Button>
      <Button onClick={run("lost-sales")} loading={busy === "lost-sales"}>
        {`Export lost sales, last ${days} days (CSV)`}
      </Button>
      {failed && <span role="alert">The export failed. Try again.</span>}
    </InlineStack>
  );
}
