import { Box, Card, DataTable, Text } from "@shopify/polaris";

export function LostTable({
  title,
  label,
  rows,
  money,
}: {
  title: string;
  label: string;
  rows: { key: string; title: string; units: number; cents: number }[];
  money: (cents: number) => string;
}) {
  return (
    <Card padding="0">
      <Box padding="400" paddingBlockEnd="0">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
      </Box>
      <DataTable
        columnContentTypes={["text", "numeric", "numeric"]}
        headings={[label, "Units", "Revenue"]}
        rows={rows.map((row) => [row.title, row.units, money(row.cents)])}
        totals={[
          "",
          rows.reduce((sum, row) => sum + row.units, 0),
          money(rows.reduce((sum, row) => sum + row.cents, 0)),
        ]}
        showTotalsInFooter
      />
    </Card>
  );
}
