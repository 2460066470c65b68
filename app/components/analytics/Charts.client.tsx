import { BarChart, PolarisVizProvider } from "@shopify/polaris-viz";
// Vite loads this stylesheet with the lazy chunk, so pages without charts never download it.
import "@shopify/polaris-viz/build/esm/styles.css";

export interface Series {
  name: string;
  data: { key: string; value: number | null }[];
}

// Loaded lazily, in the browser only: polaris-viz measures the DOM and is the largest part of these pages.
// Daily counts are bars, one per day with every day a key: a smoothed line overshoots between counts.
export function TrendBarChart({ series }: { series: Series[] }) {
  return (
    <PolarisVizProvider>
      <div style={{ height: 280 }}>
        <BarChart
          data={series}
          theme="Light"
          isAnimated={false}
          xAxisOptions={{ labelFormatter: (day) => String(day).slice(5) }}
        />
      </div>
    </PolarisVizProvider>
  );
}

export function ComparisonBarChart({ series }: { series: Series[] }) {
  return (
    <PolarisVizProvider>
      <div style={{ height: 280 }}>
        <BarChart data={series} theme="Light" isAnimated={false} />
      </div>
    </PolarisVizProvider>
  );
}
