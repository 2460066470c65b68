import { Banner, BlockStack, Button, Card, DataTable, InlineStack, Text, TextField } from "@shopify/polaris";
import { useState } from "react";

import type { DatesActionResult } from "../../services/admin/dates-actions.server";

interface Props {
  submitting: boolean;
  result: DatesActionResult | null;
  onPreview: (csv: string) => void;
  onImport: (csv: string) => void;
}

/** CSV import: preview every row with its problem first; the import writes all rows or none. */
export function DatesImport({ submitting, result, onPreview, onImport }: Props) {
  const [csv, setCsv] = useState("");
  const preview = result && "preview" in result ? result.preview : undefined;
  const csvError = result && !result.ok ? result.fieldErrors.csv : undefined;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Import from CSV
        </Text>
        <TextField
          label="CSV: a header row with sku and date (YYYY-MM-DD) or lead_days, then one row per variant"
          value={csv}
          onChange={setCsv}
          multiline={4}
          monospaced
          autoComplete="off"
          error={csvError ?? preview?.fileError ?? undefined}
        />
        <InlineStack gap="200">
          <Button onClick={() => onPreview(csv)} loading={submitting} disabled={csv.trim() === ""}>
            Preview
          </Button>
          <Button
            variant="primary"
            onClick={() => onImport(csv)}
            disabled={!preview || preview.errors > 0 || preview.rows.length === 0 || submitting}
          >
            Import
          </Button>
        </InlineStack>
        {preview && preview.rows.length > 0 && (
          <BlockStack gap="200">
            {preview.errors > 0 && (
              <Banner tone="critical" title={`${preview.errors} row${preview.errors === 1 ? "" : "s"} to fix`}>
                <p>Nothing is written until every row is right.</p>
              </Banner>
            )}
            <DataTable
              columnContentTypes={["numeric", "text", "text", "text", "text"]}
              headings={["Row", "SKU", "Variant", "Date or lead time", "Problem"]}
              rows={preview.rows.map((row) => [
                row.line,
                row.sku || "—",
                row.title ?? "—",
                row.date ?? (row.leadDays !== null ? `${row.leadDays} days` : "—"),
                row.error ?? "OK",
              ])}
            />
          </BlockStack>
        )}
      </BlockStack>
    </Card>
  );
}
