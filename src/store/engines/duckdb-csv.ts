/**
 * Bulk loading for DuckDB through a CSV file: rows are encoded straight into bytes (no per-value strings, no
 * join), written to a temporary file and read back by `read_csv` in one statement. DuckDB parses the file on its
 * own threads, so unlike the row appender (a native call per value, on the JavaScript thread) the load overlaps
 * with whatever JavaScript runs meanwhile — in an import, parsing the next batch.
 *
 * Encoding, chosen so every value round-trips exactly:
 * - NULL is an unquoted `\N`; text is quoted whenever it is empty, equals `\N`, contains `"`, `,`, CR, LF or any
 *   non-ASCII character (quoted text is read literally: `allow_quoted_nulls=false`, `""` escapes a quote);
 * - integers are written as digits; doubles as the shortest round-trip decimal (`String(n)`); a column holding
 *   NaN or ±Infinity (which `read_csv` would read as NULL) is read as text and cast;
 * - `timestamptz` values (epoch milliseconds) are written as integers and turned into TIMESTAMPTZ in SQL with
 *   `make_timestamptz(ms * 1000)`, which does not depend on the session time zone.
 */
import { openSync, closeSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quoteIdent, sqlType, type SqlValue, type TempColumn } from './engine.js';

/** Byte classes of ASCII characters in unquoted text: 1 = needs quoting. */
const SPECIAL = new Uint8Array(128);
SPECIAL[34] = 1; // "
SPECIAL[44] = 1; // ,
SPECIAL[10] = 1; // LF
SPECIAL[13] = 1; // CR

const QUOTE = 34;
const COMMA = 44;
const NEWLINE = 10;
const BACKSLASH = 92;
const LETTER_N = 78;

/** DuckDB's default `max_line_size`; longer rows need the limit raised explicitly. */
const DEFAULT_MAX_LINE_BYTES = 2_097_152;

/** A growable byte buffer the rows are encoded into. One per load; buffers are recycled between loads. */
class ByteWriter {
  buf: Buffer;
  pos = 0;
  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }

  ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + extra) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  null(): void {
    this.ensure(2);
    this.buf[this.pos++] = BACKSLASH;
    this.buf[this.pos++] = LETTER_N;
  }

  /** A safe integer as decimal digits. */
  int(value: number): void {
    this.ensure(17);
    const buf = this.buf;
    let n = value;
    if (n < 0) {
      buf[this.pos++] = 45; // -
      n = -n;
    }
    if (n < 10) {
      buf[this.pos++] = 48 + n;
      return;
    }
    let digits = 1;
    for (let t = n; t >= 10; t = Math.floor(t / 10)) digits++;
    let p = this.pos + digits;
    this.pos = p;
    while (n >= 10) {
      const q = Math.floor(n / 10);
      buf[--p] = 48 + (n - q * 10);
      n = q;
    }
    buf[--p] = 48 + n;
  }

  /** ASCII text known to need no quoting (digits, signs, exponents from number formatting). */
  ascii(s: string): void {
    this.ensure(s.length);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) buf[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  text(s: string): void {
    const n = s.length;
    if (n === 0 || (n === 2 && s === '\\N')) {
      this.quoted(s);
      return;
    }
    this.ensure(n);
    const buf = this.buf;
    const start = this.pos;
    let p = start;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 127 || SPECIAL[c] === 1) {
        this.pos = start;
        this.quoted(s);
        return;
      }
      buf[p++] = c;
    }
    this.pos = p;
  }

  /** Quoted text: inner quotes doubled, UTF-8 encoded (a lone surrogate becomes U+FFFD, as in every encoder). */
  private quoted(s: string): void {
    const body = s.includes('"') ? s.replaceAll('"', '""') : s;
    this.ensure(body.length * 3 + 2);
    this.buf[this.pos++] = QUOTE;
    this.pos += this.buf.write(body, this.pos, 'utf8');
    this.buf[this.pos++] = QUOTE;
  }
}

const spare: Buffer[] = [];
const INITIAL_BUFFER_BYTES = 1 << 20;
/** Buffers larger than this are not kept between loads, so one huge batch does not pin memory. */
const MAX_SPARE_BYTES = 64 << 20;

interface Encoded {
  writer: ByteWriter;
  maxLineBytes: number;
  /** Per column: a double column that holds NaN or ±Infinity, read as text and cast. */
  nonFinite: boolean[];
}

