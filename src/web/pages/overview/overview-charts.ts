// ECharts options for the Overview page, built from the API's flat series.
import type { Bucket, Overview } from '../../app/api-types';
import type { ChartOption } from '../../app/EChart';
import { formatBucket, formatCount, formatDecimal, formatNps, humanize } from '../../app/format';

const AXIS_LABEL = { color: '#64748b', fontSize: 11 };
const SPLIT_LINE = { lineStyle: { color: '#eef2f7' } };

/** Stacked area of interaction counts per channel, largest channel at the bottom. */
export function volumesOption(volumes: Overview['volumes'], bucket: Bucket): ChartOption {
  const buckets = [...new Set(volumes.map((v) => v.bucket))].sort();
  const totals = new Map<string, number>();
  const counts = new Map<string, number>();
  for (const v of volumes) {
    totals.set(v.channel, (totals.get(v.channel) ?? 0) + v.count);
    counts.set(`${v.channel}\u0000${v.bucket}`, (counts.get(`${v.channel}\u0000${v.bucket}`) ?? 0) + v.count);
  }
  const channels = [...totals.keys()].sort((a, b) => (totals.get(b) ?? 0) - (totals.get(a) ?? 0));
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v) => formatCount(typeof v === 'number' ? v : Number(v)) },
    legend: { type: 'scroll', top: 0, left: 0, icon: 'roundRect', itemWidth: 10, itemHeight: 10 },
    grid: { top: 40, left: 8, right: 16, bottom: 8, containLabel: true },
    xAxis: {
      type: 'category',
      boundaryGap: false,
      data: buckets,
      axisLabel: { ...AXIS_LABEL, formatter: (value: string) => formatBucket(value, bucket) },
      axisLine: { lineStyle: { color: '#cbd5e1' } },
    },
    yAxis: {
      type: 'value',
      axisLabel: { ...AXIS_LABEL, formatter: (v: number) => formatCount(v) },
      splitLine: SPLIT_LINE,
    },
    series: channels.map((channel) => ({
      name: humanize(channel),
      type: 'line',
      stack: 'volume',
      areaStyle: { opacity: 0.35 },
      lineStyle: { width: 1.5 },
      showSymbol: buckets.length <= 1,
      emphasis: { focus: 'series' },
      data: buckets.map((b) => counts.get(`${channel}\u0000${b}`) ?? 0),
    })),
  };
}

/** Picks a fixed CSAT axis for the usual scales (1–5, 0–10, 0–100) so small moves don't look dramatic. */
function csatRange(values: number[]): { min: number; max: number } | Record<string, never> {
  const max = Math.max(...values);
  if (!Number.isFinite(max)) return {};
  if (max <= 5) return { min: 1, max: 5 };
  if (max <= 10) return { min: 0, max: 10 };
  if (max <= 100) return { min: 0, max: 100 };
  return {};
}

/**
 * Symbols of a line with gaps: on every point when `all`, else only on a point with a gap on both sides, which a
 * line without symbols would not draw at all (a survey wave answered in a single week).
 */
function gapAwareSymbols(values: readonly (number | null)[], all: boolean) {
  if (all) return { showSymbol: true };
  const isolated = (i: number) => values[i] !== null && (values[i - 1] ?? null) === null && (values[i + 1] ?? null) === null;
  if (!values.some((_, i) => isolated(i))) return { showSymbol: false };
  // showAllSymbol: past a number of points ECharts would otherwise thin symbols out to the axis labels' interval.
  return { showSymbol: true, showAllSymbol: true, symbolSize: (_value: unknown, params: { dataIndex: number }) => (isolated(params.dataIndex) ? 6 : 0) };
}

/** NPS (left axis, −100…100) and CSAT (right axis) per bucket; gaps where a bucket had too few answers for one. */
export function scoresOption(trend: Overview['scoreTrend'], bucket: Bucket): ChartOption {
  const rows = [...trend].sort((a, b) => a.bucket.localeCompare(b.bucket));
  const csatValues = rows.map((r) => r.csat).filter((v): v is number => v !== null);
  const single = rows.length <= 1;
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, left: 0, icon: 'roundRect', itemWidth: 10, itemHeight: 10 },
    grid: { top: 40, left: 8, right: 8, bottom: 8, containLabel: true },
    xAxis: {
      type: 'category',
      data: rows.map((r) => r.bucket),
      axisLabel: { ...AXIS_LABEL, formatter: (value: string) => formatBucket(value, bucket) },
      axisLine: { lineStyle: { color: '#cbd5e1' } },
    },
    yAxis: [
      {
        type: 'value',
        name: 'NPS',
        min: -100,
        max: 100,
        interval: 50,
        nameTextStyle: AXIS_LABEL,
        axisLabel: AXIS_LABEL,
        splitLine: SPLIT_LINE,
      },
      {
        type: 'value',
        name: 'CSAT',
        ...csatRange(csatValues),
        nameTextStyle: AXIS_LABEL,
        axisLabel: AXIS_LABEL,
        splitLine: { show: false },
      },
    ],
    series: [
      {
        name: 'NPS',
        type: 'line',
        yAxisIndex: 0,
        ...gapAwareSymbols(rows.map((r) => r.nps), single || rows.length <= 24),
        connectNulls: false,
        lineStyle: { width: 2 },
        tooltip: { valueFormatter: (v) => formatNps(typeof v === 'number' ? v : null) },
        data: rows.map((r) => r.nps),
      },
      {
        name: 'CSAT',
        type: 'line',
        yAxisIndex: 1,
        ...gapAwareSymbols(rows.map((r) => r.csat), single || rows.length <= 24),
        connectNulls: false,
        lineStyle: { width: 2, type: 'dashed' },
        tooltip: { valueFormatter: (v) => formatDecimal(typeof v === 'number' ? v : null) },
        data: rows.map((r) => r.csat),
      },
    ],
  };
}
