/** Small statistics and grouping helpers shared by the demo generator tests. */

import type { CustomerLife } from '../../../src/core/demo/index.js';
import type { TicketEventRecord } from '../../../src/core/records.js';

/** Ordinary least-squares slope and mean of y over x. */
export function linearFit(points: readonly (readonly [number, number])[]): { slope: number; meanY: number; n: number } {
  const n = points.length;
  let sx = 0;
  let sy = 0;
  for (const [x, y] of points) {
    sx += x;
    sy += y;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of points) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) * (x - mx);
  }
  return { slope: sxy / sxx, meanY: my, n };
}

export function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Collects every person's lives from a generator into memory (fine for test-sized runs). */
export function collect(lives: Iterable<CustomerLife>): CustomerLife[] {
  return [...lives];
}

/** Ticket streams of all people, by ticket id, entries in stream order. */
export function ticketStreams(lives: readonly CustomerLife[]): Map<string, TicketEventRecord[]> {
  const streams = new Map<string, TicketEventRecord[]>();
  for (const life of lives) {
    for (const entry of life.tickets) {
      const stream = streams.get(entry.ticketId);
      if (stream) stream.push(entry);
      else streams.set(entry.ticketId, [entry]);
    }
  }
  return streams;
}
