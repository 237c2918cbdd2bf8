/**
 * CSV records with reliable line numbers and recovery from broken quoting.
 *
 * csv-parse on its own reports the line a record *ends* on (and miscounts CRLF inside quoted fields), keeps
 * parsing in whatever state a quoting error left it in, and with an unclosed quote swallows the rest of the file
 * into one field. So physical lines are first grouped into records by a small quote-aware scanner that knows each
 * record's first line, counts its fields and checks RFC 4180 quoting. Broken records become `{line, error}`;
 * well-formed records with quotes are handed to csv-parse in batches, which decodes them against the header.
 * Records without any quote character (most rows of most exports) are split directly: for them splitting on the
 * delimiter is exactly what csv-parse does, about eight times faster (csv-parse manages ~150k rows/s here).
 *
 * Recovery: a quote that is still open after `maxRecordLines` lines / `maxRecordChars` characters, at the end of
 * the file, or whose continuation lines break the quoting rules is reported on the line the record started, and
 * reading resumes on the *next* line, so the good rows an unclosed quote would have swallowed are kept.
 */
import { parse } from 'csv-parse/sync';
import type { RawRow } from './read-rows.js';

export interface CsvRecordOptions {
  /** Field separator, one character. */
  delimiter: string;
  /** A record (possibly spanning lines) longer than this is treated as an unclosed quote. */
  maxRecordChars: number;
  /** A quoted field spanning more lines than this is treated as an unclosed quote. */
  maxRecordLines: number;
  /** Receives the trimmed header names once the header is read. */
  onHeader?: ((columns: string[]) => void) | undefined;
}

// Scanner states.
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_IN_QUOTED = 3; // a quote inside a quoted field: either its end or the first half of ""

const QUOTE = 34;
const CR = 13;
/** Well-formed records are decoded by csv-parse in batches of about this many characters. */
const BATCH_CHARS = 64 * 1024;

function describeChar(code: number): string {
  return code === CR ? 'a carriage return' : `'${String.fromCharCode(code)}'`;
}

function isBlank(text: string): boolean {
  // Cheap first-character test so ordinary lines never pay for trim().
  return text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim().length === 0);
}

/** Groups physical lines into CSV records; results are appended to `out` in input order. */
export class CsvRecordReader {
  private readonly delim: number;
  private header: (string | undefined)[] | undefined;
  // The record being scanned.
  private state = FIELD_START;
  private fields = 1;
  /** First line of an open multi-line record, 0 when no record spans lines. */
  private recStart = 0;
  private recLines: string[] = [];
  private recChars = 0;
  // Well-formed records waiting for csv-parse.
  private batch: string[] = [];
  private batchLines: number[] = [];
  private batchChars = 0;

  constructor(
    /** Where rows go, in input order: an array, or anything with `push`. */
    private readonly out: { push(row: RawRow): unknown },
    private readonly opts: CsvRecordOptions,
  ) {
    if (opts.delimiter.length !== 1) throw new Error(`CSV delimiter must be one character, got '${opts.delimiter}'`);
    this.delim = opts.delimiter.charCodeAt(0);
  }

  /** Feeds one physical line (without `\n`, possibly with a trailing `\r`). */
  pushLine(text: string, line: number): void {
    if (this.recStart === 0) {
      if (isBlank(text)) return;
      if (this.header !== undefined && text.indexOf('"') === -1) {
        this.acceptUnquoted(text, line);
        return;
      }
      this.state = FIELD_START;
      this.fields = 1;
    }
    const error = this.scan(text);
    if (error !== undefined) {
      if (this.recStart !== 0) {
        this.failOpenRecord(`malformed quoting in the field opened on line ${this.recStart}: ${error}`, text);
      } else {
        this.rejectRecord(line, error, this.header?.[this.fields - 1]);
      }
      return;
    }
    const ended = this.state !== QUOTED;
    const lastCr = ended && text.length > 0 && text.charCodeAt(text.length - 1) === CR;
    if (!ended) {
      if (this.recStart === 0) {
        this.recStart = line;
        this.recLines = [text];
        this.recChars = text.length;
      } else {
        this.recLines.push(text);
        this.recChars += text.length + 1;
      }
      if (this.recLines.length >= this.opts.maxRecordLines || this.recChars > this.opts.maxRecordChars) {
        this.failOpenRecord(
          `unclosed quote: the quoted field opened on line ${this.recStart} is still open after ` +
            `${this.recLines.length} lines / ${this.recChars} characters (limits: ${this.opts.maxRecordLines} lines, ` +
            `${this.opts.maxRecordChars} characters); row skipped, reading resumed on line ${this.recStart + 1}`,
        );
      }
      return;
    }
    const last = lastCr ? text.slice(0, -1) : text;
    let record = last;
    let start = line;
    if (this.recStart !== 0) {
      record = `${this.recLines.join('\n')}\n${last}`;
      start = this.recStart;
      this.recStart = 0;
      this.recLines = [];
    }
    this.acceptRecord(record, start);
  }

  /** Reports a physical line the splitter dropped (too long); an open record containing it is broken too. */
  skipLine(line: number, reason: string): void {
    if (this.recStart !== 0) {
      this.failOpenRecord(`the quoted field opened on line ${this.recStart} runs into an overlong line ${line}`);
    }
    this.rejectRecord(line, reason);
  }

  /** Call after the last line: reports a quote left open at end of file, then decodes what is buffered. */
  end(): void {
    while (this.recStart !== 0) {
      this.failOpenRecord(
        `unclosed quote: the quoted field opened on line ${this.recStart} is never closed (end of file reached); ` +
          `row skipped, reading resumed on line ${this.recStart + 1}`,
      );
    }
    this.flush();
  }

