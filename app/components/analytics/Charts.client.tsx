import { BarChart, LineChart, PolarisVizProvider } from "@shopify/polaris-viz";
// Vite loads this stylesheet with the lazy chunk, so pages without charts never download it.
import "@shopify/polaris-viz/build/esm/styles.css";

export interface Series {
  name: string;
  data: { key: string; value: number | null }[];
}

// Loaded lazily, in the browser only: polaris-viz measures the DOM and is the largest part of these pages.
export function TrendLineChart({ series }: { series: Series[] }) {
  return (
    <PolarisVizProvider>
      <div style={{ height: 280 }}>
        <LineChart data={series} theme="Light" isAnimated={false} />
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
