/**
 * The server's big in-memory computations run one at a time per store: every customer's features (Value page),
 * and the journey computations over millions of events — discovery, a designed journey's funnel and conformance,
 * the friction ranking (Journeys page, and revenue at risk on the Value page). Each page asks for its views at
 * once; on the 1M-customer demo each of these alone peaks at 0.75–0.98 GB RSS, and run side by side the Value page
 * took the server to 1.29 GB and the Journeys page to 1.58 GB (`kept serve` must stay under 1 GB). Only the
 * computing waits here: an answer already cached does not.
 *
 * A work waits for its turn at most a time limit (`KEPT_HEAVY_WAIT_S`, default 300 s): past it, its caller gets
 * {@link HeavyWorkBusyError} (a 503 with Retry-After) and the work is dropped from the queue, not run later for no
 * one. A work that has started is never interrupted. Within {@link waitingForOneRequest} (the server wraps every
 * request in it) the limit is the request's, in all: a request that needs several works (an owner's scorecard, one
 * per journey; revenue at risk, friction then features) waits at most the limit over all of them, time spent
 * computing aside. A request that finds its work already queued by another (the cache shares it) shares that
 * work's deadline.
 *
 * Works queued here must not queue other works here (they would wait for themselves): each is a leaf, reading the
 * store and computing, never calling another gated computation.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Engine } from '../../store/engines/engine.js';

/** How long a work may wait for its turn unless the store is given another limit ({@link limitHeavyWait}). */
export const DEFAULT_HEAVY_WAIT_MS = 300_000;

/** Seconds a client is asked to wait before asking again, once a work has waited out the limit. */
export const BUSY_RETRY_AFTER_S = 30;

/** A work waited out its store's limit behind others: nothing was computed. */
export class HeavyWorkBusyError extends Error {
  constructor(readonly waitedMs: number) {
    const waited = waitedMs < 1000 ? `${waitedMs} ms` : `${Math.round(waitedMs / 1000)} s`;
    super(
      `The server is busy with other large computations on this store: this one waited ${waited} for its turn and ` +
        `was not started. Ask again in ${BUSY_RETRY_AFTER_S} s.`,
    );
    this.name = 'HeavyWorkBusyError';
  }
}

/** Each store's queue: its last work, settled (never rejected) once that work has finished or been dropped. */
const queues = new WeakMap<Engine, Promise<void>>();
const waitLimits = new WeakMap<Engine, number>();

/** Sets how long works on `engine` may wait for their turn (the server sets it from the configuration). */
export function limitHeavyWait(engine: Engine, maxWaitMs: number): void {
  // A timer takes at most 2^31 - 1 ms (Node fires a longer one after 1 ms): that would drop every work that waits.
  if (!Number.isInteger(maxWaitMs) || maxWaitMs < 1 || maxWaitMs > 2 ** 31 - 1) {
    throw new RangeError(`heavy work wait limit: ${maxWaitMs} ms is not a whole number from 1 to ${2 ** 31 - 1}`);
  }
  waitLimits.set(engine, maxWaitMs);
}

/** How long the current request has waited for its works so far (see {@link waitingForOneRequest}). */
const requestWaits = new AsyncLocalStorage<{ waitedMs: number }>();

/** Runs `fn` (a request's handling) so that the works it waits for share one wait limit. */
export function waitingForOneRequest<T>(fn: () => T): T {
  return requestWaits.run({ waitedMs: 0 }, fn);
}

/**
 * Runs `work` once every work queued before it on this store has finished, failed or been dropped; rejects with
 * {@link HeavyWorkBusyError} if its turn does not come within the store's wait limit (less what the request has
 * waited for its earlier works).
 */
export function oneAtATime<T>(engine: Engine, work: () => Promise<T>): Promise<T> {
  const request = requestWaits.getStore();
  const limitMs = waitLimits.get(engine) ?? DEFAULT_HEAVY_WAIT_MS;
  const maxWaitMs = Math.max(1, limitMs - (request?.waitedMs ?? 0));
  const previous = queues.get(engine) ?? Promise.resolve();
  const queuedAt = performance.now();
  return new Promise<T>((resolve, reject) => {
    let dropped = false;
    const timer = setTimeout(() => {
      dropped = true;
      if (request) request.waitedMs += maxWaitMs;
      reject(new HeavyWorkBusyError(maxWaitMs));
    }, maxWaitMs);
    // A server shutting down does not wait for a queued work's deadline.
    timer.unref();
    const turn = previous.then(async () => {
      // Dropped: the next work's turn comes at once.
      if (dropped) return;
      clearTimeout(timer);
      if (request) request.waitedMs += performance.now() - queuedAt;
      try {
        resolve(await work());
      } catch (error) {
        reject(error as Error);
      }
    });
    queues.set(engine, turn);
  });
}
