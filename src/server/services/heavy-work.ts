/**
 * The server's big in-memory computations run one at a time per store: every customer's features (Value page),
 * and the journey computations over millions of events — discovery, a designed journey's funnel and conformance,
 * the friction ranking (Journeys page, and revenue at risk on the Value page). Each page asks for its views at
 * once; on the 1M-customer demo each of these alone peaks at 0.75–0.98 GB RSS, and run side by side the Value page
 * took the server to 1.29 GB and the Journeys page to 1.58 GB (`kept serve` must stay under 1 GB). Only the
 * computing waits here: an answer already cached does not.
 *
 * Works queued here must not queue other works here (they would wait for themselves): each is a leaf, reading the
 * store and computing, never calling another gated computation.
 */
import type { Engine } from '../../store/engines/engine.js';

const queues = new WeakMap<Engine, Promise<unknown>>();

/** Runs `work` once every work queued before it on this store has finished (or failed). */
export function oneAtATime<T>(engine: Engine, work: () => Promise<T>): Promise<T> {
  const run = (queues.get(engine) ?? Promise.resolve()).then(work);
  queues.set(engine, run.catch(() => undefined));
  return run;
}
