import {
  Badge,
  EmptySearchResult,
  IndexTable,
  Text,
  useIndexResourceState,
  type IndexTableProps,
} from "@shopify/polaris";

import type { DateRow } from "../../services/admin/dates-page.server";

interface Props {
  rows: DateRow[];
  pagination: IndexTableProps["pagination"];
  onEdit: (variantIds: string[]) => void;
}

/** The continue-selling variants: stock, units waiting with the latest date promised, the merchant's word. */
export function DatesTable({ rows, pagination, onEdit }: Props) {
  const items = rows.map((row) => ({ ...row, id: row.variantId }));
  const { selectedResources, allResourcesSelected, handleSelectionChange } = useIndexResourceState(items);
  return (
    <IndexTable
      resourceName={{ singular: "variant", plural: "variants" }}
      itemCount={rows.length}
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
      promotedBulkActions={[{ content: "Set restock date", onAction: () => onEdit(selectedResources) }]}
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
