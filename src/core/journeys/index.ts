/**
 * Journeys: process mining on customer and case events. Pure functions over the columnar {@link EventLog};
 * readers and writers for CSV/XES files live in src/ingest/eventlog, the command line in src/cli/commands/journey.ts.
 */
export * from './event-log.js';
export * from './stats.js';
export * from './discovery.js';
export * from './rework.js';
export * from './funnel.js';
export * from './process-tree.js';
export * from './petri-net.js';
export * from './bpmn.js';
export * from './token-replay.js';
export * from './conformance.js';
export * from './designed.js';
export * from './friction.js';
