/**
 * A full garbage collection on demand, for after computations that leave hundreds of MB of typed arrays behind
 * (journey logs read and mined in parts). Those arrays live outside the JavaScript heap, which stays small, so V8
 * may not run a major collection for a long while and `kept serve` keeps holding the memory: on the 1M-customer
 * demo, discovery left 257 MB of such garbage (RSS 897 MB, 732 MB once collected). Node offers the collector only
 * behind a flag, so the flag is set once, at the first call; where that fails, nothing is collected early.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collector: (() => void) | undefined | null = null;

export function collectGarbage(): void {
  if (collector === null) {
    try {
      setFlagsFromString('--expose-gc');
      // A new context sees the flag: its global `gc` is the collector.
      const gc: unknown = runInNewContext('gc');
      collector = typeof gc === 'function' ? (gc as () => void) : undefined;
    } catch {
      collector = undefined;
    }
  }
  collector?.();
}
