/**
 * The process map's layout (pure, no browser): ECharts fits the map into its chart keeping its proportions, so a
 * long chain of steps must not make a flat band whose labels fall on each other. Rows are spread until the map is
 * about as wide as the chart, never closer than the columns.
 */
import { describe, expect, it } from 'vitest';
import { COLUMN_GAP, MAP_ASPECT, STAGGER, mapPositions } from '../../src/web/pages/journeys/map-layout.js';

const box = (positions: Map<string, { x: number; y: number }>) => {
  const xs = [...positions.values()].map((p) => p.x);
  const ys = [...positions.values()].map((p) => p.y);
  return { width: Math.max(...xs) - Math.min(...xs), height: Math.max(...ys) - Math.min(...ys) };
};

describe('mapPositions', () => {
  it('spreads the rows of a long, flat map until it is about as wide as its chart', () => {
    // Twelve columns, three rows in the second: the demo's shape.
    const columns = new Map(Array.from({ length: 12 }, (_, k) => [k, k === 1 ? ['a1', 'b1', 'c1'] : [`a${k}`]] as const));
    const { width, height } = box(mapPositions(columns));
    expect(width).toBe(11 * COLUMN_GAP);
    expect(width / height).toBeCloseTo(MAP_ASPECT, 9);
  });
  it('keeps rows at least as far apart as columns on a short map, every other column shifted', () => {
    const p = mapPositions(new Map([[0, ['s']], [1, ['a', 'b', 'c', 'd']], [2, ['e']]]));
    expect(p.get('b')!.y - p.get('a')!.y).toBe(COLUMN_GAP);
    expect(p.get('e')!.y).toBe(0);
    expect(p.get('s')!.y).toBe(0);
    expect(p.get('a')!.y).toBe((-1.5 + STAGGER) * COLUMN_GAP);
    expect(mapPositions(new Map([[0, ['only']]])).get('only')).toEqual({ x: 0, y: 0 });
  });
});
