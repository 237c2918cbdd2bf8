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
import { rowAt, sqlType, type Rows, type TempColumn } from './engine.js';

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
    let n = value;
    if (n < 0) {
      this.buf[this.pos++] = 45; // -
      n = -n;
    }
    if (n < 2_147_483_648) {
      this.smallInt(n);
      return;
    }
    // Above 2^31: the high part, then the low eight digits zero-padded, each with 32-bit arithmetic.
    const high = Math.floor(n / 100_000_000);
    this.smallInt(high);
    let low = n - high * 100_000_000;
    const buf = this.buf;
    const end = this.pos + 8;
    for (let p = end - 1; p >= this.pos; p--) {
      const q = (low / 10) | 0;
      buf[p] = 48 + low - q * 10;
      low = q;
    }
    this.pos = end;
  }

  /** 0 ≤ n < 2^31; capacity already ensured. */
  private smallInt(value: number): void {
    const buf = this.buf;
    let n = value | 0;
    let digits = 1;
    for (let t = n; t >= 10; t = (t / 10) | 0) digits++;
    let p = this.pos + digits;
    this.pos = p;
    while (n >= 10) {
      const q = (n / 10) | 0;
      buf[--p] = 48 + n - q * 10;
      n = q;
    }
    buf[p - 1] = 48 + n;
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

/** Column types as small integers, for the per-value switch. */
const TEXT = 0;
const TIMESTAMP = 1;
const DOUBLE = 2;
const INTEGER = 3;
const BOOLEAN = 4;
const TYPE_CODES: Record<TempColumn['type'], number> = {
  text: TEXT,
  timestamptz: TIMESTAMP,
  double: DOUBLE,
  bigint: INTEGER,
  integer: INTEGER,
  smallint: INTEGER,
  boolean: BOOLEAN,
};

function encodeRows(columns: readonly TempColumn[], rows: Rows): Encoded {
  const writer = new ByteWriter(0);
  writer.buf = spare.pop() ?? Buffer.allocUnsafe(INITIAL_BUFFER_BYTES);
  const width = columns.length;
  const types = columns.map((c) => {
    const code = TYPE_CODES[c.type];
    if (code === undefined) throw new Error(`unknown column type ${String(c.type)}`);
    return code;
  });
  const nonFinite = columns.map(() => false);
  let maxLineBytes = 0;
  for (let r = 0; r < rows.length; r++) {
    const row = rowAt(rows, r);
    const rowStart = writer.pos;
    for (let i = 0; i < width; i++) {
      if (i > 0) writer.byte(COMMA);
      const v = row[i];
      if (v === null || v === undefined) {
        writer.null();
        continue;
      }
      switch (types[i]) {
        case TEXT:
          writer.text(typeof v === 'string' ? v : String(v));
          break;
        case TIMESTAMP: {
          const ms = Math.round(Number(v));
          if (Number.isSafeInteger(ms)) writer.int(ms);
          else throw new Error(`invalid timestamp (epoch milliseconds expected): ${String(v)}`);
          break;
        }
        case DOUBLE: {
          const n = typeof v === 'number' ? v : Number(v);
          if (Number.isSafeInteger(n) && !Object.is(n, -0)) writer.int(n);
          else {
            if (!Number.isFinite(n)) nonFinite[i] = true;
            writer.ascii(Object.is(n, -0) ? '-0' : String(n)); // String(-0) is "0"
          }
          break;
        }
        case INTEGER:
          if (typeof v === 'number' && Number.isSafeInteger(v)) writer.int(v);
          else writer.ascii(String(typeof v === 'bigint' ? v : BigInt(v as number | string | boolean)));
          break;
        default:
          writer.ascii(v ? 'true' : 'false');
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

function valueExpression(column: TempColumn, index: number, nonFinite: boolean): string {
  if (column.type === 'timestamptz') return `make_timestamptz(c${index} * 1000)`;
  if (column.type === 'double' && nonFinite) return `CAST(c${index} AS DOUBLE)`;
  return `c${index}`;
}

let fileCounter = 0;

/** A batch of rows written to a temporary CSV file, ready to be read by one statement. */
export interface CsvFile {
  /** `read_csv(…)` over the file, with columns `c0, c1, …` typed for reading. */
  source: string;
  /** Per column, the expression turning the read value into the column's value (e.g. ms into TIMESTAMPTZ). */
  values: string[];
  /** Removes the file; call once the statement has run, whatever its outcome. */
  cleanup: () => void;
  /** Size of the file. */
  bytes: number;
}

/** Encodes `rows` and writes them to a temporary CSV file (see the module comment for the encoding). */
export function writeCsvFile(columns: readonly TempColumn[], rows: Rows): CsvFile {
  const { writer, maxLineBytes, nonFinite } = encodeRows(columns, rows);
  const path = join(tmpdir(), `kept-load-${process.pid}-${++fileCounter}.csv`);
  const cleanup = () => {
    try {
      unlinkSync(path);
    } catch {
      // Never written, or already gone: nothing to clean.
    }
  };
  try {
    const fd = openSync(path, 'w', 0o600);
    try {
      let written = 0;
      while (written < writer.pos) written += writeSync(fd, writer.buf, written, writer.pos - written);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    cleanup();
    throw error;
  } finally {
    if (writer.buf.length <= MAX_SPARE_BYTES && spare.length < 2) spare.push(writer.buf);
  }
  const readColumns = columns.map((c, i) => `'c${i}': '${readType(c, nonFinite[i]!)}'`).join(', ');
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
  return {
    source: `read_csv('${path.replaceAll("'", "''")}', ${options.join(', ')})`,
    values: columns.map((c, i) => valueExpression(c, i, nonFinite[i]!)),
    cleanup,
    bytes: writer.pos,
  };
}
