// A small Apache ECharts wrapper. Only the pieces the dashboard uses are registered with
// `echarts/core`, so the bundle carries line, bar and graph charts, axes, tooltip and legend — nothing else.
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, GraphChart, LineChart, type BarSeriesOption, type GraphSeriesOption, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([LineChart, BarChart, GraphChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = echarts.ComposeOption<
  LineSeriesOption | BarSeriesOption | GraphSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

export const CHART_COLORS = [
  '#4f46e5',
  '#0ea5e9',
  '#10b981',
  '#f59e0b',
  '#ef4444',
  '#ec4899',
  '#14b8a6',
  '#8b5cf6',
  '#64748b',
];

export function EChart({
  option,
  height = 300,
  testId,
  label,
}: {
  option: ChartOption;
  height?: number;
  testId?: string;
  /** Accessible description of the chart. */
  label: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const instance = echarts.init(el, null, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ color: CHART_COLORS, animationDuration: 300, ...option }, { notMerge: true });
  }, [option]);

  const seriesCount = Array.isArray(option.series) ? option.series.length : option.series ? 1 : 0;
  return (
    <div
      ref={ref}
      className="echart"
      style={{ height }}
      role="img"
      aria-label={label}
      data-testid={testId}
      data-series={seriesCount}
    />
  );
}
