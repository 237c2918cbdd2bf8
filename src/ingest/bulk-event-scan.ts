/**
 * The pre-scan of the bulk event import (bulk-event-import.ts): one pass over the file's bytes, at memory speed,
 * deciding whether line numbers can be computed from record numbers, and noting what the SQL rules may assume.
 */
import { open } from 'node:fs/promises';
import { STAGED_EVENT_COLUMNS } from '../store/repositories/event-file-staging.js';
import { knownColumns } from './validate.js';

/** What the pre-scan found out about a file the bulk path can take. */
export interface BulkScan {
  header: string[];
  crlf: boolean;
  /** No tab, vertical tab or form feed byte anywhere (see event-file-staging.ts). */
  noTabs: boolean;
  /** No unit or record separator byte (0x1f, 0x1e) anywhere: values can be sent packed (see event-file-rows.ts). */
  noSeparators: boolean;
  /** Physical lines, header included. */
  lines: number;
}

const SCAN_CHUNK = 8 << 20;
const NL = 10;
const CR = 13;
const QUOTE = 34;
const TAB = 9;
const VT = 11;
const FF = 12;
const UNIT_SEPARATOR = 0x1f;
const RECORD_SEPARATOR = 0x1e;

/**
 * Reads the file once (at memory speed: native byte searches) to decide whether the bulk path applies, and
 * returns its header. `null` means: use the batch pipeline.
 */
export async function scanForBulk(path: string, maxRecordChars: number): Promise<BulkScan | null> {
  if (!/\.csv$/i.test(path)) return null;
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(SCAN_CHUNK);
    let offset = 0;
    let newlines = 0;
    let crlf = 0;
    let carriageReturns = 0;
    let lineStart = 0;
    let headerEnd = -1;
    let previous = -1;
    let lastByte = -1;
    let headerBytes: Buffer | undefined;
    let tabs = false;
    let separators = false;
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, SCAN_CHUNK, offset);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      // A line that starts exactly at this chunk: its first byte was not checked with the newline before it.
      if (previous === NL && (chunk[0] === NL || chunk[0] === CR || chunk[0] === 32 || chunk[0] === 9)) return null;
      if (offset === 0 && chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) return null;
      if (chunk.indexOf(QUOTE) !== -1) return null;
      tabs ||= chunk.indexOf(TAB) !== -1 || chunk.indexOf(VT) !== -1 || chunk.indexOf(FF) !== -1;
      separators ||= chunk.indexOf(UNIT_SEPARATOR) !== -1 || chunk.indexOf(RECORD_SEPARATOR) !== -1;
      for (let i = chunk.indexOf(CR); i !== -1; i = chunk.indexOf(CR, i + 1)) carriageReturns++;
      for (let i = chunk.indexOf(NL); i !== -1; i = chunk.indexOf(NL, i + 1)) {
        const at = offset + i;
        if (at - lineStart > maxRecordChars) return null;
        const before = i > 0 ? chunk[i - 1] : previous;
        if (before === CR) crlf++;
        if (headerEnd < 0) {
          headerEnd = at;
          headerBytes = Buffer.from(chunk.subarray(0, i));
        }
        // A blank or whitespace-led line: the batch pipeline decides what it is.
        const next = i + 1 < chunk.length ? chunk[i + 1] : -1;
        if (next === NL || next === CR || next === 32 || next === 9) return null;
        newlines++;
        lineStart = at + 1;
      }
      previous = chunk[chunk.length - 1]!;
      lastByte = previous;
      offset += bytesRead;
      if (offset - lineStart > maxRecordChars) return null;
    }
    if (headerBytes === undefined) return null;
    // Carriage returns only as part of CRLF line ends, and then on every line.
    if (carriageReturns !== crlf || (crlf !== 0 && crlf !== newlines)) return null;
    const lines = newlines + (lastByte !== NL && offset > 0 ? 1 : 0);
    let headerText = headerBytes.toString('utf8');
    if (headerText.endsWith('\r')) headerText = headerText.slice(0, -1);
    const header = headerText.split(',').map((h) => h.trim());
    if (header.some((h) => h.length === 0) || new Set(header).size !== header.length) return null;
    const known = new Set(knownColumns('events'));
    const staged = new Set<string>(STAGED_EVENT_COLUMNS);
    for (const name of header) {
      if (staged.has(name)) continue;
      // Aliases and property columns change the record: only the batch pipeline maps them.
      if (known.has(name) || name.startsWith('prop_') || name.startsWith('properties.')) return null;
    }
    return { header, crlf: crlf > 0, noTabs: !tabs, noSeparators: !separators, lines };
  } finally {
    await file.close();
  }
}
