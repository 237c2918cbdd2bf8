// ECharts options for the Value page: the CLV histogram and the validation tracking chart.
import type { ChartOption } from '../../app/EChart';
import { formatCount, formatDate, formatMoney } from '../../app/format';
import type { ValueSummary } from './value-types';

const AXIS_LABEL = { color: '#64748b', fontSize: 11 };
const SPLIT_LINE = { lineStyle: { color: '#eef2f7' } };

/** Customers per CLV bin; the last bin is open-ended ("2,000+"). */
export function clvHistogramOption(bins: ValueSummary['distribution'], currency: string | null): ChartOption {
  const label = (b: ValueSummary['distribution'][number]) =>
    b.to === null ? `${formatMoney(b.from, currency, { compact: true })}+` : formatMoney(b.from, currency, { compact: true });
  return {
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v) => `${formatCount(typeof v === 'number' ? v : Number(v))} customers`,
    },
    grid: { top: 16, left: 8, right: 16, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: bins.map(label), axisLabel: AXIS_LABEL, axisLine: { lineStyle: { color: '#cbd5e1' } } },
    yAxis: { type: 'value', axisLabel: { ...AXIS_LABEL, formatter: (v: number) => formatCount(v) }, splitLine: SPLIT_LINE },
    series: [{ name: 'Customers', type: 'bar', barCategoryGap: '8%', data: bins.map((b) => b.customers) }],
  };
}

/** Cumulative repeat purchases per week, actual against the model fitted on the calibration weeks. */
export function trackingOption(v: NonNullable<ValueSummary['validation']>): ChartOption {
  const weeks = v.tracking.map((t) => t.weekStart);
  const holdoutStart = Math.round(v.calibrationWeeks);
  return {
    tooltip: { trigger: 'axis', valueFormatter: (x) => formatCount(Math.round(typeof x === 'number' ? x : Number(x))) },
    legend: { top: 0, left: 0, icon: 'roundRect', itemWidth: 10, itemHeight: 10 },
    grid: { top: 36, left: 8, right: 16, bottom: 8, containLabel: true },
    xAxis: {
      type: 'category',
      data: weeks,
      axisLabel: { ...AXIS_LABEL, formatter: (d: string) => formatDate(d) },
      axisLine: { lineStyle: { color: '#cbd5e1' } },
    },
    yAxis: { type: 'value', axisLabel: { ...AXIS_LABEL, formatter: (x: number) => formatCount(x) }, splitLine: SPLIT_LINE },
    series: [
      { name: 'Actual', type: 'line', showSymbol: false, lineStyle: { width: 2 }, data: v.tracking.map((t) => t.actual) },
      {
        name: 'Model',
        type: 'line',
        showSymbol: false,
        lineStyle: { width: 2, type: 'dashed' },
        data: v.tracking.map((t) => Math.round(t.expected)),
      },
      {
        // A shaded band marks the holdout weeks the model never saw.
        name: 'Holdout',
        type: 'line',
        showSymbol: false,
        lineStyle: { opacity: 0 },
        areaStyle: { color: 'rgba(148, 163, 184, 0.12)' },
        tooltip: { show: false },
        data: v.tracking.map((t, i) => (i >= holdoutStart ? Math.max(t.actual, t.expected) : null)),
      },
    ],
  };
}
