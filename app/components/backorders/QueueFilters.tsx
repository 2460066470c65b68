import { ChoiceList, Filters } from "@shopify/polaris";

export interface FilterValues {
  status: string | null;
  productId: string | null;
  due: string | null;
}

interface Props {
  values: FilterValues;
  products: { productId: string | null; title: string }[];
  onChange: (key: keyof FilterValues, value: string | null) => void;
  onClearAll: () => void;
}

const STATUS_CHOICES = [
  { label: "Waiting", value: "waiting" },
  { label: "Partly allocated", value: "partially_allocated" },
];
const DUE_CHOICES = [
  { label: "Due within 3 days", value: "soon" },
  { label: "Past the promised date", value: "overdue" },
];

/** Product, status and due filters; each change becomes a URL search parameter (shareable, back-button safe). */
export function QueueFilters({ values, products, onChange, onClearAll }: Props) {
  const productChoices = products
    .filter((product) => product.productId !== null)
    .map((product) => ({ label: product.title, value: product.productId! }));
  const single = (key: keyof FilterValues, title: string, choices: { label: string; value: string }[]) => ({
    key,
    label: title,
    pinned: true,
    filter: (
      <ChoiceList
        title={title}
        titleHidden
        choices={choices}
        selected={values[key] ? [values[key]] : []}
        onChange={([value]) => onChange(key, value ?? null)}
      />
    ),
  });
  const label = (key: keyof FilterValues, choices: { label: string; value: string }[]) =>
    choices.find((choice) => choice.value === values[key])?.label ?? values[key];
  const applied = (["productId", "status", "due"] as const)
    .filter((key) => values[key] !== null)
    .map((key) => ({
      key,
      label: `${key === "productId" ? "Product" : key === "status" ? "Status" : "Due"}: ${label(key, key === "productId" ? productChoices : key === "status" ? STATUS_CHOICES : DUE_CHOICES)}`,
      onRemove: () => onChange(key, null),
    }));
  return (
    <Filters
      queryValue=""
      hideQueryField
      onQueryChange={() => undefined}
      onQueryClear={() => undefined}
      onClearAll={onClearAll}
      filters={[
        single("productId", "Product", productChoices),
        single("status", "Status", STATUS_CHOICES),
        single("due", "Due", DUE_CHOICES),
      ]}
      appliedFilters={applied}
    />
  );
}
