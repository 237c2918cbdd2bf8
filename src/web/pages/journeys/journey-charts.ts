// ECharts options for the Journeys page: the process map (a layered directly-follows graph) and the funnel.
// Colours are literals (the palette of app/EChart) so this module does not pull ECharts out of its lazy chunk.
import type { ChartOption } from '../../app/EChart';
import { formatCount, humanize } from '../../app/format';
import { formatDuration, type Discovery, type FunnelStep } from './journey-types';
import { mapPositions } from './map-layout';

const AXIS_LABEL = { color: '#64748b', fontSize: 11 };

/**
 * Columns for a left-to-right process map: a depth-first walk from the start activities along the most frequent
 * edges first marks the edges that close a loop (back edges); on what remains (a DAG) each activity goes one
 * column right of its furthest predecessor (longest path). Main flows then read left to right, and loops and
 * rework are the edges running backwards.
 */
export function layers(activities: string[], edges: { from: string; to: string; count: number }[], starts: string[]): Map<string, number> {
  const next = new Map<string, string[]>();
  for (const e of [...edges].sort((a, b) => b.count - a.count)) {
    if (e.from === e.to) continue;
    next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  }
  const state = new Map<string, 'open' | 'done'>();
  const postorder: string[] = [];
  const back = new Set<string>();
  const visit = (root: string) => {
    // Iterative DFS: logs can have hundreds of activities.
    const stack: { node: string; i: number }[] = [{ node: root, i: 0 }];
    state.set(root, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const succ = next.get(top.node) ?? [];
      if (top.i < succ.length) {
        const b = succ[top.i++]!;
        const st = state.get(b);
        if (st === 'open') back.add(`${top.node}\u0000${b}`);
        else if (st === undefined) {
          state.set(b, 'open');
          stack.push({ node: b, i: 0 });
        }
      } else {
        state.set(top.node, 'done');
        postorder.push(top.node);
        stack.pop();
      }
    }
  };
  for (const s of starts) if (activities.includes(s) && !state.has(s)) visit(s);
  for (const a of activities) if (!state.has(a)) visit(a);
  const out = new Map<string, number>(activities.map((a) => [a, 0]));
  for (const a of postorder.reverse()) {
    for (const b of next.get(a) ?? []) {
      if (!back.has(`${a}\u0000${b}`)) out.set(b, Math.max(out.get(b) ?? 0, out.get(a)! + 1));
    }
  }
  return out;
}

/** The process map: nodes sized by event count, edges weighted by frequency and labelled with the median wait. */
export function processMapOption(d: Discovery, minCount: number): ChartOption {
  const edges = d.dfg.filter((e) => e.count >= minCount);
  const shown = new Set(edges.flatMap((e) => [e.from, e.to]));
  const counts = new Map(d.activityCounts.map((a) => [a.activity, a.count]));
  const activities = d.activityCounts.map((a) => a.activity).filter((a) => shown.has(a));
  const layer = layers(activities, edges, d.start.map((s) => s.activity));
  const perLayer = new Map<number, string[]>();
  for (const a of activities) perLayer.set(layer.get(a)!, [...(perLayer.get(layer.get(a)!) ?? []), a]);
  const maxCount = Math.max(1, ...activities.map((a) => counts.get(a) ?? 0));
  const maxEdge = Math.max(1, ...edges.map((e) => e.count));
  const starts = new Set(d.start.map((s) => s.activity));
  const position = mapPositions(perLayer);
  const nodes = activities.map((a) => {
    const count = counts.get(a) ?? 0;
    return {
      id: a,
      name: a,
      // Labels alternately above and below their node, column by column (see map-layout.ts).
      ...position.get(a)!,
      value: count,
      symbolSize: 18 + 42 * Math.sqrt(count / maxCount),
      itemStyle: { color: starts.has(a) ? '#10b981' : '#4f46e5' },
      label: { show: true, position: layer.get(a)! % 2 ? ('bottom' as const) : ('top' as const), formatter: `${humanize(a)}\n${formatCount(count)}`, fontSize: 11, lineHeight: 14, color: '#334155' },
    };
  });
  const links = edges.map((e) => ({
    source: e.from,
    target: e.to,
    value: e.count,
    lineStyle: { width: 1 + 7 * (e.count / maxEdge), opacity: 0.35 + 0.5 * (e.count / maxEdge), curveness: layer.get(e.to)! <= layer.get(e.from)! ? 0.35 : 0.08 },
    label: { show: e.count >= maxEdge * 0.04, formatter: formatDuration(e.medianS), fontSize: 10, color: '#475569' },
    tooltip: { formatter: `${humanize(e.from)} → ${humanize(e.to)}<br/>${formatCount(e.count)}× · median wait ${formatDuration(e.medianS)} · p90 ${formatDuration(e.p90S)}` },
  }));
  return {
    tooltip: { trigger: 'item', confine: true },
    series: [
      {
        type: 'graph',
        layout: 'none',
        roam: true,
        draggable: true,
        data: nodes,
        links,
        edgeSymbol: ['none', 'arrow'],
        edgeSymbolSize: [0, 7],
        lineStyle: { color: '#64748b' },
        emphasis: { focus: 'adjacency', lineStyle: { width: 6 } },
        tooltip: { formatter: (p: { dataType?: string; name?: string; value?: unknown }) => (p.dataType === 'node' ? `${humanize(p.name ?? '')}: ${formatCount(Number(p.value))} events` : '') },
      },
    ],
  };
}

/** Reached (anywhere in the case) next to reached in order, per designed step. */
export function funnelOption(steps: FunnelStep[]): ChartOption {
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, left: 0, icon: 'roundRect', itemWidth: 10, itemHeight: 10 },
    grid: { top: 36, left: 8, right: 16, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: steps.map((s) => s.step), axisLabel: { ...AXIS_LABEL, interval: 0, width: 90, overflow: 'break', lineHeight: 14 } },
    yAxis: { type: 'value', axisLabel: { ...AXIS_LABEL, formatter: (v: number) => formatCount(v) }, splitLine: { lineStyle: { color: '#eef2f7' } } },
    series: [
      { name: 'Reached', type: 'bar', data: steps.map((s) => s.reached), itemStyle: { color: '#c7d2fe' } },
      { name: 'Reached in order', type: 'bar', data: steps.map((s) => s.reachedInOrder), itemStyle: { color: '#4f46e5' } },
    ],
  };
}
