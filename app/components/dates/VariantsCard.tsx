import { Card, TextField } from "@shopify/polaris";
import { useState } from "react";

import type { DateRow } from "../../services/admin/dates-page.server";
import { DatesTable, type DatesSelection } from "./DatesTable";

interface Props {
  rows: DateRow[];
  search: string;
  page: number;
  pageSize: number;
  total: number;
  /** Changes the URL's search parameters; null or "" removes one. */
  go: (changes: Record<string, string | null>) => void;
  onEdit: (selection: DatesSelection) => void;
}

/** The continue-selling variants: a search, applied when the field loses focus, over a page of the table. */
export function VariantsCard({ rows, search, page, pageSize, total, go, onEdit }: Props) {
  const [query, setQuery] = useState(search);
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, (page - 1) * pageSize + rows.length);
  return (
    <Card padding="0">
      <div style={{ padding: "var(--p-space-300)" }}>
        <TextField
          label="Search variants"
          labelHidden
          placeholder="Search by product, variant or SKU"
          value={query}
          onChange={setQuery}
          onBlur={() => go({ q: query, page: null })}
          autoComplete="off"
          clearButton
          onClearButtonClick={() => {
            setQuery("");
            go({ q: null, page: null });
          }}
        />
      </div>
      <DatesTable
        rows={rows}
        total={total}
        pagination={{
          hasPrevious: page > 1,
          hasNext: last < total,
          label: total === 0 ? "" : `${first}–${last} of ${total}`,
          onPrevious: () => go({ page: page > 2 ? String(page - 1) : null }),
          onNext: () => go({ page: String(page + 1) }),
        }}
        onEdit={onEdit}
      />
    </Card>
  );
}
