// Where each activity of the process map goes, given its column (see layers in journey-charts.ts). Pure and
// import-free, so node tests can check it.

/** Units between columns of the process map. */
export const COLUMN_GAP = 130;
/** Every other column is shifted down by this share of the row gap, so neighbouring labels do not collide. */
export const STAGGER = 0.4;
/** Width over height the process map is spread to: about that of its chart (a card's width, 520 px high). */
export const MAP_ASPECT = 2.2;

/**
 * Positions of the activities of each column (`columns`: column number → its activities, top to bottom).
 * ECharts fits the map into the chart keeping its proportions, and a few rows over many columns make a wide, flat
 * map that shrinks to a thin band with labels on top of each other. So rows are spread until the map is about as
 * wide as the chart (MAP_ASPECT), never closer than the columns.
 */
export function mapPositions(columns: ReadonlyMap<number, readonly string[]>): Map<string, { x: number; y: number }> {
  const offset = (column: number, row: number, rows: number) => row - (rows - 1) / 2 + (column % 2) * STAGGER;
  const offsets = [...columns].flatMap(([k, col]) => [offset(k, 0, col.length), offset(k, col.length - 1, col.length)]);
  const heightInRows = offsets.length > 0 ? Math.max(...offsets) - Math.min(...offsets) : 0;
  const width = Math.max(0, ...columns.keys()) * COLUMN_GAP;
  const rowGap = heightInRows > 0 ? Math.max(COLUMN_GAP, width / MAP_ASPECT / heightInRows) : COLUMN_GAP;
  const out = new Map<string, { x: number; y: number }>();
  for (const [k, col] of columns) col.forEach((a, row) => out.set(a, { x: k * COLUMN_GAP, y: offset(k, row, col.length) * rowGap }));
  return out;
}
