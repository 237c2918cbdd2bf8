/**
 * Option values the verbs share, checked before any work starts, and the error for a bad one: a usage error
 * (exit code 2) whose message names the option and the value.
 */
import { statSync } from 'node:fs';

/** Bad usage found by a verb itself (commander reports its own): printed as one line, exit code 2. */
export class UsageError extends Error {}

/** The same rule as `KEPT_WORKSPACE` and the API's `?workspace=`, so every workspace made here can be reached. */
export const WORKSPACE_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export function workspaceId(option: string, value: string): string {
  if (!WORKSPACE_ID.test(value))
    throw new UsageError(
      `${option} '${value}' must be 1–63 lower-case letters, digits, - or _ (starting with a letter or digit)`,
    );
  return value;
}

/** A whole number written in decimal digits, within `min`…`max`. */
export function integerOption(option: string, value: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = /^[+-]?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range =
      max === Number.MAX_SAFE_INTEGER
        ? `of at least ${min.toLocaleString('en-GB')}`
        : `from ${min.toLocaleString('en-GB')} to ${max.toLocaleString('en-GB')}`;
    throw new UsageError(`${option} must be a whole number ${range}, got '${value}'`);
  }
  return n;
}

/** A finite decimal number greater than `above` (and at most `max`). */
export function numberOption(option: string, value: string, above: number, max = Number.MAX_VALUE): number {
  const n = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isFinite(n) || !(n > above) || n > max) {
    const range = max === Number.MAX_VALUE ? `greater than ${above}` : `greater than ${above} and at most ${max}`;
    throw new UsageError(`${option} must be a number ${range}, got '${value}'`);
  }
  return n;
}

/** A file the verb reads: a directory or a missing file is named, not reported as an errno. */
export function checkReadable(option: string, path: string): void {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) throw new UsageError(`${option} ${path}: no such file`);
  if (info.isDirectory()) throw new UsageError(`${option} ${path}: is a directory, not a file`);
}
