// Loads ECharts only when a chart is on screen, so pages without charts stay light.
import { lazy, Suspense, type ComponentProps } from 'react';
import type { EChart as EChartComponent } from './EChart';

const EChart = lazy(() => import('./EChart').then((m) => ({ default: m.EChart })));

export function Chart(props: ComponentProps<typeof EChartComponent>) {
  const height = props.height ?? 300;
  return (
    <Suspense fallback={<div className="echart echart-loading" style={{ height }} aria-busy="true" />}>
      <EChart {...props} />
    </Suspense>
  );
}
