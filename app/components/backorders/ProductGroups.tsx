import { Button, DataTable } from "@shopify/polaris";

import { formatDate } from "./format";

interface Group {
  productId: string | null;
  title: string;
  lines: number;
  units: number;
  oldestOrderedAt: Date | null;
}

/** What waits on what: one row per product, most units waiting first; a product opens its lines. */
export function ProductGroups({ groups, onShowLines }: { groups: Group[]; onShowLines: (productId: string) => void }) {
  return (
    <DataTable
      columnContentTypes={["text", "numeric", "numeric", "text", "text"]}
      headings={["Product", "Units waiting", "Lines", "Oldest order", ""]}
      rows={groups.map((group) => [
        group.title,
        group.units,
        group.lines,
        formatDate(group.oldestOrderedAt),
        group.productId ? (
          <Button
            variant="plain"
            onClick={() => onShowLines(group.productId!)}
            accessibilityLabel={`Show lines of ${group.title}`}
          >
            Show lines
          </Button>
        ) : (
          ""
        ),
      ])}
    />
  );
}
