/**
 * The reject file an import writes next to its summary: one CSV row per problem, naming the line, the field and
 * the reason, and whether the row was rejected or stored with a warning. Created only when there is something
 * to report; written as it goes, so memory stays bounded however many rows are bad.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { RowRejection } from '../core/records.js';

const quote = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export class RejectsFile {
  private stream: WriteStream | null = null;
  rows = 0;
  constructor(readonly path: string | null) {}

  async write(kind: 'rejected' | 'warning', items: readonly RowRejection[]): Promise<void> {
    if (!this.path || items.length === 0) return;
    if (!this.stream) {
      this.stream = createWriteStream(this.path, { encoding: 'utf8' });
      this.stream.write('line,field,kind,reason\n');
    }
    let text = '';
    for (const r of items) text += `${r.line},${quote(r.field ?? '')},${kind},${quote(r.reason)}\n`;
    this.rows += items.length;
    if (!this.stream.write(text)) await new Promise<void>((resolve) => this.stream!.once('drain', resolve));
  }

  /** Forgets everything written so far (the file is removed), for a caller that starts the import over. */
  async reset(): Promise<void> {
    await this.close();
    this.stream = null;
    this.rows = 0;
    if (this.path) await rm(this.path, { force: true });
  }

  async close(): Promise<void> {
    const stream = this.stream;
    if (!stream) return;
    await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }
}
