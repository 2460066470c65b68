import {
  Badge,
  EmptySearchResult,
  IndexTable,
  Text,
  useIndexResourceState,
  type IndexTableProps,
} from "@shopify/polaris";
import { useState } from "react";

import type { DateRow } from "../../services/admin/dates-page.server";

/** What a bulk edit applies to: the rows ticked on this page, or every variant of the search. */
export type DatesSelection = { all: false; variantIds: string[] } | { all: true; count: number };

interface Props {
  rows: DateRow[];
  total: number;
  pagination: IndexTableProps["pagination"];
  onEdit: (selection: DatesSelection) => void;
}

export function DatesTable({ rows, total, pagination, onEdit }: Props) {
  const items = rows.map((row) => ({ ...row, id: row.variantId }));
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } =
    useIndexResourceState(items);
  // A new page or search: what was ticked on the last one is not on this one.
  const pageKey = rows.map((row) => row.variantId).join(",");
  const [shownKey, setShownKey] = useState(pageKey);
  if (shownKey !== pageKey) {
    setShownKey(pageKey);
    clearSelection();
  }
  const hasMoreItems = total > rows.length;
  return (
    <IndexTable
      resourceName={{ singular: "variant", plural: "variants" }}
      itemCount={rows.length}
      hasMoreItems={hasMoreItems}
      paginatedSelectAllActionText={`Select all ${total} variants`}
      paginatedSelectAllText={`All ${total} variants are selected`}
      selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
      onSelectionChange={handleSelectionChange}
      headings={[
        { title: "Variant" },
        { title: "SKU" },
        { title: "Stock", alignment: "end" },
        { title: "Waiting", alignment: "end" },
        { title: "Promised" },
        { title: "Your date or lead time" },
      ]}
      promotedBulkActions={[
        {
          content: "Set restock date",
          onAction: () =>
            onEdit(
              allResourcesSelected && hasMoreItems
                ? { all: true, count: total }
                : { all: false, variantIds: allResourcesSelected ? rows.map((r) => r.variantId) : selectedResources },
            ),
        },
      ]}
      pagination={pagination}
      emptyState={
        <EmptySearchResult
          title="No continue-selling variants here"
          description="Only tracked variants that keep selling when out of stock are listed."
          withIllustration={false}
        />
      }
    >
      {rows.map((row, index) => (
        <IndexTable.Row
          id={row.variantId}
          key={row.variantId}
          position={index}
          selected={selectedResources.includes(row.variantId)}
        >
          <IndexTable.Cell>
            <Text as="span" fontWeight="semibold">
              {row.title}
            </Text>
          </IndexTable.Cell>
          <IndexTable.Cell>{row.sku ?? "—"}</IndexTable.Cell>
          <IndexTable.Cell>
            <Text as="span" alignment="end" numeric>
              {row.stock}
            </Text>
          </IndexTable.Cell>
          <IndexTable.Cell>
            <Text as="span" alignment="end" numeric>
              {row.waitingUnits > 0 ? `${row.waitingUnits} (${row.waitingLines} lines)` : "0"}
            </Text>
          </IndexTable.Cell>
          <IndexTable.Cell>{row.promisedAt ?? "—"}</IndexTable.Cell>
          <IndexTable.Cell>
            {row.expectedAt ?? (row.leadDays !== null ? `${row.leadDays} days` : "Shop default")}{" "}
            {row.setOn === "product" && <Badge>Product</Badge>}
          </IndexTable.Cell>
        </IndexTable.Row>
      ))}
    </IndexTable>
  );
}
