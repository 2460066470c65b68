import { SkeletonBodyText } from "@shopify/polaris";
import { lazy, Suspense, useSyncExternalStore, type ReactNode } from "react";

import type { Series } from "./Charts.client";

const TrendLineChart = lazy(() => import("./Charts.client").then((module) => ({ default: module.TrendLineChart })));
const ComparisonBarChart = lazy(() =>
  import("./Charts.client").then((module) => ({ default: module.ComparisonBarChart })),
);

const subscribe = () => () => undefined;

/** True after hydration: charts render in the browser only, the server sends their skeleton. */
function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}

interface Props {
  kind: "line" | "bar";
  series: Series[];
  /** What the chart shows, for screen readers (the same numbers are in the tables on the page). */
  label: string;
}

export function Chart({ kind, series, label }: Props): ReactNode {
  const hydrated = useHydrated();
  const skeleton = <SkeletonBodyText lines={8} />;
  return (
    <figure aria-label={label} style={{ margin: 0 }}>
      {hydrated ? (
        <Suspense fallback={skeleton}>
          {kind === "line" ? <TrendLineChart series={series} /> : <ComparisonBarChart series={series} />}
        </Suspense>
      ) : (
        skeleton
      )}
    </figure>
  );
}
