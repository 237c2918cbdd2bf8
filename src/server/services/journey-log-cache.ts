/**
 * In-memory cache of event logs and mining results per workspace. Reading 400k events from the store takes
 * about a second and 20M events tens of seconds, while the data changes only on import or merge; so each entry
 * remembers the workspace's data version (see readJourneyDataVersion) and is reused until that changes — which
 * also catches imports made by another process (the CLI) into the same store. Small LRU: logs are large. Its
 * capacity counts finished entries: one still computing is never evicted (nor counted), so every request for it
 * shares the computation instead of queueing the same one again.
 */
import type { Engine } from '../../store/engines/engine.js';
import { collectGarbage } from '../collect-garbage.js';
import { readJourneyDataVersion } from '../../store/repositories/journey-repository.js';

interface Entry {
  version: string;
  value: Promise<unknown>;
  /** Still computing: not evicted, or a request arriving meanwhile would start the same computation again. */
  pending: boolean;
}

export class JourneyCache {
  private readonly entries = new Map<string, Entry>();
  /** Keys whose last value `keep` refused: it may still be garbage on the heap when the next one is computed. */
  private readonly refused = new Set<string>();

  /**
   * `afterHeavy` runs when a computation took at least `heavyMs`: by default a full garbage collection, since such
   * computations leave large typed arrays behind (see collect-garbage.ts), and the store's release of the blocks
   * it cached for them (Engine.releaseMemory); a few tens of ms after seconds of work.
   */
  constructor(
    private readonly engine: Engine,
    private readonly capacity = 8,
    private readonly afterHeavy: () => void = () => {
      collectGarbage();
      engine.releaseMemory().catch(() => undefined);
    },
    private readonly heavyMs = 1_000,
  ) {}

  /** The workspace's current data version, the part of every key that invalidates on import. */
  version(workspaceId: string): Promise<string> {
    return readJourneyDataVersion(this.engine, workspaceId);
  }

  /**
   * The cached value for `key` at `version`, or `compute()`'s (stored). A failed computation is not kept, so the
   * next request retries instead of repeating the error; nor is a value `keep` refuses (a log too large to hold
   * between requests: its results are cached instead).
   */
  async get<T>(key: string, version: string, compute: () => Promise<T>, keep?: (value: T) => boolean): Promise<{ value: T; cached: boolean }> {
    const hit = this.entries.get(key);
    if (hit && hit.version === version) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return { value: (await hit.value) as T, cached: true };
    }
    // The previous value, refused for its size, became garbage once its requests were answered; V8 may not have
    // collected it yet, and the heap would hold both (on the 1M demo's Value page: 1.8 GB instead of 1.1 GB).
    if (this.refused.delete(key)) collectGarbage();
    const started = performance.now();
    const value = compute();
    const entry: Entry = { version, value, pending: true };
    this.entries.set(key, entry);
    // After the answer is on its way, not before: the collection takes a few tens of ms.
    const heavy = (): void => {
      if (performance.now() - started >= this.heavyMs) setImmediate(this.afterHeavy);
    };
    // Finished, an entry counts as just used: it was put in before the entries its computation made itself (a
    // friction ranking's views, a funnel's dictionary), and would otherwise be the first evicted.
    const finished = (): void => {
      entry.pending = false;
      if (this.entries.get(key) === entry) {
        this.entries.delete(key);
        this.entries.set(key, entry);
      }
    };
    value.then(
      (v) => {
        finished();
        if (keep && !keep(v) && this.entries.get(key)?.value === value) {
          this.entries.delete(key);
          this.refused.add(key);
        }
        this.evict();
        heavy();
      },
      () => {
        finished();
        if (this.entries.get(key)?.value === value) this.entries.delete(key);
        this.evict();
        heavy();
      },
    );
    this.evict();
    return { value: await value, cached: false };
  }

  /** Keeps the `capacity` most recently used finished entries (those still computing are not counted). */
  private evict(): void {
    let finished = 0;
    for (const entry of this.entries.values()) if (!entry.pending) finished++;
    let excess = finished - this.capacity;
    if (excess <= 0) return;
    for (const [key, entry] of this.entries) {
      if (excess <= 0) return;
      if (entry.pending) continue;
      this.entries.delete(key);
      excess--;
    }
  }
}
