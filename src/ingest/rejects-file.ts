/**
 * The reject file an import writes next to its summary: one CSV row per problem, naming the line, the field and
 * the reason, and whether the row was rejected or stored with a warning. Opened before anything is stored, so an
 * unwritable path stops the import at once; removed at the end when nothing was reported, so no reject file of an
 * earlier run survives a clean one. Written as it goes, so memory stays bounded however many rows are bad.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { RowRejection } from '../core/records.js';
import { ImportInputError } from './import-error.js';

const quote = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export class RejectsFile {
  private stream: WriteStream | null = null;
  /** A write error of the stream, thrown by the next write or by close. */
  private failure: Error | null = null;
  rows = 0;
  constructor(readonly path: string | null) {}

  /** Creates (or empties) the file; fails with a usage error if it cannot be written. */
  async open(): Promise<void> {
    if (!this.path || this.stream) return;
    const path = this.path;
    const stream = createWriteStream(path, { encoding: 'utf8' });
    stream.on('error', (error) => (this.failure ??= error));
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', (error) => reject(new ImportInputError(`cannot write the reject file ${path}: ${error.message}`)));
    });
    this.stream = stream;
  }

  async write(kind: 'rejected' | 'warning', items: readonly RowRejection[]): Promise<void> {
    if (!this.path || items.length === 0) return;
    if (!this.stream) await this.open();
    this.check();
    const stream = this.stream!;
    let text = this.rows === 0 ? 'line,field,kind,reason\n' : '';
    for (const r of items) text += `${r.line},${quote(r.field ?? '')},${kind},${quote(r.reason)}\n`;
    this.rows += items.length;
    if (!stream.write(text)) await new Promise<void>((resolve) => stream.once('drain', resolve));
  }

  private check(): void {
    if (this.failure) throw new Error(`writing the reject file ${this.path ?? ''} failed: ${this.failure.message}`, { cause: this.failure });
  }

  /** Forgets everything written so far, for a caller that starts the import over. */
  async reset(): Promise<void> {
    await this.close();
    this.rows = 0;
    await this.open();
  }

  /** Flushes and closes the file; removes it when nothing was written to it. */
  async close(): Promise<void> {
    const stream = this.stream;
    if (!stream) return;
    this.stream = null;
    await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
    if (this.rows === 0 && this.path) await rm(this.path, { force: true });
    this.check();
  }
}
