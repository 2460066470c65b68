import { Badge, IndexTable, Link, Text, useIndexResourceState, type IndexTableProps } from "@shopify/polaris";

import { dateSource, formatDate, legacyId, STATUS_LABEL } from "./format";

export type QueueTableRow = {
  id: string;
  orderId: string;
  orderName: string;
  title: string;
  sku: string | null;
  customerName: string | null;
  quantity: number;
  backorderedQty: number;
  status: string;
  orderedAt: Date;
  promisedAt: Date | null;
  promisedBasis?: string | null;
  deadlineAt: Date | null;
  ageDays: number;
  due: "soon" | "overdue" | null;
};

/** Sortable columns, by heading index. */
export const SORTABLE_COLUMNS: Record<number, "backorderedQty" | "orderedAt" | "promisedAt" | "deadlineAt"> = {
  3: "backorderedQty",
  5: "orderedAt",
  6: "promisedAt",
  7: "deadlineAt",
};

interface Props {
  rows: QueueTableRow[];
  sort: { column: string; direction: "asc" | "desc" };
  onSort: (column: string, direction: "asc" | "desc") => void;
  pagination: IndexTableProps["pagination"];
  emptyState: IndexTableProps["emptyState"];
  onBulkAction: (
    intent: "allocate" | "extend_deadline" | "cancel_remainder" | "cancel_remainder_customer",
    lineIds: string[],
  ) => void;
}

export function QueueTable({ rows, sort, onSort, pagination, emptyState, onBulkAction }: Props) {
  const { selectedResources, allResourcesSelected, handleSelectionChange } = useIndexResourceState(rows);
  const sortIndex = Number(Object.entries(SORTABLE_COLUMNS).find(([, column]) => column === sort.column)?.[0] ?? 5);
  const bulk = (intent: Parameters<Props["onBulkAction"]>[0]) => () => onBulkAction(intent, selectedResources);

  return (
    <IndexTable
      resourceName={{ singular: "backorder line", plural: "backorder lines" }}
      itemCount={rows.length}
      selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
      onSelectionChange={handleSelectionChange}
      headings={[
        { title: "Order" },
        { title: "Product" },
        { title: "Customer" },
        { title: "Waiting", alignment: "end" },
        { title: "Status" },
        { title: "Age" },
        { title: "Promised" },
        { title: "Deadline" },
      ]}
      sortable={[false, false, false, true, false, true, true, true]}
      sortColumnIndex={sortIndex}
      sortDirection={sort.direction === "asc" ? "ascending" : "descending"}
      onSort={(index, direction) => {
        const column = SORTABLE_COLUMNS[index];
        if (column) onSort(column, direction === "ascending" ? "asc" : "desc");
      }}
      promotedBulkActions={[
        { content: "Allocate now", onAction: bulk("allocate") },
        { content: "Extend deadline", onAction: bulk("extend_deadline") },
      ]}
      bulkActions={[
        { content: "Cancel remainder and refund", onAction: bulk("cancel_remainder") },
        { content: "Customer cancelled: cancel remainder and refund", onAction: bulk("cancel_remainder_customer") },
      ]}
      pagination={pagination}
      emptyState={emptyState}
    >
      {rows.map((row, index) => (
        <IndexTable.Row id={row.id} key={row.id} position={index} selected={selectedResources.includes(row.id)}>
          <IndexTable.Cell>
            <Link url={`/app/backorders/${legacyId(row.orderId)}`} dataPrimaryLink removeUnderline monochrome>
              <Text as="span" fontWeight="semibold">
                {row.orderName}
              </Text>
            </Link>
          </IndexTable.Cell>
          <IndexTable.Cell>
            {row.title}
            {row.sku && (
              <Text as="span" tone="subdued">
                {" "}
                {row.sku}
              </Text>
            )}
          </IndexTable.Cell>
          <IndexTable.Cell>{row.customerName ?? "—"}</IndexTable.Cell>
          <IndexTable.Cell>
            <Text as="span" alignment="end" numeric>
              {row.backorderedQty} of {row.quantity}
            </Text>
          </IndexTable.Cell>
          <IndexTable.Cell>
            <Badge tone={row.status === "partially_allocated" ? "attention" : undefined}>
              {STATUS_LABEL[row.status] ?? row.status}
            </Badge>
          </IndexTable.Cell>
          <IndexTable.Cell>{`${row.ageDays} day${row.ageDays === 1 ? "" : "s"}`}</IndexTable.Cell>
          <IndexTable.Cell>
            {formatDate(row.promisedAt)}
            {dateSource(row.promisedBasis) && (
              <Text as="span" tone="subdued">
                {" "}
                ({dateSource(row.promisedBasis)})
              </Text>
            )}{" "}
            {row.due === "overdue" && <Badge tone="critical">Overdue</Badge>}
            {row.due === "soon" && <Badge tone="warning">Due soon</Badge>}
          </IndexTable.Cell>
          <IndexTable.Cell>{formatDate(row.deadlineAt)}</IndexTable.Cell>
        </IndexTable.Row>
      ))}
    </IndexTable>
  );
}
