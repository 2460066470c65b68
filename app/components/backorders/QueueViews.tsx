import { Card, EmptySearchResult, Tabs } from "@shopify/polaris";
import type { ComponentProps } from "react";

import { ProductGroups } from "./ProductGroups";
import { QueueFilters, type FilterValues } from "./QueueFilters";
import { QueueTable } from "./QueueTable";

const FILTER_PARAMS: Record<keyof FilterValues, string> = { productId: "product", status: "status", due: "due" };

type TableProps = ComponentProps<typeof QueueTable>;

interface Props {
  /** 0: the lines, 1: by product. */
  view: number;
  rows: TableProps["rows"];
  groups: ComponentProps<typeof ProductGroups>["groups"];
  query: FilterValues & { sort: string; direction: "asc" | "desc"; page: number };
  pageCount: number;
  /** Changes the URL's search parameters; the page stays on its number only when `page` is among the changes. */
  update: (changes: Record<string, string | null>) => void;
  onBulkAction: TableProps["onBulkAction"];
}

/** The queue's two tabs: its lines, filtered and sorted, or what waits by product. */
export function QueueViews({ view, groups, update, ...lines }: Props) {
  return (
    <Card padding="0">
      <Tabs
        tabs={[
          { id: "lines", content: "Lines", panelID: "lines-panel" },
          { id: "products", content: "By product", panelID: "products-panel" },
        ]}
        selected={view}
        onSelect={(index) => update({ view: index === 1 ? "products" : null })}
      />
      {view === 1 ? (
        <div id="products-panel">
          <ProductGroups groups={groups} onShowLines={(productId) => update({ view: null, product: productId })} />
        </div>
      ) : (
        <LinesPanel {...lines} groups={groups} update={update} />
      )}
    </Card>
  );
}

function LinesPanel({ rows, groups, query, pageCount, update, onBulkAction }: Omit<Props, "view">) {
  return (
    <div id="lines-panel">
      <QueueFilters
        values={{ productId: query.productId, status: query.status, due: query.due }}
        products={groups}
        onChange={(key, value) => update({ [FILTER_PARAMS[key]]: value })}
        onClearAll={() => update({ product: null, status: null, due: null })}
      />
      <QueueTable
        rows={rows}
        sort={{ column: query.sort, direction: query.direction }}
        onSort={(column, direction) => update({ sort: column, direction })}
        emptyState={
          <EmptySearchResult title="No lines match" description="Try other filters." withIllustration={false} />
        }
        pagination={{
          hasPrevious: query.page > 1,
          hasNext: query.page < pageCount,
          onPrevious: () => update({ page: String(query.page - 1) }),
          onNext: () => update({ page: String(query.page + 1) }),
          label: `Page ${query.page} of ${pageCount}`,
        }}
        onBulkAction={onBulkAction}
      />
    </div>
  );
}
