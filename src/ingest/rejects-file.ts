/**
 * The reject file an import writes next to its summary: one CSV row per problem, naming the line, the field and
 * the reason, and whether the row was rejected or stored with a warning, in line order. Opened before anything is
 * stored, so an unwritable path stops the import at once; removed at the end when nothing was reported, so no
 * reject file of an earlier run survives a clean one. Rows are written as they come while they come in line
 * order; the others are sorted in bounded runs and merged in at the end (see reject-runs.ts), so memory stays
 * bounded however many rows are bad.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { RowRejection } from '../core/records.js';
import { ImportInputError } from './import-error.js';
import { RejectRuns, rejectRow } from './reject-runs.js';

const HEADER = 'line,field,kind,reason\n';

export class RejectsFile {
  private stream: WriteStream | null = null;
  /** A write error of the stream, thrown by the next write or by close. */
  private failure: Error | null = null;
  /** The highest line written to the file itself: rows for earlier lines go to the runs. */
  private lastLine = 0;
  private runs: RejectRuns | null = null;
  rows = 0;
  /** `runEntries`: out-of-order rows held in memory before a sorted run is written (see reject-runs.ts). */
  constructor(
    readonly path: string | null,
    private readonly runEntries?: number,
  ) {}

  /** Creates (or empties) the file; fails with a usage error if it cannot be written. */
  async open(): Promise<void> {
    if (!this.path || this.stream) return;
    const path = this.path;
    const stream = createWriteStream(path, { encoding: 'utf8' });
    stream.on('error', (error) => (this.failure ??= error));
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', (error) =>
        reject(new ImportInputError(`cannot write the reject file ${path}: ${error.message}`)),
      );
    });
    this.stream = stream;
  }

  async write(kind: 'rejected' | 'warning', items: readonly RowRejection[]): Promise<void> {
    if (!this.path || items.length === 0) return;
    if (!this.stream) await this.open();
    this.check();
    const stream = this.stream!;
    let text = this.rows === 0 ? HEADER : '';
    for (const r of items) {
      const row = rejectRow(r.line, r.field ?? '', kind, r.reason);
      if (r.line >= this.lastLine) {
        this.lastLine = r.line;
        text += row;
      } else {
        this.runs ??= new RejectRuns(this.path, this.runEntries);
        await this.runs.add({ line: r.line, text: row });
      }
    }
    this.rows += items.length;
    if (!stream.write(text)) await new Promise<void>((resolve) => stream.once('drain', resolve));
  }

  private check(): void {
    if (this.failure)
      throw new Error(`writing the reject file ${this.path ?? ''} failed: ${this.failure.message}`, {
        cause: this.failure,
      });
  }

  /** Forgets everything written so far, for a caller that starts the import over. */
  async reset(): Promise<void> {
    await this.close();
    this.rows = 0;
    this.lastLine = 0;
    await this.open();
  }

  /** Flushes the file, merges in the rows that came out of order, and closes it; removes it when empty. */
  async close(): Promise<void> {
    const stream = this.stream;
    if (!stream) return;
    this.stream = null;
    const runs = this.runs;
    this.runs = null;
    const sorted = `${this.path ?? ''}.sorted`;
    try {
      await new Promise<void>((resolve, reject) =>
        stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
      );
      if (this.rows === 0 && this.path) await rm(this.path, { force: true });
      this.check();
      if (runs && !runs.empty && this.path) {
        await runs.mergeInto(this.path, sorted, HEADER);
        await rename(sorted, this.path);
      }
    } finally {
      if (runs) await Promise.all([runs.discard(), rm(sorted, { force: true })]);
    }
  }
}
