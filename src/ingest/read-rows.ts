/**
 * Streaming row readers for `kept import`: CSV and JSON Lines, plain or gzipped, from a file path or a stream.
 * Rows come out one at a time with the 1-based physical line they start on, so error reports can point into the
 * file; a broken row becomes `{line, error}` and reading continues.
 */
import { CsvRecordReader } from './csv-records.js';
import { LineSplitter, readTextChunks } from './text-input.js';
import type { TextInputOptions } from './text-input.js';

/** One input row: its values keyed by column (CSV: strings) or an error for the whole row. */
/** A row, or why it could not be read (with the column at fault, where one is). */
export type RawRow = { line: number; values: Record<string, unknown> } | { line: number; error: string; field?: string };

export type RowFormat = 'csv' | 'jsonl';

export interface ReadRowsOptions extends TextInputOptions {
  /** CSV field separator (one character). Default `,`. */
  delimiter?: string | undefined;
  /** CSV: receives the trimmed header names once, before the first row (for unknown-column reports). */
  onHeader?: ((columns: string[]) => void) | undefined;
  /**
   * Longest accepted record in characters (a JSONL line, or a CSV record including quoted line breaks).
   * Longer ones become row errors; for CSV this is also what bounds an unclosed quote. Default 1 MiB, well above
   * the 32 KiB free-text limit of validation.
   */
  maxRecordChars?: number | undefined;
  /** CSV: most physical lines one quoted field may span before it is treated as an unclosed quote. Default 10,000 (a long message with many short lines fits; an unclosed quote still ends within `maxRecordChars`). */
  maxRecordLines?: number | undefined;
}

const DEFAULT_MAX_RECORD_CHARS = 1024 * 1024;
const DEFAULT_MAX_RECORD_LINES = 10_000;

/** What a file name says about its contents; `undefined` when the extension is not one Kept reads. */
export interface DetectedFormat {
  format: RowFormat;
  gzip: boolean;
}

/**
 * Detects the row format from a file name: `.csv`, `.jsonl`, `.ndjson` or `.jsonlines`, each optionally
 * followed by `.gz`. Plain `.json` is not accepted: it usually holds one array, which is not JSON Lines.
 */
export function detectFormat(path: string): DetectedFormat | undefined {
  const match = /\.(csv|jsonl|ndjson|jsonlines)(\.gz)?$/i.exec(path);
  if (!match) return undefined;
  const ext = match[1].toLowerCase();
  return { format: ext === 'csv' ? 'csv' : 'jsonl', gzip: match[2] !== undefined };
}

function describeJsonValue(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/** Parses one JSON Lines line into a row; blank lines yield nothing. */
function jsonlRow(text: string, line: number, out: RawRow[]): void {
  const trimmed = text.trim();
  if (trimmed.length === 0) return;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (err) {
    out.push({ line, error: `invalid JSON: ${(err as Error).message}` });
    return;
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    out.push({ line, values: value as Record<string, unknown> });
  } else {
    out.push({ line, error: `expected a JSON object, got ${describeJsonValue(value)}` });
  }
}

/**
 * Reads rows from `input` — a file path or a readable stream of bytes — as CSV (first record is the header,
 * so the first data row is normally line 2) or JSON Lines (one object per non-blank line).
 *
 * Gzip is detected from the data (magic bytes) unless `opts.gzip` says otherwise. Progress in raw bytes goes to
 * `opts.onProgress`; compare it with the file size for a progress bar.
 *
 * Throws (from the iteration) on I/O errors, corrupt gzip data and a malformed or duplicate-column CSV header:
 * those make the whole input unreadable, unlike a bad row.
 */
export async function* readRows(
  input: string | NodeJS.ReadableStream,
  format: RowFormat,
  opts: ReadRowsOptions = {},
): AsyncGenerator<RawRow> {
  for await (const rows of readRowBatches(input, format, opts)) yield* rows;
}

/**
 * {@link readRows}, a chunk of input at a time: the same rows in the same order, grouped in arrays (one per chunk
 * read, a few thousand rows). For callers that handle millions of rows, where one asynchronous step per row is a
 * noticeable share of the cost. Each array is the caller's to keep; it is not reused.
 */
export async function* readRowBatches(
  input: string | NodeJS.ReadableStream,
  format: RowFormat,
  opts: ReadRowsOptions = {},
): AsyncGenerator<RawRow[]> {
  const maxRecordChars = opts.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  let out: RawRow[] = [];
  let onLine: (text: string, line: number) => void;
  let csv: CsvRecordReader | undefined;
  if (format === 'csv') {
    // The reader appends to whatever array `out` is when a row is ready (it is swapped for each yield below).
    const reader = new CsvRecordReader({ push: (row: RawRow) => out.push(row) }, {
      delimiter: opts.delimiter ?? ',',
      maxRecordChars,
      maxRecordLines: opts.maxRecordLines ?? DEFAULT_MAX_RECORD_LINES,
      onHeader: opts.onHeader,
    });
    csv = reader;
    onLine = (text, line) => reader.pushLine(text, line);
  } else {
    onLine = (text, line) => jsonlRow(text, line, out);
  }
  const splitter = new LineSplitter(
    onLine,
    (line) => {
      const reason = `line longer than ${maxRecordChars} characters; skipped`;
      if (csv) csv.skipLine(line, reason);
      else out.push({ line, error: reason });
    },
    maxRecordChars,
  );

  for await (const chunk of readTextChunks(input, opts)) {
    splitter.push(chunk);
    csv?.flush();
    // Rows are parsed a chunk at a time (synchronously, which is fast) and handed out together.
    if (out.length > 0) {
      const rows = out;
      out = [];
      yield rows;
    }
  }
  splitter.end();
  csv?.end();
  if (out.length > 0) yield out;
}