function encodeRows(columns: readonly TempColumn[], rows: readonly (readonly SqlValue[])[]): Encoded {
  const writer = new ByteWriter(0);
  writer.buf = spare.pop() ?? Buffer.allocUnsafe(INITIAL_BUFFER_BYTES);
  const width = columns.length;
  const types = columns.map((c) => c.type);
  const nonFinite = columns.map(() => false);
  let maxLineBytes = 0;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    const rowStart = writer.pos;
    for (let i = 0; i < width; i++) {
      if (i > 0) writer.byte(COMMA);
      const v = row[i];
      if (v === null || v === undefined) {
        writer.null();
        continue;
      }
      switch (types[i]) {
        case 'text':
          writer.text(typeof v === 'string' ? v : String(v));
          break;
        case 'timestamptz': {
          const ms = Math.round(Number(v));
          if (Number.isSafeInteger(ms)) writer.int(ms);
          else throw new Error(`invalid timestamp (epoch milliseconds expected): ${String(v)}`);
          break;
        }
        case 'double': {
          const n = typeof v === 'number' ? v : Number(v);
          if (Number.isSafeInteger(n) && !Object.is(n, -0)) writer.int(n);
          else {
            if (!Number.isFinite(n)) nonFinite[i] = true;
            writer.ascii(Object.is(n, -0) ? '-0' : String(n)); // String(-0) is "0"
          }
          break;
        }
        case 'bigint':
        case 'integer':
        case 'smallint':
          if (typeof v === 'number' && Number.isSafeInteger(v)) writer.int(v);
          else writer.ascii(String(typeof v === 'bigint' ? v : BigInt(v as number | string | boolean)));
          break;
        case 'boolean':
          writer.ascii(v ? 'true' : 'false');
          break;
        default:
          throw new Error(`unknown column type ${String(types[i])}`);
      }
    }
    writer.byte(NEWLINE);
    if (writer.pos - rowStart > maxLineBytes) maxLineBytes = writer.pos - rowStart;
  }
  return { writer, maxLineBytes, nonFinite };
}

function readType(column: TempColumn, nonFinite: boolean): string {
  if (column.type === 'timestamptz') return 'BIGINT';
  if (column.type === 'double' && nonFinite) return 'VARCHAR';
  return sqlType('duckdb', column.type);
}

function selectExpression(column: TempColumn, index: number, nonFinite: boolean): string {
  const name = quoteIdent(column.name);
  if (column.type === 'timestamptz') return `make_timestamptz(c${index} * 1000) AS ${name}`;
  if (column.type === 'double' && nonFinite) return `CAST(c${index} AS DOUBLE) AS ${name}`;
  return `c${index} AS ${name}`;
}

let fileCounter = 0;

/**
 * Writes `rows` to a temporary CSV file and returns the statement that creates `table` from it, plus a cleanup
 * that removes the file (call it once the statement has run, whatever its outcome).
 */
export function prepareCsvLoad(
  table: string,
  columns: readonly TempColumn[],
  rows: readonly (readonly SqlValue[])[],
): { sql: string; cleanup: () => void } {
  const { writer, maxLineBytes, nonFinite } = encodeRows(columns, rows);
  const path = join(tmpdir(), `kept-load-${process.pid}-${++fileCounter}.csv`);
  try {
    const fd = openSync(path, 'w', 0o600);
    try {
      let written = 0;
      while (written < writer.pos) written += writeSync(fd, writer.buf, written, writer.pos - written);
    } finally {
      closeSync(fd);
    }
  } finally {
    if (writer.buf.length <= MAX_SPARE_BYTES && spare.length < 2) spare.push(writer.buf);
  }
  const readColumns = columns.map((c, i) => `'c${i}': '${readType(c, nonFinite[i]!)}'`).join(', ');
  const select = columns.map((c, i) => selectExpression(c, i, nonFinite[i]!)).join(', ');
  const options = [
    `columns = {${readColumns}}`,
    'header = false',
    'auto_detect = false',
    `delim = ','`,
    `quote = '"'`,
    `escape = '"'`,
    `nullstr = '\\N'`,
    'allow_quoted_nulls = false',
    `new_line = '\\n'`,
  ];
  if (maxLineBytes >= DEFAULT_MAX_LINE_BYTES) {
    const limit = maxLineBytes + 1024;
    options.push(`max_line_size = ${limit}`, `buffer_size = ${Math.max(limit * 2, 32 << 20)}`);
  }
  const literal = `'${path.replaceAll("'", "''")}'`;
  return {
    sql: `CREATE OR REPLACE TEMP TABLE ${quoteIdent(table)} AS SELECT ${select} FROM read_csv(${literal}, ${options.join(', ')})`,
    cleanup: () => {
      try {
        unlinkSync(path);
      } catch {
        // Already gone: nothing to clean.
      }
    },
  };
}
