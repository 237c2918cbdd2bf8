// The process map: the directly-follows graph of all events drawn with ECharts, with a frequency slider that
// hides rare edges (real logs have hundreds; the map is readable with a few dozen).
import { useMemo, useState } from 'react';
import { Chart } from '../../app/LazyEChart';
import { formatCount } from '../../app/format';
import { Card } from '../../app/ui';
import { processMapOption } from './journey-charts';
import type { Discovery } from './journey-types';

/** Default: the 30 most frequent edges, so the first view is readable on any log. */
const DEFAULT_EDGES = 30;

export function ProcessMap({ discovery }: { discovery: Discovery }) {
  const counts = useMemo(() => [...new Set(discovery.dfg.map((e) => e.count))].sort((a, b) => a - b), [discovery]);
  const defaultMin = discovery.dfg[Math.min(DEFAULT_EDGES, discovery.dfg.length) - 1]?.count ?? 1;
  const [minCount, setMinCount] = useState<number | null>(null);
  const min = minCount ?? defaultMin;
  const option = useMemo(() => processMapOption(discovery, min), [discovery, min]);
  const shown = discovery.dfg.filter((e) => e.count >= min).length;
  const index = Math.max(0, counts.findIndex((c) => c >= min));
  return (
    <Card
      title="Process map"
      testId="process-map"
      actions={
        <label className="field-inline">
          <span>Edges seen ≥ {formatCount(min)}×</span>
          <input
            type="range"
            min={0}
            max={Math.max(0, counts.length - 1)}
            value={index}
            data-testid="edge-slider"
            aria-label="Minimum edge frequency"
            onChange={(e) => setMinCount(counts[Number(e.target.value)] ?? 1)}
          />
          <span className="muted" data-testid="edge-count">
            {shown} of {discovery.dfg.length} edges
          </span>
        </label>
      }
    >
      <p className="card-note">
        {formatCount(discovery.cases)} customer journeys ({discovery.caseNotion.gapDays}-day gap) · {formatCount(discovery.events)} events ·{' '}
        {formatCount(discovery.variants)} variants. Node size: events; edge width: how often one follows the other; label: median wait.
      </p>
      <Chart option={option} height={520} label="Process map: activities and how customers move between them" testId="process-map-chart" />
    </Card>
  );
}
