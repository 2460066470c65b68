import { SkeletonBodyText } from "@shopify/polaris";
import { lazy, Suspense, useSyncExternalStore, type ReactNode } from "react";

import type { Series } from "./Charts.client";

const TrendBarChart = lazy(() => import("./Charts.client").then((module) => ({ default: module.TrendBarChart })));
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
  kind: "bar" | "daily";
  series: Series[];
}

// polaris-viz's SVG fails axe (points as images without names, an incomplete ARIA table), so the chart is a
// picture for sighted users only: hidden from assistive technology and out of the tab order, with the same
// numbers in a table next to it (every caller shows one).
const hiddenFromAssistiveTech = { "aria-hidden": true, inert: "" } as const;

export function Chart({ kind, series }: Props): ReactNode {
  const hydrated = useHydrated();
  const skeleton = <SkeletonBodyText lines={8} />;
  return (
    <div {...hiddenFromAssistiveTech}>
      {hydrated ? (
        <Suspense fallback={skeleton}>
          {kind === "daily" ? <TrendBarChart series={series} /> : <ComparisonBarChart series={series} />}
        </Suspense>
      ) : (
        skeleton
      )}
    </div>
  );
}