  /** Decodes the buffered well-formed records with csv-parse and appends them to `out`. */
  flush(): void {
    if (this.batch.length === 0) return;
    const lines = this.batchLines;
    const skipped: { at: number; message: string }[] = [];
    const records = parse(this.batch.join('\n'), {
      columns: this.header,
      delimiter: this.opts.delimiter,
      record_delimiter: '\n',
      // Never expected (the scanner already rejected bad quoting and field counts); kept so a disagreement
      // between scanner and parser costs one row, not the import.
      skip_records_with_error: true,
      on_skip: (err) => {
        skipped.push({
          at: typeof err?.records === 'number' ? err.records : 0,
          message: err?.message ?? 'unparseable row',
        });
        return undefined;
      },
    }) as unknown as Record<string, unknown>[];
    let lineIdx = 0;
    let skipIdx = 0;
    for (let i = 0; i <= records.length; i++) {
      while (skipIdx < skipped.length && skipped[skipIdx].at === i) {
        this.out.push({ line: lines[lineIdx++], error: skipped[skipIdx++].message });
      }
      if (i < records.length) this.out.push({ line: lines[lineIdx++], values: records[i] });
    }
    this.batch = [];
    this.batchLines = [];
    this.batchChars = 0;
  }

  /**
   * Advances the scanner over one line. Returns a reason when the quoting is broken; then the line is not
   * scanned further (its field count is meaningless).
   */
  private scan(text: string): string | undefined {
    const delim = this.delim;
    const n = text.length;
    let state = this.state;
    let fields = this.fields;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (state === QUOTED) {
        const q = text.indexOf('"', i);
        if (q === -1) break;
        i = q;
        state = QUOTE_IN_QUOTED;
      } else if (c === delim) {
        if (state === QUOTE_IN_QUOTED || state === UNQUOTED) state = FIELD_START;
        fields++;
      } else if (c === QUOTE) {
        if (state === FIELD_START) state = QUOTED;
        else if (state === QUOTE_IN_QUOTED)
          state = QUOTED; // "" is an escaped quote
        else {
          this.fields = fields; // names the field in the rejection
          return `quote inside unquoted ${this.fieldName(fields)}; quote the whole field and double inner quotes ("")`;
        }
      } else if (state === QUOTE_IN_QUOTED) {
        if (c === CR && i === n - 1) break;
        this.fields = fields;
        return (
          `closing quote of ${this.fieldName(fields)} is followed by ${describeChar(c)}; ` +
          'expected the delimiter or end of line (inner quotes must be doubled: "")'
        );
      } else if (state === FIELD_START) {
        state = UNQUOTED;
      }
    }
    this.state = state;
    this.fields = fields;
    return undefined;
  }

  /** "field 3 (email)" once the header is known, "field 3" before. */
  private fieldName(n: number): string {
    const name = this.header?.[n - 1];
    return name === undefined ? `field ${n}` : `field ${n} (${name})`;
  }

  private acceptRecord(record: string, line: number): void {
    if (this.header === undefined) {
      this.readHeader(record, line);
      return;
    }
    if (this.fields !== this.header.length) {
      this.rejectRecord(line, `expected ${this.header.length} fields as in the header, got ${this.fields}`);
      return;
    }
    this.batch.push(record);
    this.batchLines.push(line);
    this.batchChars += record.length;
    if (this.batchChars >= BATCH_CHARS) this.flush();
  }

  /**
   * The common case, a one-line record without any quote: its fields are exactly the text between delimiters,
   * so it is split directly (csv-parse would give the same values at a fraction of the speed).
   */
  private acceptUnquoted(text: string, line: number): void {
    const header = this.header!;
    const body = text.charCodeAt(text.length - 1) === CR ? text.slice(0, -1) : text;
    const parts = body.split(this.opts.delimiter);
    if (parts.length !== header.length) {
      this.rejectRecord(line, `expected ${header.length} fields as in the header, got ${parts.length}`);
      return;
    }
    const values: Record<string, unknown> = {};
    for (let i = 0; i < parts.length; i++) {
      const name = header[i];
      if (name !== undefined) values[name] = parts[i];
    }
    this.flush(); // quoted records still waiting for csv-parse come first
    this.out.push({ line, values });
  }

  private rejectRecord(line: number, reason: string, field?: string): void {
    if (this.header === undefined) throw new Error(`CSV header on line ${line} is malformed: ${reason}`);
    this.flush(); // keeps output in line order
    this.out.push(field === undefined ? { line, error: reason } : { line, error: reason, field });
  }

  /** Reports the open multi-line record and re-reads its lines after the first one as fresh records. */
  private failOpenRecord(reason: string, currentLine?: string): void {
    const start = this.recStart;
    const replay = this.recLines.slice(1);
    if (currentLine !== undefined) replay.push(currentLine);
    this.recStart = 0;
    this.recLines = [];
    this.rejectRecord(start, reason);
    for (let i = 0; i < replay.length; i++) this.pushLine(replay[i], start + 1 + i);
  }

  private readHeader(record: string, line: number): void {
    const [names = []] = parse(record, { delimiter: this.opts.delimiter, record_delimiter: '\n' });
    const trimmed = names.map((name) => name.trim());
    const seen = new Set<string>();
    for (const name of trimmed) {
      if (name !== '' && seen.has(name)) throw new Error(`CSV header on line ${line} repeats the column '${name}'`);
      seen.add(name);
    }
    // csv-parse drops fields whose column is undefined: an unnamed column (e.g. a trailing comma) is ignored.
    this.header = trimmed.map((name) => (name === '' ? undefined : name));
    this.opts.onHeader?.(trimmed);
  }
}
